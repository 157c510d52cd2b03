import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';

/**
 * A failed file-system call of apply (a full disk, no permission, too many open files, a
 * file where a directory must be) as a coded error naming the file, not an internal error:
 * HF421 for its lock and journal in the git directory, HF422 for anything else.
 */
export function fileSystemError(error: unknown, what: string, path: string, code: 'HF421' | 'HF422' = 'HF421'): never {
  if (error instanceof HotfixError) throw error;
  throw new HotfixError([diagnostic(code, `could not ${what} ${path}: ${fsErrorWords(error)}`)]);
}
