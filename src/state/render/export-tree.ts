import { join } from 'node:path';
import { objectView } from '../git/object-view.js';
import { commonGitDir } from '../git/read.js';
import { git } from '../git/run-git.js';

/**
 * Writes the tree of `commit` into the directory `workTree`, through a throwaway index
 * file in `scratch`: the repository's own index and work tree are neither read nor
 * written, a bare repository works the same, and the files are the tree's blobs byte for
 * byte. git runs in an object view (object-view.ts), so no smudge filter the repository's
 * or the user's config names can run, whatever `filter=` the tree's .gitattributes says,
 * and those .gitattributes are not written. (`git archive | tar` would need a second
 * process and honours export-ignore and export-subst from .gitattributes, which can drop
 * or rewrite the very files rendered.)
 */
export async function exportTree(repo: string, commit: string, workTree: string, scratch: string): Promise<void> {
  const view = await objectView(join(scratch, 'git'), join(await commonGitDir(repo), 'objects'));
  const env = { ...view, GIT_INDEX_FILE: join(scratch, 'index'), GIT_WORK_TREE: workTree };
  await git(repo, ['read-tree', `${commit}^{tree}`], { env });
  // checkout-index takes attributes from the .gitattributes files of the index it checks
  // out (gitattributes(5)): a committed `working-tree-encoding=UTF-16`, `eol=crlf` or
  // `ident` would rewrite the files rendered. Without them no attribute source is left.
  const attributes = (await git(repo, ['ls-files', '-z', '--', ':(glob)**/.gitattributes'], { env })).stdout;
  if (attributes !== '') await git(repo, ['update-index', '--force-remove', '-z', '--stdin'], { env, input: attributes });
  await git(repo, ['checkout-index', '--all'], { env });
}
