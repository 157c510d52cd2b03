import { containmentOf, type Containment } from '../plan/hotfix/contains-hotfix.js';
import type { Plan } from '../plan/types.js';
import { resolveCommit } from '../state/git/read.js';
import { git } from '../state/git/run-git.js';
import { readContainment } from '../state/hotfix/hotfix-changes.js';
import { repoPath, type Facts } from './verify-preconditions.js';

export interface MergeBackLeft {
  readonly repo: string;
  readonly into: string;
  readonly id: string;
  /** The plan's commands for the person, valid shell as printed. */
  readonly commands: readonly string[];
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
  for (const action of plan.actions) {
    if (action.kind !== 'manual' || !action.mergeBack) continue;
    const { into, base, head } = action.mergeBack;
    const path = repoPath(repos, action.repo);
    const push = plan.actions.find((a) => a.kind === 'push' && a.repo === action.repo);
    // Where the plan pushes, the branch the team shares is the remote's: the person may merge in any clone.
    const sha = push?.kind === 'push' ? await remoteBranch(path, push.url, into) : await resolveCommit(path, `refs/heads/${into}`);
    const containment = sha ? containmentOf(await readContainment(path, base, head, [{ name: into, sha }]))[0] : undefined;
    out.push({ repo: action.repo, into, id: action.id, commands: action.commands, ...(containment ? { containment } : {}) });
  }
  return out;
}

/** The remote's branch, its commits fetched (no ref written) when this repository lacks them. */
async function remoteBranch(repo: string, url: string, branch: string): Promise<string | undefined> {
  const ref = `refs/heads/${branch}`;
  const { stdout } = await git(repo, ['ls-remote', '--', url, ref], { network: true });
  const sha = stdout.split('\n').map((l) => l.split('\t')).find(([, name]) => name === ref)?.[0];
  if (sha && !(await resolveCommit(repo, sha))) await git(repo, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, ref], { network: true });
  return sha;
}
