import { journalledReviewRequests } from '../apply/journalled-review-requests.js';
import type { ReviewRequestRecord } from '../apply/review-request-record.js';

/**
 * The pull requests `apply --open-prs` opened for this policy (and environment), as the
 * journals of the bound repositories record them, newest first, each once.
 */
export async function statusReviewRequests(repos: Readonly<Record<string, string>>, policy: string, environment?: string): Promise<ReviewRequestRecord[]> {
  const all: ReviewRequestRecord[] = [];
  for (const path of new Set(Object.values(repos))) all.push(...(await journalledReviewRequests(path).catch(() => [])));
  const mine = all.filter((r) => r.policy === policy && (environment === undefined || r.environment === environment)).sort((a, b) => b.at.localeCompare(a.at));
  return [...new Map(mine.map((r) => [r.url, r])).values()];
}

/** One line each, for the text of `status`; none when apply opened none. */
export function reviewRequestLines(records: readonly ReviewRequestRecord[]): string[] {
  if (records.length === 0) return [];
  return ['', 'Pull requests apply opened (from its journal; their state on the forge is not read):', ...records.map((r) => `  ${r.environment} ${r.kind}: ${r.url}  ${r.head} → ${r.base}  (plan ${r.plan.slice(0, 19)}…, ${r.at})`)];
}
