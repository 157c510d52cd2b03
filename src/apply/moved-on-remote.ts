import { HotfixError } from '../diagnostics/errors.js';
import { reviewBaseOf } from '../plan/rederive-rule.js';
import type { Plan } from '../plan/types.js';
import { isAncestor } from '../state/git/read.js';
import { fetchRemoteBranch } from './git-write.js';
import { nextStep, rederiveOnto } from './moved-branches.js';
import { refEffect } from './ref-effects.js';
import { repoPath, type Facts } from './verify-preconditions.js';

/**
 * Before anything is written: the merge-back at `index`, when its branch moved on the remote
 * the plan pushes it to since this clone last fetched (a teammate's push this clone has not
 * seen), is judged on that head too, by the plan's rule, in the rehearsal's stand-in that
 * holds the hotfix commits: one that conflicts or would bring in other commits is HF417 now,
 * not after production is deployed. Only that branch's commits are fetched (no ref moves).
 * A clean one is left to the push, which is refused as non-fast-forward and makes it again on
 * the head it fetches then (push-moved.ts); so is a remote that does not answer, which the
 * push reports in its own words.
 */
export async function judgeOnRemote(sealed: Plan, current: Plan, index: number, repos: Facts['repos'], standIn: string): Promise<void> {
  const merge = current.actions[index]!;
  if (merge.kind !== 'merge' || merge.rederive === undefined || reviewBaseOf(current, merge) !== undefined) return;
  const ref = refEffect(merge)!.ref;
  const push = current.actions.find((a) => a.kind === 'push' && a.repo === merge.repo && a.refs.some((r) => r.ref === ref && r.sha === merge.commit));
  if (push?.kind !== 'push') return;
  const repo = repoPath(repos, merge.repo);
  const head = await fetchRemoteBranch(repo, push.url, merge.into).catch((error: unknown) => {
    if (error instanceof HotfixError) return undefined;
    throw error;
  });
  // Where this clone's head is, or behind it (commits here not pushed yet): the push fast-forwards.
  if (head === undefined || head === merge.parents[0] || (await isAncestor(repo, head, merge.parents[0]))) return;
  await rederiveOnto(sealed, merge.id, repo, head, nextStep(sealed, false), standIn);
}
