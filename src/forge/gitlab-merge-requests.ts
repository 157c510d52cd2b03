import { MergeRequests, Users } from '@gitbeaker/rest';
import { shellWord } from '../plan/shell-word.js';
import type { GitLabAccess } from './gitlab-forge.js';
import { GITLAB_CALL_TIMEOUT_MS, gitLabRequester } from './gitlab-requester.js';
import type { OpenedReviewRequest, ReviewRequestContent, ReviewRequestForge } from './review-requests.js';

/** GitLab refuses a longer description ("Limited to 1,048,576 characters", docs.gitlab.com/api/merge_requests). */
const GITLAB_DESCRIPTION_LIMIT = 1_048_576;
/** A whole call, its retries included. */

interface MergeRequestData {
  readonly iid: number;
  readonly web_url: string;
}

/**
 * Merge requests of the project `path` (`group/subgroup/project`) on a GitLab instance: found
 * again by source branch among the open ones (`GET /merge_requests?source_branch=…&state=opened`),
 * else created, with the labels (GitLab makes a label it does not have yet) and as
 * reviewers the owners that are users: GitLab takes reviewer_ids, so each username is
 * looked up (`GET /users?username=`); a group (`org/team`) cannot review on GitLab, and the
 * description names every owner as an @mention, which notifies groups too.
 */
export function gitLabMergeRequests(path: string, access: Omit<GitLabAccess, 'noteLimit'>): ReviewRequestForge {
  const host = access.host.replace(/\/+$/, '');
  const options = {
    host,
    ...(access.token.kind === 'job' ? { jobToken: access.token.value } : { token: access.token.value }),
    requesterFn: gitLabRequester(access.secondMs ?? 1000),
    queryTimeout: GITLAB_CALL_TIMEOUT_MS,
  };
  const mergeRequests = new MergeRequests(options);
  const users = new Users(options);
  /** The user ids of the owners that are users, and what stood in the way of the others. */
  const reviewers = async (owners: readonly string[]): Promise<{ ids: number[]; refused?: string }> => {
    const ids: number[] = [];
    const unknown: string[] = [];
    try {
      for (const username of owners.filter((o) => !o.includes('/')).map((o) => o.replace(/^@/, ''))) {
        const found = ((await users.all({ username })) as unknown as Array<{ id: number }>)[0];
        if (found) ids.push(found.id);
        else unknown.push(username);
      }
    } catch (error) {
      return { ids: [], refused: gitLabSaid(error) };
    }
    return { ids, ...(unknown.length > 0 ? { refused: `no user ${unknown.join(', ')}` } : {}) };
  };
  const found = async (head: string): Promise<MergeRequestData | undefined> => ((await mergeRequests.all({ projectId: path, sourceBranch: head, state: 'opened', perPage: 100, maxPages: 1 })) as unknown as MergeRequestData[])[0];
  const described = (c: ReviewRequestContent) => (c.reviewers.length > 0 ? `${c.body}\nOwners (metadata.owners): ${c.reviewers.map((r) => `@${r.replace(/^@/, '')}`).join(' ')}\n` : c.body);
  const update = async (mr: MergeRequestData, c: ReviewRequestContent, reviewerIds: number[]): Promise<MergeRequestData> =>
    (await mergeRequests.edit(path, mr.iid, { title: c.title, description: described(c), targetBranch: c.base, addLabels: c.labels.join(','), ...(reviewerIds.length > 0 ? { reviewerIds } : {}) })) as unknown as MergeRequestData;
  return {
    where: `GitLab ${path}`,
    bodyLimit: GITLAB_DESCRIPTION_LIMIT,
    async ensure(c): Promise<OpenedReviewRequest> {
      const asked = await reviewers(c.reviewers);
      const result = (mr: MergeRequestData, outcome: OpenedReviewRequest['outcome']): OpenedReviewRequest => ({ number: mr.iid, url: mr.web_url, outcome, ...(asked.refused !== undefined ? { reviewersNotRequested: asked.refused } : {}) });
      const open = await found(c.head);
      if (open) return result(await update(open, c, asked.ids), 'updated');
      try {
        return result((await mergeRequests.create(path, c.head, c.base, c.title, { description: described(c), labels: c.labels.join(','), ...(asked.ids.length > 0 ? { reviewerIds: asked.ids } : {}) })) as unknown as MergeRequestData, 'created');
      } catch (error) {
        // 409: another run opened it between the list and this create; that one is the merge request.
        const raced = gitLabStatus(error) === 409 ? await found(c.head) : undefined;
        if (!raced) throw error;
        return result(await update(raced, c, asked.ids), 'updated');
      }
    },
    byHand: (c) => ({
      url: `${host}/${path}/-/merge_requests/new?${new URLSearchParams({ 'merge_request[source_branch]': c.head, 'merge_request[target_branch]': c.base })}`,
      command: `glab mr create --repo ${shellWord(path)} --source-branch ${shellWord(c.head)} --target-branch ${shellWord(c.base)} --title ${shellWord(c.title)} --label ${shellWord(c.labels.join(','))}`,
    }),
  };
}

interface GitbeakerFailure {
  readonly name?: string;
  readonly message?: string;
  readonly cause?: { readonly description?: string; readonly response?: Response; readonly message?: string };
}

function gitLabStatus(error: unknown): number | undefined {
  return (error as GitbeakerFailure | undefined)?.cause?.response?.status;
}

/** GitLab's words for a failed call, one line, with its status: never the request, so never the token. */
export function gitLabSaid(error: unknown): string {
  const e = (error ?? {}) as GitbeakerFailure;
  const status = gitLabStatus(error);
  const said = (e.cause?.description || e.cause?.response?.statusText || e.cause?.message || e.message || String(error)).split('\n')[0]!.trim().slice(0, 300);
  return status === undefined ? `no answer: ${said}` : `${status}: ${said}`;
}
