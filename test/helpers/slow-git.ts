import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tempDir } from './temp-dir.js';

/** A `git` first on PATH that hangs instead of running the commands whose arguments hold some words. */
export interface SlowGit {
  /** What to run hotfix with: the slow git, then the caller's path. */
  readonly path: string;
  /** The process ids of the git commands that hang, as they started. */
  pids(): number[];
}

/**
 * `git` whose invocations with `words` in their arguments (joined by spaces) record their
 * pid and become a `sleep` in that same process (exec): a git that takes as long as a huge
 * repository would. Every other invocation runs the real git.
 */
export function slowGit(words: string): SlowGit {
  const dir = join(tempDir('hotfix-slow-git-'), 'bin');
  mkdirSync(dir);
  const log = join(dir, '..', 'pids');
  const real = process.env.PATH ?? '';
  writeFileSync(
    join(dir, 'git'),
    `#!/bin/sh\ncase "$*" in\n  *'${words}'*) echo $$ >> '${log}'; exec sleep 600;;\nesac\nPATH='${real}' exec git "$@"\n`,
  );
  chmodSync(join(dir, 'git'), 0o755);
  return {
    path: `${dir}${delimiter}${real}`,
    pids: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map(Number) : []),
  };
}

/** Whether a process runs: a zombie (ended, not yet collected by a parent that is gone) does not. */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
