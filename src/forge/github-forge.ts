import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { VERSION } from '../version.js';
import { GITHUB_COMMENT_LIMIT } from './comment-parts.js';
import type { ForgeComment, PlanCommentForge } from './forge-comments.js';
import { pullRequestName, type PullRequestRef } from './pull-request-ref.js';

/** Tries after the first, for a server error (retry plugin) and for a rate limit (throttling plugin) alike. */
const RETRIES = 2;
/** A rate limit that asks for a longer wait than this fails at once (HF504), with its reset time. */
const MAX_WAIT_SECONDS = 60;

export interface GitHubAccess {
  readonly token: string;
  /** https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3. */
  readonly apiUrl: string;
  /** Milliseconds per second of a wait the plugins compute (1000); tests make it small. */
  readonly secondMs?: number;
}

const HotfixOctokit = Octokit.plugin(retry, throttling);

export function gitHubForge(pr: PullRequestRef, access: GitHubAccess): PlanCommentForge {
  const secondMs = access.secondMs ?? 1000;
  const wantRetry = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < RETRIES && retryAfter <= MAX_WAIT_SECONDS;
  const quiet = () => undefined;
  const octokit = new HotfixOctokit({
    auth: access.token,
    baseUrl: access.apiUrl.replace(/\/+$/, ''),
    userAgent: `hotfix/${VERSION}`,
    // Octokit's own warnings would reach stderr around the command's one line.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    retry: { retries: RETRIES, retryAfterBaseValue: secondMs },
    throttle: { onRateLimit: wantRetry, onSecondaryRateLimit: wantRetry, retryAfterBaseValue: secondMs, fallbackSecondaryRateRetryAfter: MAX_WAIT_SECONDS },
  });
  const where = pullRequestName(pr);
  const repo = { owner: pr.owner, repo: pr.repo };
  const call = <T>(what: string, request: () => Promise<T>) => request().catch((error: unknown) => Promise.reject(forgeError(error, what, where)));
  const comment = (c: { id: number; node_id: string; body?: string; html_url: string }): ForgeComment => ({ id: c.id, nodeId: c.node_id, body: c.body ?? '', url: c.html_url });
  const update = (id: number, body: string) => call(`update comment ${id}`, () => octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })).then(() => undefined);
  return {
    where,
    commentLimit: GITHUB_COMMENT_LIMIT,
    retiredAs: 'hidden as outdated',
    checkPullRequest: () => call('read the pull request', () => octokit.rest.pulls.get({ ...repo, pull_number: pr.number })).then(() => undefined),
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

interface OctokitFailure {
  readonly status?: number;
  readonly message?: string;
  readonly response?: { readonly headers?: Record<string, string | undefined>; readonly data?: unknown };
  readonly errors?: ReadonlyArray<{ readonly type?: string; readonly message?: string }>;
}

/**
 * One coded line for what went wrong, in words a person acts on. Only GitHub's message
 * and status are quoted: the request (and so the token) never is.
 */
export function forgeError(error: unknown, what: string, where: string): HotfixError {
  const e = (error ?? {}) as OctokitFailure;
  const said = firstLine(e.errors?.[0]?.message ?? (e.response?.data as { message?: string } | undefined)?.message ?? e.message ?? String(error));
  const status = e.status ?? 0;
  const fail = (code: Parameters<typeof diagnostic>[0], message: string) => new HotfixError([diagnostic(code, message)]);
  const headers = e.response?.headers ?? {};
  const rateLimited = status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said))) || e.errors?.some((x) => x.type === 'RATE_LIMITED');
  if (rateLimited) {
    const reset = Number(headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? `at ${new Date(reset * 1000).toISOString()}` : headers['retry-after'] !== undefined ? `in ${headers['retry-after']} s` : 'later';
    return fail('HF504', `GitHub rate-limited the token while hotfix tried to ${what} on ${where} (${status}: ${said}); the limit resets ${when}: run the command again then`);
  }
  if (status === 404) return fail('HF502', `GitHub has no pull request ${where} that this token can see (404 when trying to ${what}): check --pr, and that the token can read ${where.split('#')[0]}`);
  if (status === 401) return fail('HF505', `GitHub refused the token (401: ${said}) when hotfix tried to ${what} on ${where}: the token is wrong or expired; give a valid one`);
  if (status === 403 || e.errors?.some((x) => x.type === 'FORBIDDEN')) return fail('HF505', `GitHub refused the token when hotfix tried to ${what} on ${where} (${status || 'GraphQL'}: ${said}): give it write access to pull request comments (in GitHub Actions: permissions: pull-requests: write)`);
  const again = 'run the command again later: it finds its comments again and goes on';
  if (e.errors !== undefined) return fail('HF503', `GitHub's GraphQL API failed when hotfix tried to ${what} on ${where} (${e.errors[0]?.type ?? 'error'}: ${said}); ${again}`);
  // A request that got no answer at all (a refused connection, DNS, TLS) is an error of status 500 without a response.
  if (e.response === undefined) return fail('HF503', `GitHub could not be reached when hotfix tried to ${what} on ${where} (${said}, after ${RETRIES} retries); ${again}`);
  if (status >= 500) return fail('HF503', `GitHub failed when hotfix tried to ${what} on ${where} (${status}: ${said}, after ${RETRIES} retries); ${again}`);
  return fail('HF509', `GitHub refused what hotfix sent to ${what} on ${where} (${status}: ${said}); please report it, with this line`);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 300);
}
