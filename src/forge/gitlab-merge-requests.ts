import { MergeRequests } from '@gitbeaker/rest';
import { shellWord } from '../plan/shell-word.js';
import type { GitLabAccess } from './gitlab-forge.js';
import { gitLabRequester } from './gitlab-requester.js';
import type { OpenedReviewRequest, ReviewRequestContent, ReviewRequestForge } from './review-requests.js';

/** GitLab refuses a longer description ("Limited to 1,048,576 characters", docs.gitlab.com/api/merge_requests). */
const GITLAB_DESCRIPTION_LIMIT = 1_048_576;
/** A whole call, its retries included. */
const CALL_TIMEOUT_MS = 120_000;

interface MergeRequestData {
  readonly iid: number;
  readonly web_url: string;
}

/**
 * Merge requests of the project `path` (`group/subgroup/project`) on a GitLab instance: found
 * again by source branch among the open ones (`GET /merge_requests?source_branch=…&state=opened`),
 * else created, with the labels (GitLab makes a label it does not have yet). Reviewers are
 * not asked for: GitLab takes reviewer_ids, user ids a lookup by username would have to
 * find, which hotfix does not do yet; the description names the owners instead.
 */
export function gitLabMergeRequests(path: string, access: Omit<GitLabAccess, 'noteLimit'>): ReviewRequestForge {
  const host = access.host.replace(/\/+$/, '');
  const mergeRequests = new MergeRequests({
    host,
    ...(access.token.kind === 'job' ? { jobToken: access.token.value } : { token: access.token.value }),
    requesterFn: gitLabRequester(access.secondMs ?? 1000),
    queryTimeout: CALL_TIMEOUT_MS,
  });
  const found = async (head: string): Promise<MergeRequestData | undefined> => ((await mergeRequests.all({ projectId: path, sourceBranch: head, state: 'opened', perPage: 100, maxPages: 1 })) as unknown as MergeRequestData[])[0];
  const described = (c: ReviewRequestContent) => (c.reviewers.length > 0 ? `${c.body}\nOwners (metadata.owners): ${c.reviewers.map((r) => `@${r.replace(/^@/, '')}`).join(' ')}\n` : c.body);
  const update = async (mr: MergeRequestData, c: ReviewRequestContent): Promise<MergeRequestData> =>
    (await mergeRequests.edit(path, mr.iid, { title: c.title, description: described(c), targetBranch: c.base, addLabels: c.labels.join(',') })) as unknown as MergeRequestData;
  return {
    where: `GitLab ${path}`,
    bodyLimit: GITLAB_DESCRIPTION_LIMIT,
    async ensure(c): Promise<OpenedReviewRequest> {
      const open = await found(c.head);
      if (open) return opened(await update(open, c), 'updated');
      try {
        return opened((await mergeRequests.create(path, c.head, c.base, c.title, { description: described(c), labels: c.labels.join(',') })) as unknown as MergeRequestData, 'created');
      } catch (error) {
        // 409: another run opened it between the list and this create; that one is the merge request.
        const raced = gitLabStatus(error) === 409 ? await found(c.head) : undefined;
        if (!raced) throw error;
        return opened(await update(raced, c), 'updated');
      }
    },
    byHand: (c) => ({
      url: `${host}/${path}/-/merge_requests/new?${new URLSearchParams({ 'merge_request[source_branch]': c.head, 'merge_request[target_branch]': c.base })}`,
      command: `glab mr create --repo ${shellWord(path)} --source-branch ${shellWord(c.head)} --target-branch ${shellWord(c.base)} --title ${shellWord(c.title)} --label ${shellWord(c.labels.join(','))}`,
    }),
  };
}

function opened(mr: MergeRequestData, outcome: OpenedReviewRequest['outcome']): OpenedReviewRequest {
  return { number: mr.iid, url: mr.web_url, outcome };
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
