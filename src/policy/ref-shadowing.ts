import type { Policy } from './types.js';

/**
 * Git finds a short name such as `origin/main` by trying `$GIT_DIR/NAME`, `refs/NAME`,
 * `refs/tags/NAME`, `refs/heads/NAME`, `refs/remotes/NAME` and `refs/remotes/NAME/HEAD` in
 * turn (gitrevisions(7)). A new branch or tag that another of those also matches makes the
 * name ambiguous ("refname is ambiguous"), and `git checkout origin/main` may take the new
 * branch for the remote's. Pure.
 */
export function shadowProblem(name: string, remotes: readonly string[]): string | undefined {
  const first = name.split('/')[0]!;
  if (first === 'refs') return 'it starts with "refs/", so git reads it as a full ref name';
  // HEAD, FETCH_HEAD, ORIG_HEAD, MERGE_HEAD, CHERRY_PICK_HEAD…: files in the git directory.
  if (/^[A-Z_]*HEAD$/.test(first)) return `${name === first ? 'it is' : 'its first part is'} "${first}", a name git keeps for its own HEAD refs`;
  if (NAMESPACES.includes(first)) return `it starts with "${first}/", so it also names refs/${name}`;
  const remote = remotes.find((r) => name === r || name.startsWith(`${r}/`));
  if (remote === undefined) return undefined;
  return name === remote
    ? `it is the name of remote ${remote}, which git reads as that remote's default branch`
    : `it starts with "${remote}/" like the branches of remote ${remote}, so "git checkout ${remote}/…" would be ambiguous`;
}

/** The directories under refs/ that git and its tools fill. */
const NAMESPACES: readonly string[] = ['heads', 'tags', 'remotes', 'notes'];

/** The remotes a policy's names must not shadow, as far as the policy tells: git.remote, and origin, which git clone names. */
export function policyRemotes(policy: Policy): string[] {
  return [...new Set(['origin', policy.spec.git?.remote ?? 'origin'])];
}
