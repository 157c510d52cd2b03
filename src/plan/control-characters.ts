/**
 * A plan is reviewed as `hotfix show` prints it, so no string in it may steer the terminal:
 * an escape sequence or a carriage return can hide or rewrite the lines around it, and a
 * bidirectional control reorders what is shown (U+202E turns the rest of a line around).
 * Tab is allowed everywhere; line breaks (LF, CRLF) only in the fields that are text of many
 * lines (commit and tag messages, file contents, diffs), which the renderers print line by
 * line. Every other C0 and C1 control character, DEL and ESC among them, and every bidi
 * control is refused. Pure.
 */

/**
 * What steers a terminal besides C0, as a regular expression class body: DEL, C1 (0x9b is
 * CSI to many terminals) and the bidirectional controls (embeddings, overrides, isolates,
 * marks). The terminal output escapes the same characters (render/printable.ts).
 */
export const STEERING_BEYOND_C0 = '\\x7f-\\x9f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/** Keys whose values are multi-line text. */
const MULTI_LINE = new Set(['message', 'before', 'after', 'diff', 'body']);

const IN_LINE = new RegExp(`[\\x00-\\x08\\x0a-\\x1f${STEERING_BEYOND_C0}]`);
const IN_TEXT = new RegExp(`[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f${STEERING_BEYOND_C0}]|\\r(?!\\n)`);

/** The first control character in the data, with the JSON pointer of its string, if any. */
export function controlCharacterProblem(data: unknown): string | undefined {
  // A stack, not recursion: the schema leaves some objects open, to any depth.
  const pending: Array<[path: string, value: unknown]> = [['', data]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [path, value] = next;
    if (typeof value === 'string') {
      const found = (MULTI_LINE.has(path.slice(path.lastIndexOf('/') + 1)) ? IN_TEXT : IN_LINE).exec(value);
      if (found) return `a control character (${codePoint(found[0])}) in ${path || '/'}`;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value).reverse()) {
        const inKey = IN_LINE.exec(key);
        if (inKey) return `a control character (${codePoint(inKey[0])}) in a key of ${path || '/'}`;
        pending.push([`${path}/${pointerSegment(key)}`, child]);
      }
    }
  }
  return undefined;
}

function codePoint(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** RFC 6901 escaping of one key. */
function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
