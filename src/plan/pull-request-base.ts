import type { Plan } from '../plan/types.js';

/**
 * The refs a plan may check a pull request's base by: the local branch, or in a CI runner's
 * fresh clone that has none, the remote-tracking branch of a remote the plan pushes that
 * repository to (origin/dev), which plan hotfix reads there.
 */
export function pullRequestBaseRefs(plan: Pick<Plan, 'actions'>, repo: string, base: string): string[] {
  const remotes = new Set(plan.actions.flatMap((a) => (a.kind === 'push' && a.repo === repo ? [a.remote] : [])));
  return [`refs/heads/${base}`, ...[...remotes].map((r) => `refs/remotes/${r}/${base}`)];
}
