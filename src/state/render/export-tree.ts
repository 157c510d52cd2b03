import { git } from '../git/run-git.js';

/**
 * Writes the tree of `commit` into the directory `workTree`, through a throwaway index
 * file: the repository's own index and work tree are neither read nor written, a bare
 * repository works the same, and the files are the tree's blobs as a checkout writes them.
 * (`git archive | tar` would need a second process and honours export-ignore and
 * export-subst from .gitattributes, which can drop or rewrite the very files rendered.)
 */
export async function exportTree(repo: string, commit: string, workTree: string, indexFile: string): Promise<void> {
  const env = { GIT_INDEX_FILE: indexFile, GIT_WORK_TREE: workTree };
  await git(repo, ['read-tree', `${commit}^{tree}`], { env });
  await git(repo, ['checkout-index', '--all'], { env });
}
