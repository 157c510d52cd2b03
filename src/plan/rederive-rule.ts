import { pullRequestBaseRefs, trackedCheck } from './pull-request-base.js';
import type { Action, Plan, Rederive } from './types.js';

export type RederivableAction = Extract<Action, { kind: 'commit' | 'merge' }>;

/** The branch a re-derivable action writes: the one that may move under it. */
export const rederivedBranch = (action: RederivableAction): string => (action.kind === 'commit' ? action.branch : action.into);

/**
 * Why a commit's id may change at apply: the words a reviewer reads, which apply holds
 * itself to (src/apply/rederive.ts). One text per kind, so a plan cannot claim another. With
 * `reviewBase` (git.via pull-request), the commit is on a branch the plan makes for review at
 * the head of the pull request's base, which is what may move. Pure.
 */
export function rederiveFor(action: RederivableAction, reviewBase?: string): Rederive {
  const branch = rederivedBranch(action);
  const what = action.kind === 'commit' ? 'commit' : 'merge';
  const moves =
    reviewBase === undefined
      ? `${branch} may move while apply waits at the gate${action.kind === 'commit' ? " (a bot's or a teammate's commit)" : ''}: apply then makes this ${what} again on the new head`
      : `${reviewBase}, the base of the pull request from ${branch}, may move while apply waits at the gate: until apply has made ${branch}, it then makes ${branch} at the new head of ${reviewBase} and this ${what} on it`;
  const same =
    action.kind === 'commit'
      ? `only where ${action.changes.map((c) => c.path).join(', ')} gives the same diff there (the file unchanged, or the same lines at the same place)${action.render ? ` and kubectl kustomize ${action.render.dir || '.'} still runs ${action.render.image}` : ''}`
      : `only where it is still clean and brings in exactly the commits of ${action.from} it brings in now`;
  return { when: 'if-branch-moves', reason: `${moves}, with the same message, ${same}, and prints and journals the new id; otherwise it refuses before writing it` };
}

/** The base of the pull request the plan opens from the branch this action writes, when it opens one (git.via pull-request). */
export function reviewBaseOf(plan: Pick<Plan, 'actions'>, action: RederivableAction): string | undefined {
  const branch = rederivedBranch(action);
  return plan.actions.find((a): a is Extract<Action, { kind: 'open-pull-request' }> => a.kind === 'open-pull-request' && a.repo === action.repo && a.head === branch)?.base;
}

const parentOf = (action: RederivableAction): string => (action.kind === 'commit' ? action.parent : action.parents[0]);

type Checked = Pick<Plan, 'actions' | 'preconditions'>;

/** The first of `refs` the plan checks in the action's repository at the action's parent. */
const checkedAtParent = (plan: Checked, action: RederivableAction, refs: readonly string[]): string | undefined =>
  refs.find((ref) => plan.preconditions.some((p) => p.kind === 'ref' && p.repo === action.repo && p.ref === ref && p.sha === parentOf(action)));

/** Whether the plan makes `branch` at the action's parent. */
const madeAtParent = (plan: Checked, action: RederivableAction, branch: string): boolean =>
  plan.actions.some((a) => a.kind === 'create-branch' && a.repo === action.repo && a.branch === branch && a.from === parentOf(action));

/**
 * The remote-tracking ref (refs/remotes/<remote>/<branch>, of a remote the plan pushes that
 * repository to) the plan makes the action's branch at, checked at the action's parent: a CI
 * runner's fresh clone, where only the remote's branch can move, and a clone made after it
 * moved holds it there. Pure.
 */
export function trackedRefOf(plan: Checked, action: RederivableAction): string | undefined {
  const branch = rederivedBranch(action);
  return madeAtParent(plan, action, branch) ? trackedCheck(plan, action.repo, branch, parentOf(action)) : undefined;
}

/**
 * The ref the plan checks the base of the action's pull request by, at the head it makes the
 * branch for review: the local branch, or in a fresh clone the remote-tracking one. Pure.
 */
export function reviewBaseRefOf(plan: Checked, action: RederivableAction): string | undefined {
  const base = reviewBaseOf(plan, action);
  if (base === undefined || !madeAtParent(plan, action, rederivedBranch(action))) return undefined;
  return checkedAtParent(plan, action, pullRequestBaseRefs(plan, action.repo, base));
}

/**
 * A plan may mark as re-derivable only a hotfix's deploy commit and its merge-backs, each on
 * an existing branch the plan checks (a branch the plan creates cannot move under it), on a
 * branch it makes at the push remote's remote-tracking branch it checks (a fresh clone: the
 * remote's branch may move, and apply re-derives on a push refused as non-fast-forward), or on
 * the branch it makes for review at the head of the pull request's base, which it checks,
 * with the rule's own words. Pure.
 */
export function rederiveProblems(plan: Plan): string[] {
  const out: string[] = [];
  for (const action of plan.actions) {
    if (!('rederive' in action) || action.rederive === undefined) continue;
    const branch = rederivedBranch(action);
    const base = reviewBaseOf(plan, action);
    const checked = plan.preconditions.some((p) => p.kind === 'ref' && p.repo === action.repo && p.ref === `refs/heads/${branch}` && p.sha !== null);
    const made = plan.actions.some((a) => a.kind === 'create-branch' && a.repo === action.repo && a.branch === branch);
    if (plan.request.kind !== 'hotfix' || (action.kind === 'commit' && action.purpose !== 'deploy-hotfix')) out.push(`${action.id}: it may be re-derived, which only a hotfix's deploy commit and merge-backs may`);
    else if (base !== undefined ? reviewBaseRefOf(plan, action) === undefined : trackedRefOf(plan, action) === undefined && (made || !checked))
      out.push(base !== undefined ? `${action.id}: it may be re-derived if ${base} moves, but ${branch} is not made at the head of ${base} the plan checks` : `${action.id}: it may be re-derived if ${branch} moves, a branch the plan does not find existing`);
    else if (JSON.stringify(action.rederive) !== JSON.stringify(rederiveFor(action, base))) out.push(`${action.id}: its rule for a moved ${base ?? branch} is not the one apply follows`);
  }
  return out;
}
