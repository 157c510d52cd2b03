import { mkdir, open, readFile, rm, rmdir } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { commonGitDir } from '../state/git/read.js';

interface Holder {
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly plan: string;
}

/**
 * One apply at a time per repository: a lock file in the repository's git directory, made
 * with O_EXCL so two processes cannot both take it. A holder whose process is gone (same
 * host, dead pid) is stale, and is broken only when asked (--break-lock).
 */
export class RepoLocks {
  private constructor(private readonly files: readonly string[]) {}

  static async acquire(repos: readonly string[], planId: string, breakStale: boolean): Promise<RepoLocks> {
    const taken: string[] = [];
    try {
      // Sorted, so two applies over the same repositories take them in the same order.
      for (const repo of [...new Set(repos)].sort()) taken.push(await lockOne(repo, planId, breakStale));
    } catch (error) {
      await Promise.all(taken.map((f) => unlock(f)));
      throw error;
    }
    return new RepoLocks(taken);
  }

  async release(): Promise<void> {
    await Promise.all(this.files.map((f) => unlock(f)));
  }
}

async function lockOne(repo: string, planId: string, breakStale: boolean): Promise<string> {
  const dir = join(await commonGitDir(repo), 'hotfix');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'apply.lock');
  const me: Holder = { owner: userInfo().username, pid: process.pid, host: hostname(), since: new Date().toISOString(), plan: planId };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(JSON.stringify(me) + '\n');
      await handle.close();
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(file, 'utf8').then((t) => JSON.parse(t) as Holder).catch(() => undefined);
    const stale = holder !== undefined && holder.host === me.host && !alive(holder.pid);
    const who = holder ? `${holder.owner}@${holder.host} (pid ${holder.pid}, since ${holder.since}, plan ${holder.plan.slice(0, 19)}…)` : 'an unreadable lock';
    if (!stale || !breakStale)
      throw new HotfixError([diagnostic('HF412', stale ? `${repo} is locked by ${who}, whose process is gone; pass --break-lock to take it over` : `${repo} is locked by another apply: ${who}; wait for it to finish`)]);
    await rm(file, { force: true });
  }
  throw new HotfixError([diagnostic('HF412', `${repo}: the lock changed hands while it was broken; try again`)]);
}

/** Removes the lock, and its directory when nothing else (a journal) is in it. */
async function unlock(file: string): Promise<void> {
  await rm(file, { force: true });
  await rmdir(dirname(file)).catch(() => undefined);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
