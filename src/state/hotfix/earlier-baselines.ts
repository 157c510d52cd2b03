import { matchTemplate } from '../../policy/template.js';
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

/**
 * The branches of the config repository, local or the push remote's remote-tracking ones,
 * whose names the baseline branch template can render (any {date}: an apply stopped at the
 * gate yesterday made its branch with yesterday's), with their tips' parents and trees.
 * One git process. Read-only.
 */
export async function earlierBaselines(repo: string, template: string, remote: string): Promise<EarlierBaseline[]> {
  const remotePrefix = `refs/remotes/${remote}/`;
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname)%00%(objectname)%00%(parent)%00%(tree)', 'refs/heads/', remotePrefix]);
  const found: EarlierBaseline[] = [];
  for (const line of stdout.split('\n')) {
    const [ref, tip, parents, tree] = line.split('\0');
    if (!ref || !tip || !tree) continue;
    const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref.slice(remotePrefix.length);
    if (matchTemplate(template, branch) === undefined) continue;
    found.push({ branch, ref, tip, parents: parents ? parents.split(' ') : [], tree });
  }
  return found;
}
