/**
 * Text from outside (file contents, commit messages, names, registry labels, cluster and
 * diagnostic messages) shown in markdown exactly as it is, never as markdown or HTML: in
 * code spans and fenced code blocks sized to their content (CommonMark 0.30 / GFM, as
 * cmark-gfm renders a GitHub comment). Pure.
 */

/**
 * Inline text as one code span. Line breaks become spaces (inside a paragraph, a blank line
 * would end the span and let the rest render; in a table, any line break ends the row) and
 * other control characters are shown as `\xNN`.
 */
export function codeSpan(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (line === '') return '';
  const fence = '`'.repeat(longestRun(line, '`') + 1);
  // CommonMark strips one space from each end when both ends have one (unless it is all
  // spaces), and a backtick at an end would join the delimiter: pad both ends then.
  const pad = line.startsWith('`') || line.endsWith('`') || (line.startsWith(' ') && line.endsWith(' ') && line.trim() !== '');
  return pad ? `${fence} ${line} ${fence}` : `${fence}${line}${fence}`;
}

/**
 * A code span for a GFM table cell: a `|` ends the cell even inside a code span, unless it
 * is escaped; the table parser removes that backslash before the span is read.
 */
export function tableCell(text: string): string {
  return codeSpan(text).replace(/\|/g, '\\|');
}

/**
 * A fenced code block whose content is `text` (lines, each ended by a line break) byte for
 * byte, indented by `indent` spaces (a list item's content column): every line is indented,
 * so no line falls out of the item and ends the block early. The fence is longer than any
 * run of its character in the text, so no line of the text can close it: backticks, unless
 * the text has runs of three or more and shorter runs of tildes.
 */
export function codeBlock(text: string, info: string, indent = 0): string[] {
  const ticks = longestRun(text, '`');
  const tildes = longestRun(text, '~');
  const fence = ticks < 3 || ticks <= tildes ? '`'.repeat(Math.max(3, ticks + 1)) : '~'.repeat(Math.max(3, tildes + 1));
  const pad = ' '.repeat(indent);
  const body = text.replace(/(\r\n|\r|\n)$/, '');
  // Markdown ends a line at CR too. An empty line stays empty: inside a fence it is part of
  // the block at any indent.
  const indented = body.replace(/(^|\r\n|\r|\n)(?=[^\r\n])/g, `$1${pad}`);
  return [`${pad}${fence}${info}`, ...(text === '' ? [] : [indented]), `${pad}${fence}`];
}

/** Text for an HTML block (`<summary>`): markup characters as entities, line breaks as spaces. */
export function htmlText(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[&<>"']/g, (c) => entities[c]!);
}

/** A string inside a Mermaid double-quoted string: no quote or line break can end it. */
export function mermaidText(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/"/g, "'");
}

function longestRun(text: string, char: '`' | '~'): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Plain text with every character that can start markdown or HTML backslash-escaped
 * (CommonMark 2.4; `$` for GitHub's math), so no emphasis, link, image, HTML, entity,
 * heading, list or table starts. GFM still autolinks a URL or an email address in it: this
 * is for text that holds none (the plan id, which the schema fixes as `sha256:` and hex),
 * so it reads as text outside any code element and can be found as it is.
 */
export function escapedText(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ').replace(/[\\`*_{}[\]<>()#+\-.!|~&$]/g, (c) => `\\${c}`);
}
