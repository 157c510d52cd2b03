import { git } from './run-git.js';

/**
 * The unified diff from one tree to another (commits stand for their trees), in one fixed
 * form, so apply can recompute a plan's diff and compare it byte for byte:
 *
 *   git diff-tree -r -p --full-index --no-renames --no-ext-diff --no-textconv -U3
 *       --src-prefix=a/ --dst-prefix=b/ FROM TO     (with diff.suppressBlankEmpty=false)
 *
 * diff-tree is plumbing, so the user's diff settings (algorithm, context, prefixes,
 * renames, colour) do not apply; the ones plumbing does read are fixed here. Full blob ids
 * do not lengthen as the repository grows. `view` is an object view (object-view.ts): no
 * diff attribute (`binary`, `-diff`, a driver's xfuncname or algorithm) applies, so the
 * diff is the same whatever the repository or the user sets. Paths are as git quotes them
 * with core.quotepath=false; binary files are one `Binary files … differ` line. Empty when
 * the trees are the same.
 */
export async function treeDiff(repo: string, from: string, to: string, view: Readonly<Record<string, string>>): Promise<string> {
  const args = ['diff-tree', '-r', '-p', '--full-index', '--no-renames', '--no-ext-diff', '--no-textconv', '-U3', '--src-prefix=a/', '--dst-prefix=b/', '--end-of-options', from, to];
  return (await git(repo, args, { config: ['diff.suppressBlankEmpty=false'], env: view })).stdout;
}
