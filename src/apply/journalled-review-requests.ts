import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { commonGitDir } from '../state/git/read.js';
import { Journal } from './journal.js';
import type { ReviewRequestRecord } from './review-request-record.js';

/**
 * The pull requests every apply journalled in this repository opened, read from the journals
 * where apply keeps them (the git directory, never the work tree): what `status` shows
 * without asking a forge. A repository with no journal has none.
 */
export async function journalledReviewRequests(repo: string): Promise<ReviewRequestRecord[]> {
  const dir = join(await commonGitDir(repo), 'hotfix', 'journal');
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: ReviewRequestRecord[] = [];
  for (const name of names.sort()) {
    const id = /^([0-9a-f]{64})\.json$/.exec(name)?.[1];
    if (id !== undefined) out.push(...(await Journal.open(repo, `sha256:${id}`)).reviewRequests);
  }
  return out;
}
