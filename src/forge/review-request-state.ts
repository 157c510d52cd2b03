import { MergeRequests } from '@gitbeaker/rest';
import { gitHubClient, type GitHubAccess } from './github-client.js';
import type { GitLabAccess } from './gitlab-forge.js';
import { gitLabClientOptions } from './gitlab-requester.js';

/** Where a pull request (merge request) apply opened stands now, in one word for both forges. */
export type ReviewRequestState = 'open' | 'merged' | 'closed' | 'locked';

/** Reads one pull request's state; rejects with the client's failure. */
export type ReviewRequestStateReader = (repository: string, number: number) => Promise<ReviewRequestState>;

/** GitHub `GET /repos/{owner}/{repo}/pulls/{pull_number}`: `state` is open or closed, and a closed one may be `merged`. */
export function gitHubReviewRequestState(access: GitHubAccess): ReviewRequestStateReader {
  const octokit = gitHubClient(access);
  return async (repository, number) => {
    const [owner, repo] = repository.split('/') as [string, string];
    const pull = (await octokit.rest.pulls.get({ owner, repo, pull_number: number })).data;
    return pull.merged ? 'merged' : pull.state === 'closed' ? 'closed' : 'open';
  };
}

/** GitLab `GET /projects/:id/merge_requests/:merge_request_iid`: `state` is opened, closed, locked or merged. */
export function gitLabReviewRequestState(access: Omit<GitLabAccess, 'noteLimit'>): ReviewRequestStateReader {
  const mergeRequests = new MergeRequests(gitLabClientOptions(access));
  return async (project, iid) => {
    const { state } = (await mergeRequests.show(project, iid)) as unknown as { state?: string };
    if (state === 'opened') return 'open';
    if (state === 'merged' || state === 'closed' || state === 'locked') return state;
    throw new Error(`GitLab answered a state it does not document: ${String(state).replace(/[^\w-]/g, '?').slice(0, 40)}`);
  };
}
