import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Action, Plan } from '../plan/types.js';
import { git } from '../state/git/run-git.js';
import { isAncestor } from '../state/git/read.js';
import { shellWord } from '../plan/shell-word.js';
import { isDone, refEffect, refKey } from './ref-effects.js';
import { remoteRefs } from './git-write.js';
import { refValue, repoPath, type Facts } from './verify-preconditions.js';

/**
 * The journal only says which actions finished; before apply skips one (or calls the plan
 * complete), its result must still be there: the local ref at the planned value, the
 * remote refs at the pushed ones. A branch that moved on past that value still holds it.
 * One finding per action whose result is missing or cannot be checked.
 */
export async function journalContradictions(plan: Plan, done: ReadonlySet<string>, repos: Facts['repos'], checkedOut: ReadonlyMap<string, string>, superseded: ReadonlySet<string> = new Set()): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const review = reviewBranches(plan);
  for (const [index, action] of plan.actions.entries()) {
    if (!done.has(action.id)) continue;
    const problem = action.kind === 'push' ? await pushMissing(action, repos, review) : await refMissing(plan.actions, index, repos, checkedOut, review, superseded);
    if (problem) out.push(diagnostic('HF414', `the journal of this plan records ${action.id} as done, but ${problem}; then make the plan again${plan.request.kind === 'hotfix' ? AFTER_HOTFIX : ''}`));
  }
  return out;
}

// What a re-plan does with the hotfix branch and tag an apply made: the way out of a moved ref.
const AFTER_HOTFIX = ': plan hotfix adopts the hotfix branch and tag where they still match (cut from the deployed commit, the same picks by patch-id) and plans only the steps left';

/**
 * The branches a hotfix plan pushes for a pull request (git.via pull-request): once one is
 * merged, the forge deletes the branch (GitHub's "automatically delete head branches") and
 * so may the person, locally, while apply has merge-backs to confirm. A rollback has nothing
 * left to do after its pull request, so its branch gone is still a contradiction.
 */
function reviewBranches(plan: Plan): Set<string> {
  if (plan.request.kind !== 'hotfix') return new Set();
  return new Set(plan.actions.flatMap((a) => (a.kind === 'open-pull-request' ? [refKey(a.repo, `refs/heads/${a.head}`)] : [])));
}

async function refMissing(actions: readonly Action[], index: number, repos: Facts['repos'], checkedOut: ReadonlyMap<string, string>, review: ReadonlySet<string>, superseded: ReadonlySet<string>): Promise<string | undefined> {
  const effect = refEffect(actions[index]!);
  if (!effect) return undefined; // gates and steps for a person leave nothing to check
  const repo = repoPath(repos, effect.repo);
  const now = await refValue(repo, effect.ref);
  if (now === undefined && review.has(refKey(effect.repo, effect.ref))) return undefined;
  if (isDone(actions, index, now)) return undefined;
  // Killed between journalling a commit made again at push time and moving the local branch to it (apply moves it on the rerun).
  if (now !== undefined && superseded.has(now) && (await hasCommit(repo, effect.to))) return undefined;
  if (effect.ref.startsWith('refs/heads/') && (await contains(repo, now, effect.to))) return undefined;
  // A branch checked out in a work tree moves only on the remote (the push checks that).
  if (checkedOut.has(refKey(effect.repo, effect.ref)) && (await hasCommit(repo, effect.to))) return undefined;
  const git = `git -C ${shellWord(repo)}`;
  if (now) return `${effect.repo}: ${effect.ref} is at ${now.slice(0, 7)}, not at ${effect.to.slice(0, 7)} (nor past it); see what moved it with ${git} log --oneline --graph ${effect.to.slice(0, 12)} ${now.slice(0, 12)} --`;
  const kept = (await hasCommit(repo, effect.to)) ? `; the planned ${effect.to.slice(0, 7)} is still there: ${git} show --stat ${effect.to.slice(0, 12)}` : '';
  return `${effect.repo}: ${effect.ref} is missing, not at ${effect.to.slice(0, 7)}; it was deleted since: see what was done last with ${git} reflog --date=iso -n 20${kept}`;
}

async function pushMissing(action: Extract<Action, { kind: 'push' }>, repos: Facts['repos'], review: ReadonlySet<string>): Promise<string | undefined> {
  const repo = repoPath(repos, action.repo);
  const remote = await remoteRefs(repo, action.url, action.refs.map((r) => r.ref));
  if (!remote) return `${action.remote} could not be asked whether it holds ${action.refs.map((r) => r.ref).join(', ')} (git ls-remote failed); retry once it answers`;
  for (const { ref, sha } of action.refs) {
    const now = remote.get(ref);
    if (now === undefined && review.has(refKey(action.repo, ref))) continue;
    if (now === sha || (ref.startsWith('refs/heads/') && (await contains(repo, now, sha)))) continue;
    const git = `git -C ${shellWord(repo)}`;
    return now
      ? `${ref} on ${action.remote} is at ${now.slice(0, 7)}, not at ${sha.slice(0, 7)} (nor past it); see what moved it with ${git} fetch ${shellWord(action.remote)} ${shellWord(ref)} && ${git} log --oneline --graph ${sha.slice(0, 12)} FETCH_HEAD --`
      : `${ref} on ${action.remote} is missing, not at ${sha.slice(0, 7)}; it was deleted there since: check with ${git} ls-remote ${shellWord(action.remote)} ${shellWord(ref)}`;
  }
  return undefined;
}

/** Whether the commit `tip` has `planned` in its history; false when either is unknown here. */
async function contains(repo: string, tip: string | undefined, planned: string): Promise<boolean> {
  return tip !== undefined && (await hasCommit(repo, tip)) && (await hasCommit(repo, planned)) && isAncestor(repo, planned, tip);
}

async function hasCommit(repo: string, sha: string): Promise<boolean> {
  return (await git(repo, ['cat-file', '-e', `${sha}^{commit}`], { okCodes: [1, 128] })).code === 0;
}
