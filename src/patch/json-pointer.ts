import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';

/** RFC 6901: `/a~1b/0` is the tokens `a/b` and `0`; the empty pointer is the whole document. */
export function parsePointer(pointer: string): readonly string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new HotfixError([diagnostic('HF321', `"${pointer}" is not a JSON pointer: it must start with "/"`)]);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(tokens: readonly (string | number)[]): string {
  // `~` first, so the `~` that escaping `/` introduces is not escaped again.
  return tokens.map((token) => `/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** The array index a token names, or undefined (RFC 6901 allows no sign and no leading zero). */
export function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}
