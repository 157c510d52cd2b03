import { Commits } from '@gitbeaker/rest';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ChecksSource } from '../policy/types.js';
import type { CheckReport, ChecksReaderCommand } from './check-reports.js';
import { GITLAB_CALL_TIMEOUT_MS, GITLAB_RETRIES, gitLabRequester } from './gitlab-requester.js';
import type { GitLabAccess } from './gitlab-forge.js';

/** A whole read, its pages and retries included. */

interface StatusData {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly created_at: string;
  readonly started_at?: string | null;
  readonly finished_at?: string | null;
}

/**
 * Reads a commit's checks from GitLab: its commit statuses, which hold every CI job of the
 * commit's pipelines by name as well as statuses posted from outside (GitLab answers the
 * latest of each name unless asked for all). Rejects with HF513 (refused) or HF514 (failed),
 * saying which command read them.
 */
export function gitLabChecksReader(access: Omit<GitLabAccess, 'noteLimit'>, reader: ChecksReaderCommand = 'apply'): (source: ChecksSource, sha: string) => Promise<CheckReport[]> {
  const commits = new Commits({
    host: access.host.replace(/\/+$/, ''),
    ...(access.token.kind === 'job' ? { jobToken: access.token.value } : { token: access.token.value }),
    requesterFn: gitLabRequester(access.secondMs ?? 1000),
    queryTimeout: GITLAB_CALL_TIMEOUT_MS,
  });
  return async (source, sha) => {
    let statuses: StatusData[];
    try {
      // At most 2,000 statuses: a check beyond them reads as missing, and a forge that never stops paging cannot hold the gate open.
      statuses = (await commits.allStatuses(source.repository, sha, { perPage: 100, maxPages: 20 } as object)) as unknown as StatusData[];
    } catch (error) {
      throw gitLabChecksError(error, source.repository, sha, access.token, reader);
    }
    return statuses.map((s) => ({ name: s.name, source: 'job', state: s.status, success: s.status === 'success', at: s.finished_at ?? s.started_at ?? s.created_at, id: s.id }));
  };
}

interface GitbeakerFailure {
  readonly name?: string;
  readonly message?: string;
  readonly cause?: { readonly description?: string; readonly response?: Response; readonly message?: string };
}

/** HF513 when the token or the project is wrong (fix, then run again), HF514 when GitLab failed (run again later). Never the request, so never the token. */
function gitLabChecksError(error: unknown, project: string, sha: string, token: GitLabAccess['token'], reader: ChecksReaderCommand): HotfixError {
  const tokenFrom = token.from;
  const e = (error ?? {}) as GitbeakerFailure;
  const response = e.cause?.response;
  const what = `the jobs and statuses of ${sha.slice(0, 7)} in ${project}`;
  const fail = (code: 'HF513' | 'HF514', message: string) => new HotfixError([diagnostic(code, message)]);
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return fail('HF514', `GitLab did not answer within ${GITLAB_CALL_TIMEOUT_MS / 1000} s when ${reader} read ${what}`);
  if (!response) return fail('HF514', `GitLab could not be reached when ${reader} read ${what} (${firstLine(e.cause?.message ?? e.message ?? String(error))}, after ${GITLAB_RETRIES} retries)`);
  const status = response.status;
  const said = firstLine(e.cause?.description || response.statusText || String(status));
  if (status === 429) return fail('HF514', `GitLab rate-limited the token in ${tokenFrom} while ${reader} read ${what} (429: ${said})`);
  if (token.kind === 'job' && (status === 401 || status === 403))
    return fail('HF513', `GitLab refused the CI/CD job token in ${tokenFrom} when ${reader} read ${what} (${status}: ${said}): a job token may not read commit statuses; set GITLAB_TOKEN to a project access token with the read_api scope (a masked CI/CD variable)`);
  if (status === 401) return fail('HF513', `GitLab refused the token in ${tokenFrom} (401: ${said}) when ${reader} read ${what}: it is wrong, expired or revoked; give a valid one`);
  if (status === 403) return fail('HF513', `GitLab refused the token in ${tokenFrom} when ${reader} read ${what} (403: ${said}): give it the read_api scope and a role that may read the project's pipelines`);
  // GitLab answers 404, not 403, for a project the token's user may not see.
  if (status === 404) return fail('HF513', `GitLab has no project ${project} or commit ${sha.slice(0, 7)} that the token in ${tokenFrom} can see (404: ${said}): check hotfix.checks.repository, and that the token's user is a member`);
  return fail('HF514', `GitLab failed when ${reader} read ${what} (${status}: ${said}${status >= 500 ? `, after ${GITLAB_RETRIES} retries` : ''})`);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 300);
}
