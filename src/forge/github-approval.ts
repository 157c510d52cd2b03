import type { CommentKey } from './comment-marker.js';
import { gitHubClient, gitHubFailure, type GitHubAccess } from './github-client.js';
import { forgeError, gitHubForge } from './github-forge.js';
import type { ApprovalFacts } from './judge-approval.js';
import { pullRequestName, type PullRequestRef } from './pull-request-ref.js';

/** The user GITHUB_TOKEN acts as in a workflow: GitHub does not tell an app token its own login. */
export const ACTIONS_BOT = 'github-actions[bot]';

const READ = 'read access to the pull request, its comments and reviews (in GitHub Actions: permissions: pull-requests: read)';

export interface ApprovalQuery {
  readonly planId: string;
  readonly key: CommentKey;
  readonly required: number;
  /** The account hotfix comment posts as, when the command line says; else the token's own (GET /user). */
  readonly commenter?: string;
  /** In GitHub Actions with GITHUB_TOKEN: an app token, whose comments are github-actions[bot]'s. */
  readonly actionsToken: boolean;
}

/**
 * Everything the approval check judges, read from the pull request at once: its head and
 * author, its comments (every page) and its reviews (every page), and who the token is.
 * Rejects with the forge's coded error (HF502-HF505); `commenter-unknown` when the token is
 * an app's outside GitHub Actions and no --commenter says whose comments are hotfix's.
 */
export async function readGitHubApproval(pr: PullRequestRef, access: GitHubAccess, query: ApprovalQuery): Promise<ApprovalFacts | 'commenter-unknown'> {
  const octokit = gitHubClient(access);
  const where = pullRequestName(pr);
  const repo = { owner: pr.owner, repo: pr.repo };
  const call = <T>(what: string, request: () => Promise<T>) => request().catch((error: unknown) => Promise.reject(forgeError(error, what, where, READ)));
  const pull = (await call('read the pull request', () => octokit.rest.pulls.get({ ...repo, pull_number: pr.number }))).data;
  const commenter = query.commenter ?? (await tokenLogin(octokit, where, query.actionsToken));
  if (commenter === undefined) return 'commenter-unknown';
  const comments = await gitHubForge(pr, access, READ).listComments();
  const reviews = await call('list its reviews', () => octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: pr.number, per_page: 100 }));
  return {
    planId: query.planId,
    key: query.key,
    required: query.required,
    where,
    commenter,
    author: pull.user.login,
    head: pull.head.sha,
    comments: comments.map((c) => ({ url: c.url, body: c.body, author: c.author ?? '', updatedAt: c.updatedAt ?? '' })),
    // A pending review has no submitted_at: it is no one's verdict yet.
    reviews: reviews.flatMap((r) => (r.submitted_at ? [{ user: r.user?.login ?? '', state: r.state, commitId: r.commit_id, submittedAt: r.submitted_at }] : [])),
  };
}

/** GET /user; an app token (GITHUB_TOKEN among them) is refused it, as GitHub answers 403 "Resource not accessible by integration". */
async function tokenLogin(octokit: ReturnType<typeof gitHubClient>, where: string, actionsToken: boolean): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    const { status, said } = gitHubFailure(error);
    if (status === 403 && /not accessible by integration/i.test(said)) return actionsToken ? ACTIONS_BOT : undefined;
    throw forgeError(error, 'read which account the token is', where, READ);
  }
}
