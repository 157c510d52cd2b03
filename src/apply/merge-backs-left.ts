import { containmentOf, type Containment } from '../plan/hotfix/contains-hotfix.js';
import type { Plan } from '../plan/types.js';
import { resolveCommit } from '../state/git/read.js';
import { readContainment } from '../state/hotfix/hotfix-changes.js';
import { fetchRemoteBranch } from './git-write.js';
import { repoPath, type Facts } from './verify-preconditions.js';

export interface MergeBackLeft {
  readonly repo: string;
  readonly into: string;
  readonly id: string;
  /** The plan's commands for the person, valid shell as printed (none for a pull request). */
  readonly commands: readonly string[];
  /** With git.via pull-request: the branch apply pushed, which a person merges into `into` by a pull request. */
  readonly pullRequest?: string;
  /** Undefined when the branch does not exist. */
  readonly containment?: Containment;
}

/**
 * The merge-backs the plan leaves to a person, each with what its branch holds of the
 * hotfix now: done is the branch holding every hotfix change (merged, cherry-picked or
 * squashed), which is what keeps the fix from regressing.
 */
export async function mergeBacksLeft(plan: Plan, repos: Facts['repos']): Promise<MergeBackLeft[]> {
  const out: MergeBackLeft[] = [];
  for (const left of leftToPeople(plan)) {
    const { repo, into, base, head } = left;
    const path = repoPath(repos, repo);
    const push = plan.actions.find((a) => a.kind === 'push' && a.repo === repo);
    // Where the plan pushes, the branch the team shares is the remote's: the person may merge in any clone.
    const sha = push?.kind === 'push' ? await fetchRemoteBranch(path, push.url, into) : await resolveCommit(path, `refs/heads/${into}`);
    const containment = sha ? containmentOf(await readContainment(path, base, head, [{ name: into, sha }]))[0] : undefined;
    out.push({ repo, into, id: left.id, commands: left.commands, ...(left.pullRequest ? { pullRequest: left.pullRequest } : {}), ...(containment ? { containment } : {}) });
  }
  return out;
}

/**
 * The merge-backs a person finishes: one the plan leaves to them (it conflicts), and one apply
 * pushed to a branch of its own (git.via pull-request), whose pull request someone must merge.
 * Both are done only when the branch holds the hotfix (base..head). Pure.
 */
function leftToPeople(plan: Plan): Array<{ repo: string; into: string; base: string; head: string; id: string; commands: readonly string[]; pullRequest?: string }> {
  return plan.actions.flatMap((action) => {
    if (action.kind === 'manual' && action.mergeBack) return [{ repo: action.repo, ...action.mergeBack, id: action.id, commands: action.commands }];
    if (action.kind !== 'open-pull-request' || !plan.deployed.appCommit) return [];
    const merge = plan.actions.find((a) => a.kind === 'merge' && a.repo === action.repo && a.into === action.head);
    return merge?.kind === 'merge' ? [{ repo: action.repo, into: action.base, base: plan.deployed.appCommit.sha, head: merge.parents[1], id: action.id, commands: [], pullRequest: action.head }] : [];
  });
}
