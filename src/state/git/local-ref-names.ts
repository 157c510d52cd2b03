import type { LocalRefNames } from '../types.js';
import { git } from './run-git.js';

/** A repository's local branch and tag names, in one git process. Symbolic refs count by their own name. */
export async function localRefNames(repo: string): Promise<LocalRefNames> {
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags']);
  const branches: string[] = [];
  const tags: string[] = [];
  for (const ref of stdout.split('\n')) {
    if (ref.startsWith('refs/heads/')) branches.push(ref.slice('refs/heads/'.length));
    else if (ref.startsWith('refs/tags/')) tags.push(ref.slice('refs/tags/'.length));
  }
  return { branches, tags };
}
