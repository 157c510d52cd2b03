/**
 * A name or email as git writes it into a commit or tag header: `author NAME <EMAIL> DATE`.
 * `<` or `>` in either ends the field early, and a line break ends the header line, so git
 * fsck calls the commit broken (badName, missingEmail) and servers checking objects refuse
 * the push; a blank name is one `git commit` itself refuses ("empty ident name"). Control
 * characters are refused too: the name is printed wherever the commit is shown. Pure.
 */
export function identProblem(value: string): string | undefined {
  if (value.trim() === '') return 'it is empty or only spaces';
  const bracket = /[<>]/.exec(value);
  if (bracket) return `it contains "${bracket[0]}", which git reads as the start or end of the email`;
  const control = /\p{Cc}/u.exec(value);
  if (control) return `it contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  return undefined;
}
