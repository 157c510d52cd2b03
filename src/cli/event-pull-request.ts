import { readFile } from 'node:fs/promises';

/** The events whose payload names the pull request a workflow runs for. */
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target', 'pull_request_review', 'issue_comment']);

/**
 * In GitHub Actions, the pull request the triggering event is about, as `owner/repo#N`
 * (GITHUB_REPOSITORY, and the number in the payload at GITHUB_EVENT_PATH): `apply` checks its
 * approvals without `--pr`. Undefined elsewhere, for other events (workflow_dispatch names
 * none), and for a comment on an issue that is not a pull request.
 */
export async function eventPullRequest(env: Record<string, string | undefined>): Promise<string | undefined> {
  const mergeRequest = pipelineMergeRequest(env);
  if (mergeRequest !== undefined) return mergeRequest;
  if (env.GITHUB_ACTIONS !== 'true' || !PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH || !env.GITHUB_REPOSITORY) return undefined;
  let payload: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
  try {
    payload = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) as typeof payload;
  } catch {
    return undefined;
  }
  const number = payload?.pull_request?.number ?? (payload?.issue?.pull_request ? payload.issue.number : undefined);
  return Number.isSafeInteger(number) && (number as number) > 0 ? `${env.GITHUB_REPOSITORY}#${number as number}` : undefined;
}

/**
 * In a GitLab merge request pipeline, its merge request as `group/project!N`
 * (CI_MERGE_REQUEST_PROJECT_PATH, CI_MERGE_REQUEST_IID, which GitLab sets only there).
 */
function pipelineMergeRequest(env: Record<string, string | undefined>): string | undefined {
  const iid = env.CI_MERGE_REQUEST_IID ?? '';
  if (env.GITLAB_CI !== 'true' || !/^[1-9][0-9]{0,9}$/.test(iid) || !env.CI_MERGE_REQUEST_PROJECT_PATH) return undefined;
  return `${env.CI_MERGE_REQUEST_PROJECT_PATH}!${iid}`;
}
