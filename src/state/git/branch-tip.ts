import { resolveCommit } from './read.js';

/**
 * A branch's tip and the ref it was read from: the local branch, else the remote-tracking
 * branch of `remote`. A CI runner's fresh clone has only the branch it checked out locally
 * and the others as `origin/*`; those hold the commits a containment check walks, which an
 * ls-remote of the URL would name but not bring, and they cost no network. A local branch
 * wins: it is the one a person of this clone works on.
 */
export async function branchTip(repo: string, branch: string, remote: string): Promise<{ readonly sha: string; readonly ref: string } | undefined> {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/${remote}/${branch}`]) {
    const sha = await resolveCommit(repo, ref);
    if (sha) return { sha, ref };
  }
  return undefined;
}
