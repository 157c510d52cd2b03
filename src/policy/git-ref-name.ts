/**
 * The rules of `git check-ref-format`, as a pure function, so names from policies and
 * command lines are refused before they reach git. Also refuses names that start with
 * `-`, which git would read as an option.
 * Returns what is wrong, or undefined for a valid full ref name (`refs/heads/x`).
 */
export function refNameProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'it is empty';
  if (ref.startsWith('-') || ref.split('/').some((c) => c.startsWith('-'))) return 'a part starts with "-" (it would read as an option)';
  if (ref === '@') return 'it is "@"';
  if (ref.startsWith('/') || ref.endsWith('/')) return 'it starts or ends with "/"';
  if (ref.includes('//')) return 'it contains "//"';
  if (ref.includes('..')) return 'it contains ".."';
  if (ref.includes('@{')) return 'it contains "@{"';
  if (ref.endsWith('.')) return 'it ends with "."';
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(ref);
  if (bad) return `it contains ${describeChar(bad[0])}`;
  for (const component of ref.split('/')) {
    if (component.startsWith('.')) return `the part "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `the part "${component}" ends with ".lock"`;
  }
  return undefined;
}

/** A short branch or tag name, as written after `refs/heads/` or `refs/tags/`. */
export function shortRefNameProblem(name: string): string | undefined {
  if (name === 'HEAD') return 'it is "HEAD"';
  return refNameProblem(name);
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `a control character (0x${code.toString(16).padStart(2, '0')})` : `"${ch}"`;
}
