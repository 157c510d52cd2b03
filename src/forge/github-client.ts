import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { VERSION } from '../version.js';
import { forgeTimeoutMs } from './forge-timeout.js';

/** Tries after the first, for a server error (retry plugin) and for a rate limit (throttling plugin) alike. */
export const GITHUB_RETRIES = 2;
/** A rate limit that asks for a longer wait than this fails at once, with its reset time. */
const MAX_WAIT_SECONDS = 60;

export interface GitHubAccess {
  readonly token: string;
  /** https://api.github.com, or a GitHub Enterprise Server's https://HOST/api/v3. */
  readonly apiUrl: string;
  /** Milliseconds per second of a wait the plugins compute (1000); tests make it small. */
  readonly secondMs?: number;
}

const HotfixOctokit = Octokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof HotfixOctokit>;

/** The one way hotfix talks to GitHub: its token, its API address, bounded retries of server errors and rate limits, and no log of its own. */
export function gitHubClient(access: GitHubAccess): GitHubClient {
  const secondMs = access.secondMs ?? 1000;
  const wantRetry = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => retryCount < GITHUB_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
  const quiet = () => undefined;
  const octokit = new HotfixOctokit({
    auth: access.token,
    baseUrl: access.apiUrl.replace(/\/+$/, ''),
    userAgent: `hotfix/${VERSION}`,
    // Octokit's own warnings would reach stderr around the command's one line.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    // Octokit's fetch has no timeout of its own: each attempt gets one (forge-timeout.ts).
    request: { fetch: boundedFetch },
    retry: { retries: GITHUB_RETRIES, retryAfterBaseValue: secondMs },
    throttle: { onRateLimit: wantRetry, onSecondaryRateLimit: wantRetry, retryAfterBaseValue: secondMs, fallbackSecondaryRateRetryAfter: MAX_WAIT_SECONDS, ...spacing(access.secondMs) },
  });
  // Every endpoint hotfix calls answers JSON. Anything else with a 2xx (a proxy's or a login
  // page's HTML) would reach the plugins and readers as a string and fail there as if
  // nothing had answered; it is GitHub's answer, said as one, and not retried.
  octokit.hook.after('request', (response) => {
    if (typeof response.data === 'string' && response.data !== '') throw notJson(response);
  });
  return octokit;
}

/** An answer that is not JSON, as an Octokit error with the answer's status, so gitHubFailure says what came. */
function notJson(response: { readonly status: number; readonly headers: Record<string, unknown>; readonly data: string }): Error {
  const type = typeof response.headers['content-type'] === 'string' ? response.headers['content-type'] : 'no content type';
  const start = response.data.replace(/\s+/g, ' ').trim().slice(0, 60).replace(/[^\x20-\x7e]/g, '?');
  return Object.assign(new Error(`the answer is not JSON (${type}): "${start}…"`), { status: response.status, response: { headers: response.headers, data: undefined } });
}

/** fetch, giving up on a server that takes the request and never answers. */
function boundedFetch(url: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  const timeout = AbortSignal.timeout(forgeTimeoutMs());
  return fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
}

/**
 * GitHub asks for a second between mutative requests, and more before one that notifies
 * people (a comment): the throttling plugin spaces them 1 s and 3 s apart, and hotfix keeps
 * its spacing. A test's shorter second shortens these waits with the others, so a test that
 * posts a comment in ten parts waits milliseconds, not half a minute.
 */
function spacing(secondMs: number | undefined) {
  if (secondMs === undefined) return {};
  const group = (id: string, seconds: number) => new Bottleneck.Group({ id, maxConcurrent: 1, minTime: seconds * secondMs });
  return { write: group('octokit-write', 1), notifications: group('octokit-notifications', 3) };
}

interface OctokitFailure {
  readonly status?: number;
  readonly message?: string;
  readonly response?: { readonly headers?: Record<string, string | undefined>; readonly data?: unknown };
  readonly errors?: ReadonlyArray<{ readonly type?: string; readonly message?: string }>;
}

/** What an Octokit error says, in the parts a message is made of: never the request, so never the token. */
export interface GitHubFailure {
  readonly status: number;
  /** GitHub's own words, one line. */
  readonly said: string;
  /** When a rate limit resets: `at <time>`, `in N s`, or `later`; undefined when it is no rate limit. */
  readonly rateLimitResets?: string;
  /** No answer at all (refused connection, DNS, TLS). */
  readonly unanswered: boolean;
  /** GraphQL errors' first type, when GraphQL answered with errors. */
  readonly graphqlType?: string;
  readonly forbidden: boolean;
}

export function gitHubFailure(error: unknown): GitHubFailure {
  const e = (error ?? {}) as OctokitFailure;
  // The bound above, reached: fetch's TimeoutError, which Octokit wraps as a 500 without a response.
  const timedOut = (error as { cause?: { name?: string } } | undefined)?.cause?.name === 'TimeoutError';
  const said = timedOut ? `no answer within ${forgeTimeoutMs() / 1000} s` : firstLine(e.errors?.[0]?.message ?? (e.response?.data as { message?: string } | undefined)?.message ?? e.message ?? String(error));
  const status = e.status ?? 0;
  const headers = e.response?.headers ?? {};
  const rateLimited = status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(said))) || e.errors?.some((x) => x.type === 'RATE_LIMITED');
  const reset = Number(headers['x-ratelimit-reset']);
  const resets = Number.isFinite(reset) && reset > 0 ? `at ${new Date(reset * 1000).toISOString()}` : headers['retry-after'] !== undefined ? `in ${headers['retry-after']} s` : 'later';
  return {
    status,
    said,
    ...(rateLimited ? { rateLimitResets: resets } : {}),
    // A request that got no answer at all is an error of status 500 without a response.
    unanswered: e.errors === undefined && e.response === undefined,
    ...(e.errors !== undefined ? { graphqlType: e.errors[0]?.type ?? 'error' } : {}),
    forbidden: status === 403 || e.errors?.some((x) => x.type === 'FORBIDDEN') === true,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 300);
}
