import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { GitObject } from '../plan/git-objects.js';
import type { PushAction } from '../plan/push-target.js';
import { verifyRevision } from '../state/git/resolve-revisions.js';
import { git } from '../state/git/run-git.js';
import { scratchDir } from '../state/scratch-dir.js';
import { fileSystemError } from './file-system-error.js';
import { parsePushRejection, type PushRejection } from './push-rejection.js';

/**
 * Every write apply makes to a repository: objects into the object store, refs moved by
 * compare-and-swap, atomic pushes. Never the work tree, the index or the stash. No hook
 * runs on any of them (run-git silences hooks) except a push the policy lets run them; the
 * remote's own hooks always run there.
 */
export const ZERO_OID = '0'.repeat(40);

/** The order objects are written in: what a tree, commit or tag points to comes first. */
export const WRITE_ORDER = ['blob', 'tree', 'commit', 'tag'] as const;

/**
 * Stores the objects, one `git hash-object --stdin-paths` for all objects of a type: their
 * bytes go to files in a scratch directory first. `--no-filters`: a path on --stdin-paths
 * would otherwise take the repository's clean filters and line-ending conversion, and the
 * stored bytes would be other than the planned ones.
 */
export async function writeObjects(repo: string, objects: readonly GitObject[]): Promise<void> {
  if (objects.length === 0) return;
  const scratch = await scratchDir('hotfix-write-', 'writing objects', 'HF422');
  try {
    for (const type of WRITE_ORDER) {
      const ofType = objects.filter((o) => o.type === type);
      if (ofType.length === 0) continue;
      const files = ofType.map((_, index) => join(scratch, `${type}-${index}`));
      for (const [index, object] of ofType.entries()) await writeFile(files[index]!, Buffer.from(object.content, 'base64')).catch((error: unknown) => fileSystemError(error, 'write the object to store to', files[index]!, 'HF422'));
      const { stdout } = await git(repo, ['hash-object', '-t', type, '-w', '--no-filters', '--stdin-paths'], { input: files.map((file) => `${quotedPath(file)}\n`).join('') });
      const stored = stdout.split('\n');
      for (const [index, object] of ofType.entries()) {
        if (stored[index] !== object.id)
          throw new HotfixError([diagnostic('HF406', `git stored the ${object.type} as ${(stored[index] ?? '').slice(0, 12)}, not ${object.id.slice(0, 12)} as planned; nothing was published`)]);
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * A path as --stdin-paths reads it whatever it holds (TMPDIR may name a directory with a
 * line break): C-quoted, every byte outside printable ASCII as an octal escape.
 */
function quotedPath(path: string): string {
  let out = '"';
  for (const byte of Buffer.from(path, 'utf8')) {
    if (byte === 0x22 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out}"`;
}

export interface RefUpdate {
  readonly ref: string;
  readonly sha: string;
  /** The value the ref must have now; null when it must not exist. */
  readonly old: string | null;
}

/**
 * One `git update-ref --stdin` transaction: all the refs move, or none does. `--no-deref`:
 * a symbolic ref is never followed into the branch it names (apply refuses symbolic refs
 * before it writes anything; this holds even if one appears since).
 */
export async function updateRefs(repo: string, updates: readonly RefUpdate[]): Promise<void> {
  const input = ['start', ...updates.map((u) => `update ${u.ref} ${u.sha} ${u.old ?? ZERO_OID}`), 'prepare', 'commit', ''].join('\n');
  await git(repo, ['update-ref', '--no-deref', '--stdin'], { input }).catch((error: HotfixError) => {
    throw new HotfixError([diagnostic('HF407', `could not move ${updates.map((u) => u.ref).join(', ')}: ${error.diagnostics[0]?.message ?? String(error)}`)]);
  });
}

/**
 * What user, system or repository config could add to a push: tags that follow, submodule
 * pushes, push options a server hook acts on, a signature, a negotiation fetch. Config on
 * the command line outranks every file; the flags below say the same again. The remote's
 * own settings (mirror, push refspecs, receivepack, vcs) do not apply: the push goes to
 * the URL, not to the remote by name.
 */
const PUSH_CONFIG = ['push.followTags=false', 'push.recurseSubmodules=no', 'push.pushOption=', 'push.gpgSign=false', 'push.negotiate=false', 'submodule.recurse=false'];
const PUSH_FLAGS = ['--atomic', '--porcelain', '--no-follow-tags', '--recurse-submodules=no', '--no-signed'];

/**
 * Pushes exactly the action's refs (never forced) to the URL the plan shows. Returns what
 * the remote refused (pushRejection words it), or undefined when it took every ref.
 */
export async function tryPush(repo: string, action: PushAction, signal?: AbortSignal): Promise<PushRejection | undefined> {
  const args = ['push', ...PUSH_FLAGS, ...(action.runHooks ? [] : ['--no-verify']), '--end-of-options', action.url, ...action.refs.map((r) => `${r.sha}:${r.ref}`)];
  const result = await git(repo, args, { okCodes: [1, 128], config: PUSH_CONFIG, runHooks: action.runHooks, network: true, ...(signal ? { signal } : {}) });
  return result.code === 0 ? undefined : parsePushRejection(result.stdout, result.stderr);
}

/** Where the remote's refs are now, for exactly the refs named (ls-remote matches by tail). */
export async function remoteRefs(repo: string, url: string, refs: readonly string[]): Promise<Map<string, string> | undefined> {
  const result = await git(repo, ['ls-remote', '--end-of-options', url, ...refs], { okCodes: [1, 128], network: true });
  if (result.code !== 0) return undefined;
  return new Map(result.stdout.split('\n').filter(Boolean).map((line) => [line.split('\t')[1]!, line.split('\t')[0]!]));
}

/** The remote's branch, its commits fetched (no ref written) when this repository lacks them. */
export async function fetchRemoteBranch(repo: string, url: string, branch: string): Promise<string | undefined> {
  const ref = `refs/heads/${branch}`;
  const { stdout } = await git(repo, ['ls-remote', '--', url, ref], { network: true });
  const sha = stdout.split('\n').map((l) => l.split('\t')).find(([, name]) => name === ref)?.[0];
  if (sha) await fetchIfMissing(repo, url, ref, sha);
  return sha;
}

/** The remote's object at its ref (a commit, or an annotated tag), fetched with what it needs when this repository lacks it; no ref written. */
export async function fetchIfMissing(repo: string, url: string, ref: string, sha: string): Promise<void> {
  if (!(await verifyRevision(repo, `${sha}^{object}`))) await git(repo, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, ref], { network: true });
}
