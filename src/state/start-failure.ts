import { statSync } from 'node:fs';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fsErrorWords, startFailureWords } from '../diagnostics/fs-error-words.js';

/**
 * A program (git, kubectl) that could not be started, as a coded error instead of Node's
 * `spawn git ENOENT`. The error is the same when the program is missing and when the
 * directory it was to run in is (ENOENT), or is a loop of links (ELOOP): the directory is
 * looked at to say which.
 */
export function startFailure(error: unknown, program: string, { cwd, purpose }: { cwd?: string; purpose?: string } = {}): HotfixError {
  if (error instanceof HotfixError) return error;
  const problem = cwd !== undefined ? directoryProblem(cwd) : undefined;
  if (problem !== undefined) return new HotfixError([diagnostic('HF224', `could not run ${program} in ${cwd}: ${problem}`)]);
  return new HotfixError([diagnostic('HF225', `${startFailureWords(error, program)}${purpose ? `; it is needed to ${purpose}` : ''}`)]);
}

function directoryProblem(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : 'it is not a directory';
  } catch (error) {
    return fsErrorWords(error);
  }
}
