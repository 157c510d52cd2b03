import { structuredPatch } from 'diff';

/** The lines of context around a change, as git's default `-U3`. */
const CONTEXT = 3;
/** git keeps at most this many bytes of a hunk's function name (xdiff's `struct func_line`). */
const FUNCNAME_BYTES = 80;

/**
 * The diff `git diff` (and `git show --format=`) prints for a change to one file's content,
 * byte for byte with git's defaults: three lines of context, 7-character abbreviated ids, and
 * after each hunk header the nearest line above the hunk that starts with a letter, `_` or `$`.
 * Identical content gives no diff at all, as with git.
 */
export function unifiedDiff(path: string, before: string, after: string, blobs: { before: string; after: string; mode?: string }): string {
  if (before === after) return '';
  const oldLines = before.split('\n');
  const out = [
    `diff --git a/${path} b/${path}`,
    `index ${blobs.before.slice(0, 7)}..${blobs.after.slice(0, 7)} ${blobs.mode ?? '100644'}`,
    `--- a/${path}`,
    `+++ b/${path}`,
  ];
  for (const hunk of structuredPatch(path, path, before, after, undefined, undefined, { context: CONTEXT }).hunks) {
    const funcname = funcnameAbove(oldLines, hunk.oldStart - 1);
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@${funcname ? ` ${funcname}` : ''}`, ...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}

/** `start,count`, with git's abbreviations: no count when it is 1, and the line before an empty range. */
function range(start: number, count: number): string {
  if (count === 0) return `${start - 1},0`;
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** xdiff's default function-name rule (`def_ff`), searching upwards from the line before the hunk. */
function funcnameAbove(lines: readonly string[], firstLine: number): string | undefined {
  for (let i = firstLine - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (!/^[A-Za-z_$]/.test(line)) continue;
    // git counts bytes, with the line break, and trims trailing whitespace after cutting.
    const cut = Buffer.from(`${line}\n`, 'utf8').subarray(0, FUNCNAME_BYTES).toString('utf8');
    return cut.replace(/[ \t\n\r]+$/, '');
  }
  return undefined;
}
