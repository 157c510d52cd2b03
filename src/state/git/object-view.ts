import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The environment of a git that computes objects and diffs (merge-tree, diff-tree,
 * commit-tree, checkout-index) from a repository's objects and nothing else of it.
 *
 * In the repository itself, git would read `.gitattributes` (work tree and index),
 * `info/attributes` and the repository's config: a `merge=<driver>` runs
 * `merge.<driver>.driver` inside merge-tree and takes its output as the merge; a
 * `filter=<driver>` runs its smudge program on checkout-index; `diff.<driver>.binary`,
 * `xfuncname` or `algorithm` change a diff-tree patch even with --no-textconv; a
 * `merge.default` or a `merge.conflictStyle` changes a merge. A driver's name comes from the
 * file, so no `-c` on the command line can switch every one off. Here git runs in a
 * git directory of hotfix's own, `dir`: bare (no work tree, no index), no `info/`, a config
 * that says only that, no global or system config (GIT_ATTR_NOSYSTEM and
 * core.attributesFile=/dev/null are set for every git, see run-git.ts), and the
 * repository's objects through GIT_OBJECT_DIRECTORY (`objects`) or as an alternate of it.
 * git 2.39 reads no attributes from trees in a bare repository, so no attribute applies,
 * with one exception: a command given an index (GIT_INDEX_FILE) reads the .gitattributes
 * files in that index, so export-tree.ts removes them before checkout-index.
 * (An error writing these files names its path; report-failure makes it a coded error.)
 */
export async function objectView(dir: string, objects: string, alternate?: string): Promise<Record<string, string>> {
  await mkdir(join(dir, 'refs'), { recursive: true });
  await mkdir(objects, { recursive: true });
  await writeFile(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  await writeFile(join(dir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tbare = true\n');
  return {
    GIT_DIR: dir,
    GIT_OBJECT_DIRECTORY: objects,
    ...(alternate ? { GIT_ALTERNATE_OBJECT_DIRECTORIES: alternate } : {}),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
}
