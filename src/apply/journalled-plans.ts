import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { commonGitDir } from '../state/git/read.js';
import type { ApprovalRecord } from './approval-record.js';
import type { GateWaitRecord, JournalSubject } from './gate-wait-record.js';
import { Journal } from './journal.js';
import type { ReviewRequestRecord } from './review-request-record.js';

/** What one plan's journal says apply did that `status` shows. */
export interface JournalledPlan {
  readonly plan: string;
  /** What the plan was for; journals written before it was kept have only their pull requests' word for it. */
  readonly subject: JournalSubject | undefined;
  readonly done: ReadonlySet<string>;
  readonly reviewRequests: readonly ReviewRequestRecord[];
  readonly approved: readonly ApprovalRecord[];
  readonly gateWaits: readonly GateWaitRecord[];
}

/**
 * Every plan apply journalled in this repository, read from where apply keeps its journals
 * (the git directory, never the work tree): what `status` shows without asking a forge. A
 * repository with no journal has none.
 */
export async function journalledPlans(repo: string): Promise<JournalledPlan[]> {
  const dir = join(await commonGitDir(repo), 'hotfix', 'journal');
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: JournalledPlan[] = [];
  for (const name of names.sort()) {
    const id = /^([0-9a-f]{64})\.json$/.exec(name)?.[1];
    if (id === undefined) continue;
    // A journal that cannot be read (HF431, a directory in its place, no permission) hides no other plan's.
    const journal = await Journal.open(repo, `sha256:${id}`).catch(() => undefined);
    if (journal === undefined) continue;
    const opened = journal.reviewRequests[0];
    const subject = journal.about ?? (opened && { policy: opened.policy, environment: opened.environment, kind: opened.kind });
    out.push({ plan: `sha256:${id}`, subject, done: journal.done, reviewRequests: journal.reviewRequests, approved: journal.approved, gateWaits: journal.gateWaits });
  }
  return out;
}
