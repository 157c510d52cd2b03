import type { Quote } from './string-literal-at.js';

/**
 * Source text for a string literal in the given quotes. Escaped: the quote, the backslash,
 * `${` in a template, and every control character and line break, which would end a
 * quoted literal or, in a template, be kept (a CR even turned into an LF).
 */
export function literalText(value: string, quote: Quote): string {
  const special = new RegExp(`[\\\\${quote}\\x00-\\x1f\\x7f\\u2028\\u2029]${quote === '`' ? '|\\$(?=\\{)' : ''}`, 'g');
  return `${quote}${value.replace(special, escape)}${quote}`;
}

const NAMED: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '\v': '\\v' };

function escape(char: string): string {
  const code = char.charCodeAt(0);
  if (NAMED[char] !== undefined) return NAMED[char];
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code > 0xff) return `\\u${code.toString(16)}`;
  // The quote, or the `$` of `${`.
  return `\\${char}`;
}
