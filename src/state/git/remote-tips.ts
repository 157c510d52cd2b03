import { git } from './run-git.js';

/** What the push remote holds (look names up with Object.hasOwn), by short name: branch tips, and each tag's object and the commit it peels to. */
export interface RemoteTips {
  readonly branches: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, { readonly object: string; readonly commit: string }>>;
}

/**
 * The remote's branches and tags (git ls-remote): a CI runner's clone may lack a branch an
 * interrupted run pushed (fetched with another refspec, or pushed since the clone) and,
 * with --no-tags or a shallow clone, its tags. Undefined when the remote does not answer:
 * the plan then knows only this clone.
 */
export async function readRemoteTips(repo: string, url: string): Promise<RemoteTips | undefined> {
  const result = await git(repo, ['ls-remote', '--heads', '--tags', '--end-of-options', url], { okCodes: [1, 2, 128], network: true });
  if (result.code !== 0) return undefined;
  const branches = new Map<string, string>();
  const tags = new Map<string, { object: string; commit: string }>();
  for (const line of result.stdout.split('\n')) {
    const [sha, ref] = line.split('\t');
    if (!sha || !ref) continue;
    if (ref.startsWith('refs/heads/')) branches.set(ref.slice('refs/heads/'.length), sha);
    else if (ref.startsWith('refs/tags/')) {
      // An annotated tag is listed twice: its object, then `^{}` and the commit it peels to.
      const peeled = ref.endsWith('^{}');
      const name = ref.slice('refs/tags/'.length, peeled ? -3 : undefined);
      const known = tags.get(name);
      tags.set(name, peeled ? { object: known?.object ?? sha, commit: sha } : { object: sha, commit: known?.commit ?? sha });
    }
  }
  // Plain data, as all state is; fromEntries defines own properties, so no name reaches a prototype.
  return { branches: Object.fromEntries(branches), tags: Object.fromEntries(tags) };
}
