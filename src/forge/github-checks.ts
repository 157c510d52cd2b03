import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ChecksSource } from '../policy/types.js';
import type { CheckReport, ChecksReaderCommand } from './check-reports.js';
import { GITHUB_RETRIES, gitHubClient, gitHubFailure, type GitHubAccess, type GitHubClient } from './github-client.js';

/** Reads the checks of a commit from GitHub; rejects with HF513 (refused) or HF514 (failed), saying which command read them. */
export function gitHubChecksReader(access: GitHubAccess, reader: ChecksReaderCommand = 'apply'): (source: ChecksSource, sha: string) => Promise<CheckReport[]> {
  const octokit = gitHubClient(access);
  return (source, sha) => {
    const [owner, repo] = source.repository.split('/') as [string, string];
    return readGitHubChecks(octokit, { owner, repo, sha, ...(source.appId !== undefined ? { appId: source.appId } : {}) }).catch((error: unknown) => Promise.reject(gitHubChecksError(error, source.repository, sha, reader)));
  };
}

/**
 * Pages read of each list at most: 2,000 check runs (GitHub keeps 1,000 of one name in a
 * suite) and 2,000 statuses (GitHub takes 1,000 per context and commit). A required check
 * beyond them reads as missing, so a forge that never stops paging cannot hold the gate open.
 */
const MAX_PAGES = 20;

/** Octokit's paginate map function that stops after `max` pages. */
function pagesUpTo<T>(max: number): (response: { data: T[] }, done: () => void) => T[] {
  let pages = 0;
  return (response, done) => {
    if (++pages >= max) done();
    return response.data;
  };
}

interface GitHubChecksQuery {
  readonly owner: string;
  readonly repo: string;
  readonly sha: string;
  /** Only this GitHub App's check runs count, and no commit status (a status names no app). */
  readonly appId?: number;
}

/**
 * Every check run (GitHub's `filter: latest`: the newest of each name) and commit status
 * on the commit, as reports.
 */
async function readGitHubChecks(octokit: GitHubClient, q: GitHubChecksQuery): Promise<CheckReport[]> {
  const repo = { owner: q.owner, repo: q.repo, ref: q.sha, per_page: 100 };
  const runs = await octokit.paginate(octokit.rest.checks.listForRef, { ...repo, filter: 'latest', ...(q.appId !== undefined ? { app_id: q.appId } : {}) }, pagesUpTo(MAX_PAGES));
  const reports: CheckReport[] = runs
    .filter((r) => q.appId === undefined || r.app?.id === q.appId)
    .map((r) => ({
      name: r.name,
      source: 'check run',
      state: r.status === 'completed' ? (r.conclusion ?? 'completed') : r.status,
      success: r.status === 'completed' && r.conclusion === 'success',
      at: r.completed_at ?? r.started_at ?? '',
      id: r.id,
    }));
  if (q.appId !== undefined) return reports;
  const statuses = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, repo, pagesUpTo(MAX_PAGES));
  return [...reports, ...statuses.map((s): CheckReport => ({ name: s.context, source: 'status', state: s.state, success: s.state === 'success', at: s.updated_at, id: s.id }))];
}

/** One coded line: HF513 when the token or the repository is wrong (fix, then run again), HF514 when GitHub failed (run again later). Never the request, so never the token. */
function gitHubChecksError(error: unknown, repository: string, sha: string, reader: ChecksReaderCommand): HotfixError {
  const { status, said, rateLimitResets, unanswered, forbidden } = gitHubFailure(error);
  const what = `the checks of ${sha.slice(0, 7)} in ${repository}`;
  const fail = (code: 'HF513' | 'HF514', message: string) => new HotfixError([diagnostic(code, message)]);
  if (rateLimitResets !== undefined) return fail('HF514', `GitHub rate-limited the token while ${reader} read ${what} (${status}: ${said}); the limit resets ${rateLimitResets}`);
  if (status === 401) return fail('HF513', `GitHub refused the token (401: ${said}) when ${reader} read ${what}: it is wrong or expired; give a valid one`);
  if (forbidden) return fail('HF513', `GitHub refused the token when ${reader} read ${what} (403: ${said}): give it read access to checks and commit statuses (in GitHub Actions: permissions: checks: read, statuses: read)`);
  if (status === 404) return fail('HF513', `GitHub has no repository ${repository} that this token can see (404 when reading ${what}): check hotfix.checks.repository, and that the token can read it`);
  if (status === 422) return fail('HF513', `GitHub does not know the commit ${sha.slice(0, 7)} in ${repository} (422: ${said}): CI reports the checks where the hotfix branch is pushed; check hotfix.checks.repository`);
  if (unanswered) return fail('HF514', `GitHub could not be reached when ${reader} read ${what} (${said}, after ${GITHUB_RETRIES} retries)`);
  return fail('HF514', `GitHub failed when ${reader} read ${what} (${status}: ${said}${status >= 500 ? `, after ${GITHUB_RETRIES} retries` : ''})`);
}
