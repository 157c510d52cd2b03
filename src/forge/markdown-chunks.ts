/**
 * Markdown cut into pieces of at most `budget` characters (UTF-16 code units, which are
 * never fewer than the characters GitHub counts), at line ends, each piece still rendering
 * on its own: a fenced code block cut in two is closed at the end of one piece and opened
 * again, with the same fence, at the start of the next, and so is a `<details>` fold. A
 * line longer than a piece is cut too (inside a code block, where the plan's long lines
 * are, that shows as two lines). Pure.
 */
export function markdownChunks(markdown: string, budget: number): string[] {
  const chunks: string[] = [];
  let lines: string[] = [];
  let size = 0;
  let fence: { open: string; close: string } | undefined;
  const folds: string[] = [];
  const closing = () => [...(fence ? [fence.close] : []), ...[...folds].reverse().flatMap((open) => ['', `${indentOf(open)}</details>`])];
  const reopening = () => [...folds.flatMap((open) => [open, '']), ...(fence ? [fence.open] : [])];
  const cost = (more: readonly string[]) => more.reduce((n, l) => n + l.length + 1, 0);
  const push = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  const cut = () => {
    chunks.push([...lines, ...closing()].join('\n'));
    lines = [];
    size = 0;
    reopening().forEach(push);
  };
  for (const whole of markdown.split('\n')) {
    for (const line of lineSlices(whole, budget - cost(closing()) - cost(reopening()) - 64)) {
      if (lines.length > 0 && size + line.length + 1 + cost(closing()) > budget) cut();
      push(line);
    }
    if (fence) {
      if (whole === fence.close) fence = undefined;
      continue;
    }
    const close = fenceOf(whole);
    if (close !== undefined) fence = { open: whole, close };
    else if (/^ {0,3}<details>/.test(whole)) folds.push(whole);
    else if (/^ {0,3}<\/details>/.test(whole)) folds.pop();
  }
  if (lines.length > 0) chunks.push(lines.join('\n'));
  return chunks;
}

function indentOf(line: string): string {
  return /^ */.exec(line)![0];
}

/** A line as it is, or cut into slices of at most `max` code units, never inside a surrogate pair. */
function lineSlices(line: string, max: number): string[] {
  if (line.length <= max) return [line];
  const slices: string[] = [];
  let start = 0;
  while (start < line.length) {
    let end = Math.min(line.length, start + max);
    if (end < line.length && /[\ud800-\udbff]/.test(line[end - 1]!)) end--;
    slices.push(line.slice(start, end));
    start = end;
  }
  return slices;
}

/** The line that closes the code block this line opens, if it opens one (as codeBlock writes them). */
export function fenceOf(line: string): string | undefined {
  const opening = /^( {0,3})(`{3,}|~{3,})/.exec(line);
  return opening ? `${opening[1]}${opening[2]}` : undefined;
}
