import { randomUUID } from 'node:crypto';
import { link, lstat, mkdir, readFile, readlink, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { commonGitDir } from '../state/git/read.js';
import { fileSystemError } from './file-system-error.js';

interface Holder {
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly plan: string;
  /** When the holder's process started (Linux: /proc/PID/stat), to tell a reused pid from it. */
  readonly started?: string;
}

/**
 * One apply at a time per repository: a lock file in the repository's git directory, made
 * whole under a temporary name and linked into place, so two processes cannot both take it
 * and a crash never leaves a half-written lock. A lock whose holder is gone (this host, no
 * such pid) is taken over; anything else that is not a live apply (another host's, a pid
 * now another process's, a file nobody wrote, a directory or a link in its place) only
 * with --break-lock.
 */
export class RepoLocks {
  private constructor(private readonly files: readonly string[]) {}

  static async acquire(repos: readonly string[], planId: string, breakLock: boolean): Promise<RepoLocks> {
    const taken: string[] = [];
    try {
      // Sorted, so two applies over the same repositories take them in the same order.
      for (const repo of [...new Set(repos)].sort()) taken.push(await lockOne(repo, planId, breakLock));
    } catch (error) {
      await Promise.all(taken.map((f) => unlock(f)));
      throw error;
    }
    return new RepoLocks(taken);
  }

  async release(): Promise<void> {
    await Promise.all(this.files.map((f) => unlock(f)));
  }

  /**
   * Removes the locks an apply left when it was killed after its last journal record: a rerun
   * then has nothing to do and takes no lock, so without this the dead one would stay. Only
   * a lock whose holder is gone (this host, no such pid) goes; any other is left as it is.
   */
  static async clearAbandoned(repos: readonly string[]): Promise<void> {
    for (const repo of [...new Set(repos)].sort()) {
      const file = await lockFileOf(repo);
      const found = await inspect(repo, file, hostname());
      if (found.kind !== 'dead') continue;
      await takeAway(file, found.content);
      await rmdir(dirname(file)).catch(() => undefined);
    }
  }
}

async function lockFileOf(repo: string): Promise<string> {
  return join(await commonGitDir(repo), 'hotfix', 'apply.lock');
}

async function lockOne(repo: string, planId: string, breakLock: boolean): Promise<string> {
  const file = await lockFileOf(repo);
  const dir = dirname(file);
  await mkdir(dir, { recursive: true }).catch((error) => fileSystemError(error, 'create the lock directory', dir));
  let me: Holder = { owner: userInfo().username, pid: process.pid, host: hostname(), since: new Date().toISOString(), plan: planId };
  const started = await startTime(process.pid);
  if (started !== undefined) me = { ...me, started };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createLock(file, me)) return file;
    const found = await inspect(repo, file, me.host);
    if (found.kind === 'gone') continue; // released between our attempt and the look
    if (found.kind === 'live') throw new LockHeld(found.message, found.holder);
    if (found.kind === 'needs --break-lock' && !breakLock) throw found.holder ? new LockHeld(`${found.message}; pass --break-lock to take it over`, found.holder) : new HotfixError([diagnostic('HF412', `${found.message}; pass --break-lock to take it over`)]);
    await takeAway(file, found.content);
  }
  throw new HotfixError([diagnostic('HF412', `${repo}: the lock changed hands while it was taken over; try again`)]);
}

/**
 * The lock is another apply's (this host's, alive; or another host's, which may be): the
 * one refusal `apply --wait-lock` waits out. `holder` names it as a waiting line shows it.
 */
export class LockHeld extends HotfixError {
  constructor(
    message: string,
    readonly holder: string,
  ) {
    super([diagnostic('HF412', message)]);
  }
}

type Found =
  | { readonly kind: 'gone' }
  | { readonly kind: 'live'; readonly message: string; readonly holder: string }
  /** Its holder's process is gone: taken over without being asked. */
  | { readonly kind: 'dead'; readonly content: string }
  | { readonly kind: 'needs --break-lock'; readonly message: string; readonly content: string | undefined; readonly holder?: string };

/** What holds the lock, from the file system and the process table. */
async function inspect(repo: string, file: string, host: string): Promise<Found> {
  const info = await lstat(file).catch(() => undefined);
  if (!info) return { kind: 'gone' };
  if (info.isSymbolicLink()) return { kind: 'needs --break-lock', content: undefined, message: `${repo} is locked by ${file}, a symbolic link (to ${await readlink(file).catch(() => '?')}) that no apply makes` };
  if (!info.isFile()) return { kind: 'needs --break-lock', content: undefined, message: `${repo} is locked by ${file}, which is not a file (a ${info.isDirectory() ? 'directory' : 'special file'}) and no apply makes` };
  const content = await readFile(file, 'utf8').catch(() => undefined);
  if (content === undefined) return { kind: 'gone' };
  const holder = parseHolder(content);
  if (!holder) return { kind: 'needs --break-lock', content, message: `${repo} is locked by ${file}, which does not say who holds it; make sure no other apply runs on it` };
  const who = `${holder.owner}@${holder.host} (pid ${holder.pid}, since ${holder.since}, plan ${holder.plan.slice(0, 19)}…)`;
  if (holder.host !== host) return { kind: 'needs --break-lock', content, holder: `${repo}, held by ${who}`, message: `${repo} is locked by ${who}, on another host, so whether it still runs cannot be told from here; make sure it does not` };
  if (!alive(holder.pid)) return { kind: 'dead', content };
  const started = await startTime(holder.pid);
  if (holder.started !== undefined && started !== undefined && started !== holder.started)
    return { kind: 'needs --break-lock', content, message: `${repo} is locked by ${who}, whose pid now belongs to another process (the holder's ended); make sure no other apply runs on it` };
  return { kind: 'live', holder: `${repo}, held by ${who}`, message: `${repo} is locked by another apply: ${who}; wait for it to finish` };
}

/**
 * Removes what was looked at, and only that: it is renamed away first (a file, a link or a
 * directory alike) and compared, so a lock another apply took in the meantime is put back.
 */
async function takeAway(file: string, looked: string | undefined): Promise<void> {
  const aside = `${file}.${randomUUID()}.old`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    fileSystemError(error, 'take over the lock', file);
  }
  if (looked !== undefined && (await readFile(aside, 'utf8').catch(() => undefined)) !== looked) await link(aside, file).catch(() => undefined);
  await rm(aside, { recursive: true, force: true });
}

/**
 * Writes the lock under a name of its own, then links it into place: link(2) fails when
 * anything is at that name (a link is not followed), and the lock appears with its content
 * or not at all.
 */
async function createLock(file: string, me: Holder): Promise<boolean> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(me) + '\n').catch((error) => fileSystemError(error, 'write the lock', temporary));
  try {
    await link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fileSystemError(error, 'take the lock', file);
    return false;
  } finally {
    await rm(temporary, { force: true });
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const holder = JSON.parse(text) as Partial<Holder> | null;
    const valid = typeof holder?.owner === 'string' && Number.isSafeInteger(holder.pid) && holder.pid! > 0 && typeof holder.host === 'string' && typeof holder.since === 'string' && typeof holder.plan === 'string' && (holder.started === undefined || typeof holder.started === 'string');
    return valid ? (holder as Holder) : undefined;
  } catch {
    return undefined;
  }
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

/** The start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), where there is a /proc. */
async function startTime(pid: number): Promise<string | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}
