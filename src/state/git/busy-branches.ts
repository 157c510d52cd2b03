import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { commonGitDir } from './read.js';
import { git } from './run-git.js';

/**
 * Branches busy in a work tree of the repository, as git itself counts them (`git branch
 * -d` and `git worktree add` refuse them): checked out, being rebased or being bisected
 * there, and every symbolic ref under refs/heads that leads to one. Ref → work tree path.
 */
export async function checkedOutBranches(repo: string): Promise<Map<string, string>> {
  const { stdout } = await git(repo, ['worktree', 'list', '--porcelain']);
  const out = new Map<string, string>();
  const trees: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('worktree ')) trees.push(line.slice('worktree '.length));
    if (line.startsWith('branch ')) out.set(line.slice('branch '.length), trees.at(-1)!);
  }
  for (const { gitDir, path } of await workTreeGitDirs(repo, trees[0] ?? repo)) for (const ref of await busyInProgress(gitDir)) if (!out.has(ref)) out.set(ref, path);
  const { stdout: symrefs } = await git(repo, ['for-each-ref', '--format=%(refname)%00%(symref)', 'refs/heads']);
  const aliases = symrefs.split('\n').map((l) => l.split('\0')).filter(([, target]) => target);
  // An alias of an alias is busy too: follow until nothing more is added.
  for (let added = true; added; ) {
    added = false;
    for (const [ref, target] of aliases) {
      const path = out.get(target!);
      if (path !== undefined && !out.has(ref!)) {
        out.set(ref!, path);
        added = true;
      }
    }
  }
  return out;
}

/** Each work tree's own git directory and its path: the main one, then those under worktrees/. */
async function workTreeGitDirs(repo: string, mainPath: string): Promise<Array<{ gitDir: string; path: string }>> {
  const common = await commonGitDir(repo);
  const out = [{ gitDir: common, path: mainPath }];
  const linked = await readdir(join(common, 'worktrees')).catch(() => [] as string[]);
  for (const id of linked) {
    const gitDir = join(common, 'worktrees', id);
    // `gitdir` holds the path of the work tree's .git file.
    const dotGit = await readFile(join(gitDir, 'gitdir'), 'utf8').catch(() => undefined);
    if (dotGit !== undefined) out.push({ gitDir, path: dirname(dotGit.trim()) });
  }
  return out;
}

/** The branches a rebase or a bisect in progress will come back to (git's own markers). */
async function busyInProgress(gitDir: string): Promise<string[]> {
  const read = (name: string) => readFile(join(gitDir, name), 'utf8').then((t) => t.trim(), () => undefined);
  const [merge, apply, bisect] = await Promise.all([read('rebase-merge/head-name'), read('rebase-apply/head-name'), read('BISECT_START')]);
  // BISECT_START holds the short name of the branch bisect started on (or a detached commit).
  return [merge, apply, bisect && `refs/heads/${bisect}`].filter((r): r is string => r !== undefined && r.startsWith('refs/heads/'));
}
