import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { rederivedBranch, reviewBaseOf, reviewBaseRefOf, trackedRefOf, type RederivableAction } from '../plan/rederive-rule.js';
import type { Action, Plan } from '../plan/types.js';
import type { Journal, Rederivation } from './journal.js';
import { awaitsOwnCommits, rederive } from './rederive.js';
import { isAncestor } from '../state/git/read.js';
import { updateRefs } from './git-write.js';
import { isDone, refEffect, refKey } from './ref-effects.js';
import { replanCommand } from './replan-command.js';
import { refValue, repoPath, type Facts } from './verify-preconditions.js';

/**
 * A shared branch the plan writes (the config branch, a merge-back branch) that moved since
 * the plan: its commit is made again on the new head when the plan allows it and the reviewed
 * change comes out identical there, or apply refuses before writing that commit.
 */

const isRederivable = (action: Action): action is RederivableAction => (action.kind === 'commit' || action.kind === 'merge') && action.rederive !== undefined;

const parentOf = (action: RederivableAction) => (action.kind === 'commit' ? action.parent : action.parents[0]);

/**
 * The plan with `action` in place of the one of its id, every push of the old commit pushing
 * the new one, and a branch made for review at the old parent made at the new one. Pure.
 */
export function withRederived(plan: Plan, action: RederivableAction): Plan {
  const old = plan.actions.find((a) => a.id === action.id) as RederivableAction;
  const branch = rederivedBranch(old);
  const actions = plan.actions.map((a): Action => {
    if (a.id === action.id) return action;
    if (a.kind === 'push') return { ...a, refs: a.refs.map((r) => (r.sha === old.commit ? { ...r, sha: action.commit } : r)) };
    if (a.kind === 'create-branch' && a.repo === old.repo && a.branch === branch && a.from === parentOf(old)) return { ...a, from: parentOf(action) };
    return a;
  });
  return { ...plan, actions };
}

/** What the journal records for a re-derived action of `current`, against the sealed plan. Pure. */
export function rederivation(sealed: Plan, action: RederivableAction): Rederivation {
  const planned = sealed.actions.find((a) => a.id === action.id) as RederivableAction;
  return { action: action.id, planned: planned.commit, applied: action.commit, onto: parentOf(action) };
}

/**
 * The plan as an earlier apply of it carried it out: each commit the journal records as made
 * again on a moved head is made again here, and must come out as recorded (HF414 if not).
 */
export async function journalled(plan: Plan, journal: Journal, repos: Facts['repos']): Promise<Plan> {
  let current = plan;
  for (const record of journal.rederived.values()) {
    const sealed = plan.actions.find((a) => a.id === record.action);
    const again = sealed && isRederivable(sealed) && sealed.commit === record.planned ? await rederive(sealed, repoPath(repos, sealed.repo), record.onto, moving(plan, sealed)) : undefined;
    if (!again || 'problem' in again || again.commit !== record.applied)
      throw new HotfixError([diagnostic('HF414', `the journal of this plan records ${record.action} as made again as ${record.applied.slice(0, 7)} on ${record.onto.slice(0, 7)}, but ${again && 'problem' in again ? again.problem : `that gives ${again ? again.commit.slice(0, 7) : 'no commit of this plan'}`}; make the plan again`)]);
    current = withRederived(current, again);
  }
  return current;
}

/**
 * Before the action at `index` runs: where its branch is now (for a branch for review, where
 * its pull request's base is, while the branch is not made yet). At the value the action starts
 * from, or past it by this plan's own actions, nothing changes (undefined); moved by someone
 * else, the action made again on the new head, or HF417 when the plan does not allow it or
 * the change would not come out as reviewed. `rehearsal`: the rehearsal's stand-ins (name →
 * path), holding the plan's commits it has made so far, where a merge-back is judged before
 * apply has made the hotfix commits it brings in.
 */
export async function rederiveIfMoved(sealed: Plan, current: Plan, index: number, repos: Facts['repos'], next: string, rehearsal?: Facts['repos']): Promise<RederivableAction | undefined> {
  const action = current.actions[index]!;
  // Making a branch for review, or the local branch of a fresh clone's origin/<branch>, is where the head it starts from is read: the commit on it is made again first, and the branch with it.
  if (action.kind === 'create-branch') {
    const on = current.actions.findIndex((a, k) => k > index && isRederivable(a) && a.repo === action.repo && rederivedBranch(a) === action.branch && (reviewBaseOf(current, a) !== undefined || trackedRefOf(sealed, sealed.actions[k] as RederivableAction) !== undefined));
    return on < 0 ? undefined : rederiveIfMoved(sealed, current, on, repos, next, rehearsal);
  }
  if (!isRederivable(action)) return undefined;
  const effect = refEffect(action)!;
  const repo = repoPath(repos, action.repo);
  // The hotfix commits a merge-back brings in are this plan's own, made after the gate: until then it is judged where the
  // rehearsal made them (so a conflict is found before the deploy), or when apply reaches it.
  const readIn = !(await awaitsOwnCommits(action, repo)) ? repo : await rehearsedIn(action, rehearsal);
  if (readIn === undefined) return undefined;
  // The refs the sealed plan checks: a re-derived action's parent is no longer the value they were checked at.
  const planned = sealed.actions[index] as RederivableAction;
  const baseRef = reviewBaseRefOf(sealed, planned);
  if (baseRef !== undefined) {
    // A branch for review follows its base only until apply has made it: after that the commit goes where the branch is,
    // when that is a head the base had (an earlier run of this plan made it there and was killed before the commit).
    const [made, head] = [await refValue(repo, effect.ref), await refValue(repo, baseRef)];
    if (head === undefined) return undefined;
    if (made === undefined) return head === parentOf(action) ? undefined : rederiveOnto(sealed, action.id, repo, head, next, readIn);
    if (made === parentOf(action) || isDone(current.actions, index, made) || !(await isAncestor(repo, made, head))) return undefined;
    return rederiveOnto(sealed, action.id, repo, made, next, readIn);
  }
  // A clone made after the remote's branch moved (a CI job's fresh checkout) holds the new head as origin/<branch>, until apply makes the local branch.
  const tracked = trackedRefOf(sealed, planned);
  const now = (await refValue(repo, effect.ref)) ?? (tracked === undefined ? undefined : await refValue(repo, tracked));
  // A branch deleted since is the preconditions' to report.
  if (now === undefined || now === effect.from || isDone(current.actions, index, now)) return undefined;
  return rederiveOnto(sealed, action.id, repo, now, next, readIn);
}

