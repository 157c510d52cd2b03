import { resolveByBatch } from './revision-resolver.js';
import { git } from './run-git.js';

/**
 * What `git rev-parse --verify --quiet` gives for each revision (an object id, or undefined
 * where it finds none). They are asked at once: the resolver's process answers in order.
 */
export function resolveRevisions(repo: string, revisions: readonly string[], okCodes: (revision: string) => readonly number[] = () => [1]): Promise<Array<string | undefined>> {
  return Promise.all(revisions.map((revision) => verifyRevision(repo, revision, okCodes(revision))));
}

/**
 * One revision, as `git rev-parse --verify --quiet` resolves it: through the repository's
 * running cat-file (revision-resolver.ts), or rev-parse itself where only it can say;
 * `okCodes` are rev-parse's exits that mean none.
 */
export async function verifyRevision(repo: string, revision: string, okCodes: readonly number[] = [1]): Promise<string | undefined> {
  const batched = await resolveByBatch(repo, revision);
  if (batched !== undefined) return batched.id;
  const result = await git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', revision], { okCodes });
  return result.code === 0 ? result.stdout.trim() : undefined;
}
