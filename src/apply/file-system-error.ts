import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';

/**
 * A failed file-system call of apply (a full disk, no permission, too many open files, a
 * file where a directory must be) as a coded error naming the file, not an internal error.
 */
export function fileSystemError(error: unknown, what: string, path: string): never {
  if (error instanceof HotfixError) throw error;
  throw new HotfixError([diagnostic('HF421', `could not ${what} ${path}: ${fsErrorWords(error)}`)]);
}
