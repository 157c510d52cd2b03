import { containmentOf } from '../plan/hotfix/contains-hotfix.js';
import type { Plan } from '../plan/types.js';
import { readContainment } from '../state/hotfix/hotfix-changes.js';
import { fetchRemoteBranch } from './git-write.js';
import { Journal } from './journal.js';
import { repoPath, type Facts } from './verify-preconditions.js';

/**
 * Whether the pull request that deploys a hotfix (git.via pull-request) is merged: the
 * config branch on the remote holds the deploy commit's change, by patch-id, so a merge,
 * a squash and a rebase merge all count, and the deploy commit's own id need not be there.
 * Undefined where the plan deploys straight onto the branch, or pushes nothing.
 */
export async function deployMerged(plan: Plan, repos: Facts['repos']): Promise<boolean | undefined> {
  const deploy = plan.actions.find((a) => a.kind === 'commit' && a.purpose === 'deploy-hotfix');
  if (deploy?.kind !== 'commit' || deploy.branch === plan.deployed.configBranch) return undefined;
  const push = plan.actions.find((a) => a.kind === 'push' && a.repo === deploy.repo);
  if (push?.kind !== 'push') return undefined;
  const path = repoPath(repos, deploy.repo);
  const sha = await fetchRemoteBranch(path, push.url, plan.deployed.configBranch);
  if (!sha) return false;
  // The deploy commit as apply made it: on a moved base, or with the tag its gate decided, the one its journal records.
  const journal = await Journal.open(repoPath(repos, plan.actions.flatMap((a) => ('repo' in a ? [a.repo] : []))[0]!), plan.id);
  const made = journal.rederived.get(deploy.id);
  const tagged = journal.gateTags.flatMap((r) => r.made ?? []).find((m) => m.action === deploy.id);
  const [held] = containmentOf(await readContainment(path, made?.onto ?? deploy.parent, made?.applied ?? tagged?.applied ?? deploy.commit, [{ name: plan.deployed.configBranch, sha }]));
  return held?.contained ?? false;
}
