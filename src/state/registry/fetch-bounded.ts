import { HotfixError } from '../../diagnostics/errors.js';
import { accessError, answerError } from './registry-errors.js';

export interface Limits {
  /** Per request (each redirect hop), from sending it to the last byte of the body. */
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export interface BoundedResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  /** Where the answer came from, after redirects. */
  readonly url: URL;
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A GET that cannot hang or flood: a timeout per request, a cap on the body, at most five
 * redirects followed by hand. The Authorization header goes only to the origin it was
 * meant for: blob downloads are redirected to storage hosts that must not see it.
 */
export async function fetchBounded(url: URL, headers: Readonly<Record<string, string>>, authorization: string | undefined, limits: Limits): Promise<BoundedResponse> {
  const authorizedOrigin = url.origin;
  for (let hop = 0; ; hop++) {
    const signal = AbortSignal.timeout(limits.timeoutMs);
    const sent = { ...headers, ...(authorization !== undefined && url.origin === authorizedOrigin && { authorization }) };
    let response: Response;
    try {
      response = await fetch(url, { headers: sent, redirect: 'manual', signal });
    } catch (error) {
      throw unreachable(url, error, limits);
    }
    if (!REDIRECTS.has(response.status)) return { status: response.status, headers: response.headers, body: await readBody(response, url, limits), url };
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) throw answerError(`${describe(url)} answered ${response.status} without a Location`);
    if (hop === MAX_REDIRECTS) throw answerError(`${describe(url)} redirected more than ${MAX_REDIRECTS} times`);
    const next = URL.canParse(location, url) ? new URL(location, url) : undefined;
    if (next === undefined || (next.protocol !== 'https:' && next.protocol !== 'http:')) throw answerError(`${describe(url)} redirected to an address that is not http(s)`);
    url = next;
  }
}

/** `GET scheme://host/path`: never the query, which for storage redirects holds a signature. */
export function describe(url: URL): string {
  return `GET ${url.origin}${url.pathname}`;
}

async function readBody(response: Response, url: URL, limits: Limits): Promise<Buffer> {
  const tooLarge = () => answerError(`${describe(url)} answered with more than ${limits.maxBytes / 1024 / 1024} MiB, more than a manifest, config or tag list ever needs`);
  if (Number(response.headers.get('content-length') ?? 0) > limits.maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength;
      if (size > limits.maxBytes) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (error) {
    throw error instanceof HotfixError ? error : unreachable(url, error, limits);
  }
  return Buffer.concat(chunks);
}

function unreachable(url: URL, error: unknown, limits: Limits): HotfixError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const why =
    // The timeout is the only abort there is; undici reports it under either name.
    (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError' ? `no complete answer within ${limits.timeoutMs / 1000} s`
    : code === 'ECONNREFUSED' ? 'connection refused'
    : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'host not found'
    : code !== undefined ? code
    : typeof cause?.message === 'string' ? cause.message
    : (error as Error).message;
  return accessError(`cannot reach ${url.host}: ${why} (${describe(url)}); check the host and the network`);
}
