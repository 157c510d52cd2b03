import { createRequesterFn, getMatchingRateLimiter, GitbeakerRequestError, type RateLimiters } from '@gitbeaker/requester-utils';
import { forgeTimeoutMs } from './forge-timeout.js';

/** Tries after the first, for a rate limit, a server error or no answer alike. */
export const GITLAB_RETRIES = 2;
/** A rate limit that asks for a longer wait than this fails at once (HF504), with its reset time. */
const MAX_WAIT_SECONDS = 60;
/** What GitLab answers when it is overloaded, restarting or rate-limiting (Rack::Attack's 429, Workhorse's 502). */
const RETRIED = new Set([429, 500, 502, 503, 504]);

/**
 * The request handler gitbeaker runs every call through, replacing its default one, which
 * retries only 429 and 502, up to 10 times within about 0.25 s in all (its backoff counts
 * milliseconds where seconds were meant: gitbeaker issue #3805) and never reads
 * Retry-After. This one waits what GitLab asks (Retry-After, else 1 s then 2 s), at most
 * GITLAB_RETRIES times, and leaves everything else to gitbeaker: paths, encoding, bodies,
 * pagination, its client-side rate limits. `secondMs` is 1000; tests make it small.
 */
export function gitLabRequester(secondMs: number) {
  return createRequesterFn((_service, options) => Promise.resolve(options), async (endpoint, options = {}) => {
    const { rateLimiters, prefixUrl, searchParams, method, asStream: _stream, agent: _agent, ...init } = options as unknown as { rateLimiters?: RateLimiters; prefixUrl: string; searchParams?: string; method: string; asStream?: boolean; agent?: unknown } & RequestInit;
    const url = new URL(endpoint, prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`);
    url.search = searchParams ?? '';
    const rateLimit = getMatchingRateLimiter(endpoint, rateLimiters, method);
    for (let attempt = 0; ; attempt++) {
      await rateLimit();
      const request = new Request(url, { ...init, method });
      let response: Response;
      try {
        response = await fetch(request);
      } catch (error) {
        // No answer at all (refused, reset, DNS): worth the same bounded retries; a timeout is not.
        if (attempt >= GITLAB_RETRIES || (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError') throw error;
        await sleep(2 ** attempt * secondMs);
        continue;
      }
      if (response.ok) return { body: await responseBody(response), headers: Object.fromEntries(response.headers.entries()), status: response.status };
      const wait = RETRIED.has(response.status) && attempt < GITLAB_RETRIES ? waitSeconds(response.headers, attempt) : undefined;
      if (wait === undefined) throw await requestError(request, response);
      await response.body?.cancel();
      await sleep(wait * secondMs);
    }
  });
}

/** Retry-After in seconds when GitLab sends it (its rate limits do), else 1, 2, …; undefined when that is longer than hotfix waits. */
function waitSeconds(headers: Headers, attempt: number): number | undefined {
  const asked = Number(headers.get('retry-after'));
  const wait = headers.has('retry-after') && Number.isFinite(asked) && asked >= 0 ? asked : 2 ** attempt;
  return wait <= MAX_WAIT_SECONDS ? wait : undefined;
}

async function responseBody(response: Response): Promise<Record<string, unknown> | string | null> {
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type === 'application/json') return ((await response.json()) as Record<string, unknown> | null) ?? {};
  return response.text();
}

/** The error gitbeaker's own handler throws, so callers see one shape: GitLab's words, and the response (status, headers). */
async function requestError(request: Request, response: Response): Promise<GitbeakerRequestError> {
  const text = await response.text();
  let description = text;
  if ((response.headers.get('content-type') ?? '').includes('application/json')) {
    try {
      const data = JSON.parse(text) as { error?: unknown; message?: unknown } | null;
      const said = data?.error ?? data?.message ?? '';
      description = typeof said === 'string' ? said : JSON.stringify(said);
    } catch {
      // Not JSON after all: GitLab's words as they came.
    }
  }
  return new GitbeakerRequestError(description, { cause: { description, request, response } });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A whole call, its retries included. */
export const GITLAB_CALL_TIMEOUT_MS = forgeTimeoutMs();

/** What every gitbeaker resource of hotfix is made with: the instance, the token as GitLab takes its kind, this requester. */
export function gitLabClientOptions(access: { readonly host: string; readonly token: { readonly kind: 'private' | 'job'; readonly value: string }; readonly secondMs?: number }) {
  return {
    host: access.host.replace(/\/+$/, ''),
    ...(access.token.kind === 'job' ? { jobToken: access.token.value } : { token: access.token.value }),
    requesterFn: gitLabRequester(access.secondMs ?? 1000),
    queryTimeout: GITLAB_CALL_TIMEOUT_MS,
  };
}
