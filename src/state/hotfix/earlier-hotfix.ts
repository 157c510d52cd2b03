import { commitIn, matchTemplate } from '../../policy/template.js';
import { branchTip } from '../git/branch-tip.js';
import { git } from '../git/run-git.js';
import { isAncestor, mergeBase } from '../git/read.js';
import { patchIds } from './hotfix-changes.js';

/**
 * A branch named like a hotfix of this deployed commit, read so that the planner can adopt
 * it (an earlier or interrupted apply made it) or say exactly how it differs from the plan.
 */
export interface EarlierHotfix {
  readonly branch: string;
  /** Where it was read: the local branch, or in a fresh clone the push remote's remote-tracking branch. */
  readonly ref: string;
  readonly tip: string;
  readonly tree: string;
  /** Where it forks from the deployed commit: the deployed commit itself when it was cut there. */
  readonly fork?: string;
  /**
   * Its commits after the deployed commit, oldest first, with their `git patch-id --stable`;
   * only when it was cut there. `merges`: how many of them have more than one parent.
   */
  readonly commits?: ReadonlyArray<{ readonly sha: string; readonly subject: string; readonly tree: string; readonly patchId?: string }>;
  readonly merges?: number;
  /** Tags at its tip (peeled), with the tag object's id (a lightweight tag's is the commit's). */
  readonly tags: ReadonlyArray<{ readonly name: string; readonly object: string }>;
  /** The merge-back branches whose history already holds its tip. */
  readonly mergedInto: readonly string[];
}

export interface EarlierHotfixes {
  /** The `git patch-id --stable` of each pick's own change, in order (none for one that changes nothing). */
  readonly planned: ReadonlyArray<string | undefined>;
  readonly branches: readonly EarlierHotfix[];
}

/**
 * The branches (local, else the push remote's remote-tracking ones, as `tracked` names them) the hotfix branch template could have given this deployed commit on any
 * day (its {date} and the values the state cannot know match anything of their form; the
 * commit and the environment must be these), and the patch-ids of the picks, read only when
 * there is such a branch. Read-only.
 */
export async function readEarlierHotfixes(repo: string, template: string, deployed: { readonly sha: string; readonly env: string }, branches: { readonly local: readonly string[]; readonly tracked: readonly string[]; readonly remote: string }, picks: readonly string[], mergeBacks: readonly string[]): Promise<EarlierHotfixes | undefined> {
  const named = [...branches.local, ...branches.tracked].filter((name) => {
    const values = matchTemplate(template, name);
    const commit = commitIn(values);
    return values !== undefined && (commit === undefined || deployed.sha.startsWith(commit)) && (values.env === undefined || values.env === deployed.env);
  });
  if (named.length === 0) return undefined;
  const read: EarlierHotfix[] = [];
  for (const branch of named) read.push(await readOne(repo, branch, branches.local.includes(branch) ? `refs/heads/${branch}` : `refs/remotes/${branches.remote}/${branch}`, deployed.sha, mergeBacks, branches.remote));
  const ids = await patchIds(repo, ['--no-walk=unsorted', ...picks]);
  return { planned: picks.map((p) => ids.get(p)), branches: read };
}

async function readOne(repo: string, branch: string, ref: string, deployed: string, mergeBacks: readonly string[], remote: string): Promise<EarlierHotfix> {
  const [tip, tree] = (await git(repo, ['rev-parse', `${ref}^{commit}`, `${ref}^{tree}`])).stdout.split('\n');
  const fork = await mergeBase(repo, tip!, deployed);
  const tags = (await git(repo, ['for-each-ref', `--points-at=${tip}`, '--format=%(refname:strip=2)%00%(objectname)', 'refs/tags'])).stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, object] = line.split('\0') as [string, string];
      return { name, object };
    });
  const mergedInto: string[] = [];
  for (const into of mergeBacks) {
    const target = await branchTip(repo, into, remote);
    if (target && (await isAncestor(repo, tip!, target.sha).catch(() => false))) mergedInto.push(into);
  }
  const base = { branch, ref, tip: tip!, tree: tree!, ...(fork ? { fork } : {}), tags, mergedInto };
  if (fork !== deployed) return base;
  const { stdout } = await git(repo, ['log', '--reverse', '--format=%H%x00%P%x00%T%x00%s', `${deployed}..${tip}`, '--']);
  const listed = stdout.split('\n').filter(Boolean).map((line) => line.split('\0') as [string, string, string, string]);
  const ids = listed.length > 0 ? await patchIds(repo, [`${deployed}..${tip}`]) : new Map<string, string>();
  return {
    ...base,
    commits: listed.map(([sha, , tree, subject]) => ({ sha, subject, tree, ...(ids.has(sha) ? { patchId: ids.get(sha)! } : {}) })),
    merges: listed.filter(([, parents]) => parents.includes(' ')).length,
  };
}
