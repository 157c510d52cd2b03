import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { GitObject } from '../plan/git-objects.js';
import { git } from '../state/git/run-git.js';

/**
 * Every write apply makes to a repository: objects into the object store, refs moved by
 * compare-and-swap, atomic pushes. Never the work tree, the index or the stash.
 */
export const ZERO_OID = '0'.repeat(40);

/**
 * Hooks never run on apply's own writes: an empty hooks path silences even the
 * reference-transaction hook that `update-ref` would fire. Pushes run the client hooks
 * only when the policy allows (git.allowHooks); the remote's own hooks always run there.
 */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

export async function writeObjects(repo: string, objects: readonly GitObject[]): Promise<void> {
  for (const object of objects) {
    const { stdout } = await git(repo, [...NO_HOOKS, 'hash-object', '-t', object.type, '-w', '--stdin'], { input: Buffer.from(object.content, 'base64') });
    if (stdout.trim() !== object.id)
      throw new HotfixError([diagnostic('HF406', `git stored the ${object.type} as ${stdout.trim().slice(0, 12)}, not ${object.id.slice(0, 12)} as planned; nothing was published`)]);
  }
}

export interface RefUpdate {
  readonly ref: string;
  readonly sha: string;
  /** The value the ref must have now; null when it must not exist. */
  readonly old: string | null;
}

/** One `git update-ref --stdin` transaction: all the refs move, or none does. */
export async function updateRefs(repo: string, updates: readonly RefUpdate[]): Promise<void> {
  const input = ['start', ...updates.map((u) => `update ${u.ref} ${u.sha} ${u.old ?? ZERO_OID}`), 'prepare', 'commit', ''].join('\n');
  await git(repo, [...NO_HOOKS, 'update-ref', '--stdin'], { input }).catch((error: HotfixError) => {
    throw new HotfixError([diagnostic('HF407', `could not move ${updates.map((u) => u.ref).join(', ')}: ${error.diagnostics[0]?.message ?? String(error)}`)]);
  });
}

export async function push(repo: string, remote: string, refs: readonly { ref: string; sha: string }[], runHooks: boolean): Promise<void> {
  const args = [...(runHooks ? [] : NO_HOOKS), 'push', '--atomic', '--porcelain', ...(runHooks ? [] : ['--no-verify']), '--end-of-options', remote, ...refs.map((r) => `${r.sha}:${r.ref}`)];
  const result = await git(repo, args, { okCodes: [1, 128] }).catch((error: HotfixError) => ({ code: 128, stdout: error.diagnostics[0]?.message ?? '' }));
  if (result.code === 0) return;
  // --porcelain prints one line per ref: "!<TAB>src:dst<TAB>[rejected] (why)".
  const reasons = result.stdout.split('\n').filter((l) => l.startsWith('!')).map((l) => l.split('\t').slice(1).join(' '));
  const why = reasons.length > 0 ? reasons.join('; ') : result.stdout.trim().split('\n').pop() || 'the remote could not be reached';
  throw new HotfixError([diagnostic('HF408', `push to ${remote} was rejected: ${why}. The local branch is in place; push it by hand once the remote accepts it.`)]);
}