/** The rehearsal's stand-in of the action's repository, once it holds the commits the action merges. */
async function rehearsedIn(action: RederivableAction, rehearsal: Facts['repos'] | undefined): Promise<string | undefined> {
  const standIn = rehearsal && Object.hasOwn(rehearsal, action.repo) ? rehearsal[action.repo] : undefined;
  return standIn !== undefined && !(await awaitsOwnCommits(action, standIn)) ? standIn : undefined;
}

/** The sealed action of this id made again on `onto` (read in `readIn`, rederive.ts), or HF417 saying why it cannot be and what to run. */
export async function rederiveOnto(sealed: Plan, id: string, repo: string, onto: string, next: string, readIn = repo): Promise<RederivableAction> {
  const planned = sealed.actions.find((a) => a.id === id) as RederivableAction;
  const again = await rederive(planned, repo, onto, moving(sealed, planned), readIn);
  if (!('problem' in again)) return again;
  throw new HotfixError([diagnostic('HF417', `${again.problem}; so ${id} (${planned.commit.slice(0, 7)} on ${rederivedBranch(planned)}) cannot be made again as reviewed. ${next}`)]);
}

/** The branch whose move re-derives an action, as messages name it. */
function moving(plan: Plan, action: RederivableAction): string {
  const base = reviewBaseOf(plan, action);
  return base === undefined ? rederivedBranch(action) : `${base} (the base of the pull request from ${rederivedBranch(action)})`;
}

/** The commits the journal records as replaced by one made again: a local branch may still hold one after a crash. */
export const supersededBy = (journal: Journal): Set<string> => new Set([...journal.rederived.values()].map((r) => r.planned));

/**
 * A local branch apply moves (not checked out) still at the commit a journalled re-derivation
 * replaced, because a run was killed between the journal and the ref: moved to the commit the
 * journal names, compare-and-swap, so it follows what is pushed as an uninterrupted run's does.
 */
export async function followJournalled(carried: Plan, journal: Journal, repos: Facts['repos'], checkedOut: ReadonlyMap<string, string>): Promise<void> {
  for (const record of journal.rederived.values()) {
    const action = carried.actions.find((a) => a.id === record.action);
    const effect = action && journal.done.has(action.id) ? refEffect(action) : undefined;
    if (!effect || checkedOut.has(refKey(effect.repo, effect.ref))) continue;
    const repo = repoPath(repos, effect.repo);
    if ((await refValue(repo, effect.ref)) === record.planned) await updateRefs(repo, [{ ref: effect.ref, sha: record.applied, old: record.planned }]);
  }
}

/** What to do after a refusal: re-plan from today's heads, adopting what apply already made. */
export function nextStep(plan: Plan, written: boolean): string {
  const replan = replanCommand(plan);
  const state = written ? 'Nothing was written for it; what apply finished before it is in place (its journal says which). ' : 'Nothing was written. ';
  if (!replan) return `${state}Make and review the plan again`;
  // Refused before any write of this run, there may be no hotfix branch yet (a first run), or the one an earlier run made before its gate.
  const what = written ? 'Plan what is left from the heads of now (it adopts the hotfix branch and tag)' : 'Plan it again from the heads of now (it adopts the hotfix branch and tag an earlier apply made, if any)';
  return `${state}${what}, review it and apply it: ${replan}`;
}

/**
 * Each action still to do whose branch moved since the plan (before this run, or during an
 * earlier run's gate) is made again on the new head, where the plan allows it; HF417 before
 * anything is written where it does not.
 */
export async function onMovedBranches(sealed: Plan, carried: Plan, done: ReadonlySet<string>, repos: Facts['repos'], said: (line: string) => void): Promise<Plan> {
  let current = carried;
  for (const [index, action] of carried.actions.entries()) {
    if (done.has(action.id)) continue;
    const again = await rederiveIfMoved(sealed, current, index, repos, nextStep(sealed, false));
    if (!again) continue;
    current = withRederived(current, again);
    said(rederivedLine(sealed, again));
  }
  return current;
}

/** What a re-derivation is, as apply's progress line says it. */
export function rederivedLine(sealed: Plan, again: RederivableAction): string {
  const planned = sealed.actions.find((a) => a.id === again.id) as RederivableAction;
  const onto = again.kind === 'commit' ? again.parent : again.parents[0];
  const base = reviewBaseOf(sealed, again);
  const moved = base === undefined ? `${rederivedBranch(again)} moved to ${onto.slice(0, 7)} since the plan, so` : `${base} moved to ${onto.slice(0, 7)} since the plan, so the branch for review ${rederivedBranch(again)} is made there and`;
  return `${moved} ${again.id} is ${again.commit.slice(0, 7)} on it instead of ${planned.commit.slice(0, 7)} (the same change, by the plan's rule)`;
}
