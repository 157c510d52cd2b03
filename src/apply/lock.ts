import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
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
 * whole under a temporary name and linked into place, so two processes cannot both take it
 * and a crash never leaves a half-written lock. A holder whose process is gone (same host,
 * dead pid), or a lock that cannot be read, is broken only when asked (--break-lock).
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
    if (await createLock(file, me)) return file;
    const holder = await readHolder(file);
    if (holder === 'gone') continue; // released between our attempt and the read
    const refusal = holder === 'unreadable' ? unreadableLock(repo, file) : holderProblem(repo, holder, me.host);
    if (refusal.stale && breakStale) await rm(file, { force: true });
    else throw new HotfixError([diagnostic('HF412', refusal.message)]);
  }
  throw new HotfixError([diagnostic('HF412', `${repo}: the lock changed hands while it was broken; try again`)]);
}

/**
 * Writes the lock under a name of its own, then links it into place: link(2) fails when
 * the lock exists, and the lock appears with its content or not at all.
 */
async function createLock(file: string, me: Holder): Promise<boolean> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(me) + '\n');
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function readHolder(file: string): Promise<Holder | 'unreadable' | 'gone'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const holder = JSON.parse(text) as Partial<Holder> | null;
    const valid = typeof holder?.owner === 'string' && Number.isSafeInteger(holder.pid) && holder.pid! > 0 && typeof holder.host === 'string' && typeof holder.since === 'string' && typeof holder.plan === 'string';
    return valid ? (holder as Holder) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

interface Refusal {
  /** Whether --break-lock may take the lock over. */
  readonly stale: boolean;
  readonly message: string;
}

function holderProblem(repo: string, holder: Holder, host: string): Refusal {
  const who = `${holder.owner}@${holder.host} (pid ${holder.pid}, since ${holder.since}, plan ${holder.plan.slice(0, 19)}…)`;
  return holder.host === host && !alive(holder.pid)
    ? { stale: true, message: `${repo} is locked by ${who}, whose process is gone; pass --break-lock to take it over` }
    : { stale: false, message: `${repo} is locked by another apply: ${who}; wait for it to finish` };
}

/** Written by no apply of this version (they link a whole file): an older crash, or damage. */
function unreadableLock(repo: string, file: string): Refusal {
  return { stale: true, message: `${repo} is locked by ${file}, which does not say who holds it; make sure no other apply runs on it, then pass --break-lock to take it over` };
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
