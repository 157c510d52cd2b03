/**
 * The commits a commit message says it rolls back: `This reverts commit SHA.` as `git revert`
 * writes it (GitHub's and GitLab's revert buttons too, for a merge with `, reversing changes
 * made to …` after it), and hotfix's own set-previous rollback, `IMAGE was deployed by SHA.`.
 * Ids as written, possibly abbreviated. Pure.
 */
export function rolledBackCommits(body: string): string[] {
  const ids = [...body.matchAll(/This reverts commit ([0-9a-f]{7,64})\b/g), ...body.matchAll(/^\S+ was deployed by ([0-9a-f]{40})\.$/gm)].map((m) => m[1]!);
  return [...new Set(ids)];
}

/** Whether `id` (as a message wrote it, maybe abbreviated) names the commit `sha`. */
export function namesCommit(id: string, sha: string): boolean {
  return id.length >= 7 && sha.startsWith(id);
}
