import type { Action, Plan, Rederive } from './types.js';

export type RederivableAction = Extract<Action, { kind: 'commit' | 'merge' }>;

/** The branch a re-derivable action writes: the one that may move under it. */
export const rederivedBranch = (action: RederivableAction): string => (action.kind === 'commit' ? action.branch : action.into);

/**
 * Why a commit's id may change at apply: the words a reviewer reads, which apply holds
 * itself to (src/apply/rederive.ts). One text per kind, so a plan cannot claim another. Pure.
 */
export function rederiveFor(action: RederivableAction): Rederive {
  const branch = rederivedBranch(action);
  const reason =
    action.kind === 'commit'
      ? `${branch} may move while apply waits at the gate (a bot's or a teammate's commit): apply then makes this commit again on the new head, with the same message, only where ${action.changes.map((c) => c.path).join(', ')} gives the same diff there (the file unchanged, or the same lines at the same place)${action.render ? ` and kubectl kustomize ${action.render.dir || '.'} still runs ${action.render.image}` : ''}, and prints and journals the new id; otherwise it refuses before writing it`
      : `${branch} may move while apply waits at the gate: apply then makes this merge again on the new head, with the same message, only where it is still clean and brings in exactly the commits of ${action.from} it brings in now, and prints and journals the new id; otherwise it refuses before writing it`;
  return { when: 'if-branch-moves', reason };
}

/**
 * A plan may mark as re-derivable only a hotfix's deploy commit and its merge-backs, each on
 * an existing branch the plan checks (a branch the plan creates cannot move under it), with
 * the rule's own words. Pure.
 */
export function rederiveProblems(plan: Plan): string[] {
  const out: string[] = [];
  for (const action of plan.actions) {
    if (!('rederive' in action) || action.rederive === undefined) continue;
    const branch = rederivedBranch(action);
    const ref = `refs/heads/${branch}`;
    if (plan.request.kind !== 'hotfix' || (action.kind === 'commit' && action.purpose !== 'deploy-hotfix')) out.push(`${action.id}: it may be re-derived, which only a hotfix's deploy commit and merge-backs may`);
    else if (plan.actions.some((a) => a.kind === 'create-branch' && a.repo === action.repo && a.branch === branch) || !plan.preconditions.some((p) => p.kind === 'ref' && p.repo === action.repo && p.ref === ref && p.sha !== null))
      out.push(`${action.id}: it may be re-derived if ${branch} moves, a branch the plan does not find existing`);
    else if (JSON.stringify(action.rederive) !== JSON.stringify(rederiveFor(action))) out.push(`${action.id}: its rule for a moved ${branch} is not the one apply follows`);
  }
  return out;
}
