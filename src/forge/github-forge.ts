import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { GITHUB_COMMENT_LIMIT } from './comment-parts.js';
import type { ForgeComment, PlanCommentForge } from './forge-comments.js';
import { GITHUB_RETRIES, gitHubClient, gitHubFailure, type GitHubAccess } from './github-client.js';
import { pullRequestName, type PullRequestRef } from './pull-request-ref.js';

export type { GitHubAccess } from './github-client.js';

/** `permission`: what a refused token lacks for the calls made, as the message asks for it. */
export function gitHubForge(pr: PullRequestRef, access: GitHubAccess, permission?: string): PlanCommentForge {
  const octokit = gitHubClient(access);
  const where = pullRequestName(pr);
  const repo = { owner: pr.owner, repo: pr.repo };
  const call = <T>(what: string, request: () => Promise<T>) => request().catch((error: unknown) => Promise.reject(forgeError(error, what, where, permission)));
  const comment = (c: { id: number; node_id: string; body?: string; html_url: string; user: { login: string } | null; updated_at: string }): ForgeComment => ({ id: c.id, nodeId: c.node_id, body: c.body ?? '', url: c.html_url, author: c.user?.login ?? '', updatedAt: c.updated_at });
  const update = (id: number, body: string) => call(`update comment ${id}`, () => octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })).then(() => undefined);
  return {
    where,
    commentLimit: GITHUB_COMMENT_LIMIT,
    retiredAs: 'hidden as outdated',
    checkPullRequest: () => call('read the pull request', () => octokit.rest.pulls.get({ ...repo, pull_number: pr.number })).then(() => ({})),
    listComments: () => call('list its comments', () => octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: pr.number, per_page: 100 })).then((all) => all.map(comment)),
    createComment: (body) => call('post a comment', () => octokit.rest.issues.createComment({ ...repo, issue_number: pr.number, body })).then((r) => comment(r.data)),
    updateComment: update,
    // Hidden first: one marked retired is never looked at again, so it must not stay in view.
    retireComment: (c, retired) =>
      call(`hide comment ${c.nodeId} as outdated`, () =>
        octokit.graphql('mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }', { id: c.nodeId }),
      ).then(() => update(c.id, retired)),
  };
}

/**
 * One coded line for what went wrong, in words a person acts on. Only GitHub's message
 * and status are quoted: the request (and so the token) never is.
 */
export function forgeError(error: unknown, what: string, where: string, permission = 'write access to pull request comments (in GitHub Actions: permissions: pull-requests: write)'): HotfixError {
  const { status, said, rateLimitResets, unanswered, graphqlType, forbidden } = gitHubFailure(error);
  const fail = (code: Parameters<typeof diagnostic>[0], message: string) => new HotfixError([diagnostic(code, message)]);
  if (rateLimitResets !== undefined) return fail('HF504', `GitHub rate-limited the token while hotfix tried to ${what} on ${where} (${status}: ${said}); the limit resets ${rateLimitResets}: run the command again then`);
  if (status === 404) return fail('HF502', `GitHub has no pull request ${where} that this token can see (404 when trying to ${what}): check --pr, and that the token can read ${where.split('#')[0]}`);
  if (status === 401) return fail('HF505', `GitHub refused the token (401: ${said}) when hotfix tried to ${what} on ${where}: the token is wrong or expired; give a valid one`);
  if (forbidden) return fail('HF505', `GitHub refused the token when hotfix tried to ${what} on ${where} (${status || 'GraphQL'}: ${said}): give it ${permission}`);
  const again = 'run the command again later: it finds its comments again and goes on';
  if (graphqlType !== undefined) return fail('HF503', `GitHub's GraphQL API failed when hotfix tried to ${what} on ${where} (${graphqlType}: ${said}); ${again}`);
  if (unanswered) return fail('HF503', `GitHub could not be reached when hotfix tried to ${what} on ${where} (${said}, after ${GITHUB_RETRIES} retries); ${again}`);
  if (status >= 500) return fail('HF503', `GitHub failed when hotfix tried to ${what} on ${where} (${status}: ${said}, after ${GITHUB_RETRIES} retries); ${again}`);
  return fail('HF509', `GitHub refused what hotfix sent to ${what} on ${where} (${status}: ${said}); please report it, with this line`);
}
