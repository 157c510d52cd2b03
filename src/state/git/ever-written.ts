import { git } from './run-git.js';

/**
 * Whether any revision of `file` on `head`'s first-parent line holds `text`, asked of git's
 * pickaxe (`-S`: commits where the number of its occurrences changes) instead of reading
 * every revision: the first revision that holds it added it. A merge counts by its diff from
 * its first parent; `-a` and no textconv, so a `-diff` attribute or a diff driver hides nothing.
 */
export async function everWritten(repo: string, head: string, file: string, text: string): Promise<boolean> {
  const { stdout } = await git(repo, ['log', '--first-parent', '-a', '--no-textconv', '--no-ext-diff', '-n1', '--format=%H', `-S${text}`, '--end-of-options', head, '--', `:(literal)${file}`]);
  return stdout.trim() !== '';
}

/** The oldest commit on `head`'s first-parent line that added `file`: where its history begins. */
export async function fileBeginning(repo: string, head: string, file: string): Promise<string | undefined> {
  const { stdout } = await git(repo, ['log', '--first-parent', '--diff-filter=A', '--format=%H', '--end-of-options', head, '--', `:(literal)${file}`]);
  return stdout.trim().split('\n').filter(Boolean).at(-1);
}
