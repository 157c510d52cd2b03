import { execFile } from 'node:child_process';
import { HotfixError } from '../../diagnostics/errors.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';

/**
 * Runs system git with an argument array (never a shell), isolated from the user's
 * pager, colours and language so its output is parseable. Read commands only: the
 * writing side lives in apply/.
 */
export const GIT_ENV = {
  LC_ALL: 'C',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  GIT_OPTIONAL_LOCKS: '0',
} as const;

const GIT_CONFIG = ['-c', 'color.ui=false', '-c', 'core.quotepath=false', '-c', 'log.showSignature=false'];

export interface GitOptions {
  readonly input?: string | Buffer;
  /** Exit codes that are answers rather than failures (e.g. 1 from `rev-parse --verify -q`). */
  readonly okCodes?: readonly number[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
}

export function git(repo: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...GIT_CONFIG, ...args],
      { cwd: repo, env: { ...process.env, ...GIT_ENV, ...options.env }, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (code === 0 || options.okCodes?.includes(code)) return resolve({ code, stdout });
        const what = stderr.trim().split('\n').pop() || (error?.message ?? 'unknown error');
        reject(new HotfixError([diagnostic('HF204', `git ${args[0]} failed in ${repo}: ${what}`)]));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
