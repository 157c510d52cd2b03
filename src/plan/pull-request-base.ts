import type { Plan } from './types.js';

/**
 * The refs a plan may check a pull request's base by: the local branch, or in a CI runner's
 * fresh clone that has none, the remote-tracking branch of a remote the plan pushes that
 * repository to (origin/dev), which plan hotfix reads there.
 */
export function pullRequestBaseRefs(plan: Pick<Plan, 'actions'>, repo: string, base: string): string[] {
  const remotes = new Set(plan.actions.flatMap((a) => (a.kind === 'push' && a.repo === repo ? [a.remote] : [])));
  return [`refs/heads/${base}`, ...[...remotes].map((r) => `refs/remotes/${r}/${base}`)];
}

/**
 * The remote-tracking ref (origin/prd) of a remote the plan pushes to, by which the plan
 * checks `branch` at `sha`: a clone (a CI runner's fresh one) that has the branch only there,
 * where apply makes the local branch from it.
 */
export function trackedCheck(plan: Pick<Plan, 'actions' | 'preconditions'>, repo: string, branch: string, sha: string): string | undefined {
  return pullRequestBaseRefs(plan, repo, branch).find((ref) => ref.startsWith('refs/remotes/') && plan.preconditions.some((p) => p.kind === 'ref' && p.repo === repo && p.ref === ref && p.sha === sha));
}
