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
  let fence: Fence | undefined;
  const folds: string[] = [];
  const push = (line: string) => {
    lines.push(line);
    size += line.length + 1;
  };
  const cut = (state: State) => {
    chunks.push([...lines, ...closing(state)].join('\n'));
    lines = [];
    size = 0;
    reopening(state).forEach(push);
  };
  for (const whole of markdown.split('\n')) {
    const before = { fence, folds: [...folds] };
    // The state after this line: a chunk that ends after it must still close what it opens.
    if (fence) {
      if (whole === fence.close) fence = undefined;
    } else {
      const close = fenceOf(whole);
      if (close !== undefined) fence = { open: whole, close };
      else if (/^ {0,3}<details>/.test(whole)) folds.push(whole);
      else if (/^ {0,3}<\/details>/.test(whole)) folds.pop();
    }
    const after = { fence, folds: [...folds] };
    const slices = lineSlices(whole, budget - cost(reopening(before)) - Math.max(cost(closing(before)), cost(closing(after))) - 64);
    for (const [i, line] of slices.entries()) {
      const last = i === slices.length - 1;
      if (lines.length > 0 && size + line.length + 1 + cost(closing(last ? after : before)) > budget) cut(before);
      push(line);
    }
  }
  if (lines.length > 0) chunks.push(lines.join('\n'));
  return chunks;
}

interface Fence {
  readonly open: string;
  readonly close: string;
}

/** The code block and the folds open at a point: what a chunk ending there must close, and the next open again. */
interface State {
  readonly fence: Fence | undefined;
  readonly folds: readonly string[];
}

function closing(state: State): string[] {
  return [...(state.fence ? [state.fence.close] : []), ...[...state.folds].reverse().flatMap((open) => ['', `${indentOf(open)}</details>`])];
}

function reopening(state: State): string[] {
  return [...state.folds.flatMap((open) => [open, '']), ...(state.fence ? [state.fence.open] : [])];
}

function cost(lines: readonly string[]): number {
  return lines.reduce((n, l) => n + l.length + 1, 0);
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
