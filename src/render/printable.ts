import { STEERING_BEYOND_C0 } from '../plan/control-characters.js';
import { STYLE_MARK } from './style.js';

/**
 * One of hotfix's own style marks, or a character that could steer a terminal: C0 but tab
 * and line feed (a carriage return only where a line feed follows: CRLF text stays as it
 * is), DEL, C1 and the bidirectional controls.
 */
const UNSAFE = new RegExp(`${STYLE_MARK}([0-9;]+)m|[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f${STEERING_BEYOND_C0}]|\\r(?!\\n)`, 'g');

/**
 * Text as it may reach a terminal: every steering character becomes a visible escape (`\x1b`,
 * `\u009b`, `\u202e`), and only then do style marks become escape sequences. Where those
 * characters can be in JSON output at all (DEL, C1 and bidi controls inside strings: C0 is
 * escaped by JSON.stringify), `\uXXXX` is JSON's own escape of them, so JSON stays exact.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (found, sgr: string | undefined) => (sgr !== undefined ? `\u001b[${sgr}m` : escape(found.charCodeAt(0))));
}

function escape(code: number): string {
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
