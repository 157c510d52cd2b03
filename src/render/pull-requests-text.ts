import type { Action, Plan } from '../plan/types.js';

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;

/**
 * What apply leaves for people to open when it ends: every pull request of the plan, one a
 * line, with what merging it does. Apply opens none (a forge API call comes later), so the
 * list is its last word. Pure.
 */
export function pullRequestLines(plan: Plan): string[] {
  const prs = plan.actions.filter((a): a is PullRequest => a.kind === 'open-pull-request');
  if (prs.length === 0) return [];
  return ['Open these pull requests (apply opens and merges none):', ...prs.map((pr) => `  ${pr.repo}: ${pr.head} → ${pr.base}  "${pr.title}"${meaning(plan, pr)}`)];
}

/**
 * When the deploy is a pull request: the environment runs the hotfix only once it is merged,
 * which `merged` says (the config branch holds the deploy's change by patch-id).
 */
export function deployPending(plan: Plan, merged?: boolean): string | undefined {
  const pr = deployPullRequest(plan);
  if (!pr) return undefined;
  return merged
    ? `the deploy pull request ${pr.head} → ${pr.base} is merged (${pr.base} holds the deploy's change, by patch-id), so ${plan.deployed.environment} is deployed once its GitOps tool syncs ${pr.base}`
    : `the deploy pull request ${pr.head} → ${pr.base} is still open (unmerged: ${pr.base} does not hold the deploy's change, by patch-id): ${plan.deployed.environment} is deployed once it is merged, not yet`;
}

function meaning(plan: Plan, pr: PullRequest): string {
  if (pr === deployPullRequest(plan)) return ` (merging it deploys ${plan.target.image} to ${plan.deployed.environment})`;
  if (plan.actions.some((a) => a.kind === 'merge' && a.repo === pr.repo && a.into === pr.head)) return ` (merging it merges the hotfix back into ${pr.base})`;
  return '';
}

/** The pull request whose branch holds the hotfix's deploy commit. */
function deployPullRequest(plan: Plan): PullRequest | undefined {
  const deploy = plan.actions.find((a) => a.kind === 'commit' && a.purpose === 'deploy-hotfix');
  if (deploy?.kind !== 'commit') return undefined;
  return plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request' && a.repo === deploy.repo && a.head === deploy.branch);
}
