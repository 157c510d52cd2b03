import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { objectId } from '../../plan/git-objects.js';

/**
 * Git's loose object store (gitformat-loose): an object is the zlib of `type size\0content`
 * in `objects/xx/<the other 38 hex digits of its id>`, and its id the hash of those bytes.
 * hotfix puts files there itself in two places only, each where a git process per object
 * would cost more than the work it serves: the objects its rehearsal made and checked
 * (rehearsed-objects.ts), and the fixed throwaway commits of a merge simulation.
 */

/** The file of an object in an object directory, as `xx/yyyy…`. */
export function looseName(id: string): string {
  return `${id.slice(0, 2)}/${id.slice(2)}`;
}

/** The type of the object loose object bytes hold, when they hold the one `id` names (they inflate to bytes that hash to it); else undefined. */
export function looseObjectType(bytes: Buffer, id: string): string | undefined {
  try {
    const raw = inflateSync(bytes);
    if (createHash(id.length === 64 ? 'sha256' : 'sha1').update(raw).digest('hex') !== id) return undefined;
    return /^(blob|tree|commit|tag) /.exec(raw.subarray(0, 7).toString('latin1'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Puts loose object bytes at their place in `objects` unless an object is there already:
 * written beside it and renamed into it, so a reader never sees half an object, and one left
 * by a crash is named as git names its own temporary files, which git prune removes.
 * Permissions as git's core.sharedRepository gives them, read from the object directory
 * it set up: a new fan-out directory in a shared or private one takes that directory's
 * mode (group-writable and setgid where shared), else the umask's; an object the
 * directory's read bits only (0444, or 0400 in a private one). Throws what the file
 * system says.
 */
export async function putLooseFile(objects: string, name: string, bytes: Buffer): Promise<void> {
  const target = join(objects, name);
  const there = () => stat(target).then(() => true, () => false);
  if (await there()) return;
  // One name per writer: two writers of one object never remove or rename each other's file.
  const partial = join(dirname(target), `tmp_obj_hotfix_${basename(target)}_${process.pid}_${randomBytes(4).toString('hex')}`);
  try {
    const mode = (await stat(objects)).mode & 0o7777;
    const made = await mkdir(dirname(target), { recursive: true });
    // Shared (setgid, as git makes a group-shared one) or private (no bits for others): the
    // object directory's mode, past the umask. Otherwise the umask's, as git leaves it.
    if (made !== undefined && ((mode & 0o2000) !== 0 || (mode & 0o077) === 0)) await chmod(made, mode);
    await writeFile(partial, bytes, { mode: 0o444 & mode });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    // Another writer put the same object there first: the same bytes, so done.
    if (await there()) return;
    throw error;
  }
}

/** Stores a commit whose bytes hotfix fixes itself (SHA-1 repositories: hotfix refuses others) and returns its id. */
export async function putCommit(objects: string, content: string): Promise<string> {
  const body = Buffer.from(content, 'utf8');
  const id = objectId('commit', body);
  await putLooseFile(objects, looseName(id), deflateSync(Buffer.concat([Buffer.from(`commit ${body.length}\0`), body])));
  return id;
}
