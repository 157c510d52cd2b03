import type { CatFileBatch } from './cat-file.js';
import { resolveCommit } from './read.js';
import { git } from './run-git.js';

/**
 * A branch's tip and the ref it was read from: the local branch, else the remote-tracking
 * branch of `remote`. A CI runner's fresh clone has only the branch it checked out locally
 * and the others as `origin/*`; those hold the commits a containment check walks, which an
 * ls-remote of the URL would name but not bring, and they cost no network. A local branch
 * wins: it is the one a person of this clone works on. Resolved by `blobs` where the caller
 * has that process for the repository already (one git process fewer).
 */
export async function branchTip(repo: string, branch: string, remote: string, blobs?: CatFileBatch): Promise<{ readonly sha: string; readonly ref: string } | undefined> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/${remote}/${branch}`]) {
    const sha = blobs ? await blobs.commitOf(ref) : await resolveCommit(repo, ref);
    if (sha) return { sha, ref };
  }
  return undefined;
}

/**
 * The remote-tracking branches of `remote` that have no local branch of their name, by
 * their short name: what a fresh clone holds of the branches an earlier run pushed.
 */
export async function trackedOnly(repo: string, remote: string, local: readonly string[]): Promise<string[]> {
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname)', `refs/remotes/${remote}/`]);
  const prefix = `refs/remotes/${remote}/`;
  const mine = new Set(local);
  return stdout.split('\n').filter((ref) => ref.startsWith(prefix) && ref !== `${prefix}HEAD`).map((ref) => ref.slice(prefix.length)).filter((name) => !mine.has(name));
}
