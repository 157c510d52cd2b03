import { matchTemplate } from '../../policy/template.js';
import { readRemoteTips } from '../git/remote-tips.js';
import { git } from '../git/run-git.js';

/** A branch named like a baseline branch (an earlier apply's, perhaps): what a re-plan compares with the one it would make. */
export interface EarlierBaseline {
  readonly branch: string;
  /** refs/heads/…, or refs/remotes/<remote>/… where this clone has it only from the remote. */
  readonly ref: string;
  readonly tip: string;
  readonly parents: readonly string[];
  readonly tree: string;
}

export interface EarlierBaselines {
  /** In this clone: local branches and the push remote's remote-tracking ones. */
  readonly here: readonly EarlierBaseline[];
  /**
   * On the push remote now (git ls-remote), by branch name: a teammate's push there moves
   * none of this clone's refs, and apply pushes by URL, which updates no remote-tracking
   * ref either. Undefined when hotfix does not push or the remote did not answer.
   */
  readonly remote?: Readonly<Record<string, string>>;
}

/**
 * The branches of the config repository whose names the baseline branch template can
 * render (any {date}: an apply stopped at the gate yesterday made its branch with
 * yesterday's), with their tips' parents and trees, and where the push remote has such
 * branches now. `remoteBranches`: the remote's branches when they were read already.
 * One git process, and one ls-remote where the policy pushes. Read-only.
 */
export async function earlierBaselines(repo: string, template: string, remote: string, push?: { readonly url: string; readonly branches?: Readonly<Record<string, string>> }): Promise<EarlierBaselines> {
  const remotePrefix = `refs/remotes/${remote}/`;
  const [{ stdout }, remoteBranches] = await Promise.all([
    git(repo, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(parent)%00%(tree)', 'refs/heads/', remotePrefix]),
    push ? (push.branches ?? readRemoteTips(repo, push.url).then((tips) => tips?.branches)) : undefined,
  ]);
  const here: EarlierBaseline[] = [];
  for (const line of stdout.split('\n')) {
    const [ref, tip, parents, tree] = line.split('\0');
    if (!ref || !tip || !tree) continue;
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref.slice(remotePrefix.length);
    if (matchTemplate(template, branch) === undefined) continue;
    here.push({ branch, ref, tip, parents: parents ? parents.split(' ') : [], tree });
  }
  const named = remoteBranches && Object.entries(remoteBranches).filter(([branch]) => matchTemplate(template, branch) !== undefined);
  // Plain data, as all state is; fromEntries defines own properties, so no name reaches a prototype.
  return { here, ...(named ? { remote: Object.fromEntries(named) } : {}) };
}
