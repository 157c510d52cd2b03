import { git } from './run-git.js';

/**
 * What `git rev-parse --verify --quiet` gives for each revision (an object id, or undefined
 * where it finds none), for all of them with one git: `cat-file --batch-check` resolves
 * names the same way, dangling and broken refs included. It also says "missing" where the
 * name resolves to an object the store lacks, which rev-parse reports only when it must
 * read the object (to peel `^{commit}`): any other "missing", and a name a line cannot
 * carry, is asked of rev-parse itself (`okCodes`: its exits that mean none).
 */
export async function resolveRevisions(repo: string, revisions: readonly string[], okCodes: (revision: string) => readonly number[] = () => [1]): Promise<Array<string | undefined>> {
  const lineSafe = revisions.filter((r) => !/[\n\r]/.test(r));
  const batch = lineSafe.length === 0 ? [] : (await git(repo, ['cat-file', '--batch-check=%(objectname)'], { input: lineSafe.map((r) => `${r}\n`).join('') })).stdout.split('\n');
  const found = new Map(lineSafe.map((revision, index) => [revision, /^[0-9a-f]{40,64}$/.test(batch[index] ?? '') ? batch[index] : undefined]));
  const settled = (revision: string) => found.get(revision) !== undefined || (found.has(revision) && revision.endsWith('^{commit}'));
  return Promise.all(revisions.map((revision) => (settled(revision) ? found.get(revision) : verifyRevision(repo, revision, okCodes(revision)))));
}

/** One revision, as `git rev-parse --verify --quiet` resolves it; `okCodes` are its exits that mean none. */
export async function verifyRevision(repo: string, revision: string, okCodes: readonly number[] = [1]): Promise<string | undefined> {
  const result = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', revision], { okCodes });
  return result.code === 0 ? result.stdout.trim() : undefined;
}
