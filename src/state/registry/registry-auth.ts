import { HotfixError } from '../../diagnostics/errors.js';
import type { Credentials } from './docker-credentials.js';
import { describe, fetchBounded, type Limits } from './fetch-bounded.js';
import { parseJsonObject } from './manifest.js';
import { accessError, answerError } from './registry-errors.js';
import { isLoopback } from './registry-host.js';
import type { Challenge } from './www-authenticate.js';

/** What answering a challenge needs; credentials are read only when a registry asks. */
export interface AuthContext {
  readonly host: string;
  /** `repository:NAME:pull` (plus `,push` for a test helper that pushes). */
  readonly scope: string;
  readonly credentials: () => Promise<Credentials | undefined>;
  /** Named in messages: where `docker login` should have put the credentials. */
  readonly configPath: string;
  readonly limits: Limits;
}

/** The Authorization header value that answers a registry's challenge. */
export async function answerChallenge(challenge: Challenge, context: AuthContext): Promise<string> {
  const credentials = await context.credentials();
  if (challenge.scheme === 'bearer') return `Bearer ${await requestToken(challenge, credentials, context)}`;
  if (credentials === undefined) throw loginNeeded(context);
  return basicAuthorization(credentials);
}

export function basicAuthorization(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

export function loginNeeded(context: AuthContext): HotfixError {
  return accessError(`${context.host} requires a login for ${context.scope} and ${context.configPath} has no credentials for it: log in with docker login ${context.host}`);
}

/**
 * Docker's token flow: GET the realm with the service and scope, with Basic credentials
 * when there are any (anonymous tokens serve public images), and take `token` or
 * `access_token` from the JSON answer.
 */
async function requestToken(challenge: Challenge, credentials: Credentials | undefined, context: AuthContext): Promise<string> {
  const { realm, service } = challenge.params;
  const url = realm !== undefined && URL.canParse(realm) ? new URL(realm) : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw answerError(`${context.host} asked for a bearer token without a valid http(s) realm`);
  if (credentials !== undefined && url.protocol === 'http:' && !isLoopback(url.host)) throw accessError(`${context.host} sends logins to ${url.host} over plain http; hotfix does not send credentials unencrypted`);
  if (service !== undefined) url.searchParams.set('service', service);
  url.searchParams.set('scope', context.scope);
  const response = await fetchBounded(url, { accept: 'application/json' }, credentials && basicAuthorization(credentials), context.limits);
  if (response.status === 401 || response.status === 403) {
    const who = credentials === undefined ? 'an anonymous request' : `the credentials for ${context.host} in ${context.configPath}`;
    throw accessError(`the token server ${url.host} refused ${who} (${response.status}): log in with docker login ${context.host}`);
  }
  if (response.status !== 200) throw accessError(`the token server ${url.host} answered ${response.status} (${describe(url)})`);
  const json = parseJsonObject(response.body, `the token server's answer (${describe(url)})`) as { token?: unknown; access_token?: unknown };
  const token = typeof json.token === 'string' && json.token !== '' ? json.token : json.access_token;
  // A header value must be visible ASCII; fetch would reject anything else with the value in its message.
  if (typeof token !== 'string' || !/^[\x21-\x7e]+$/.test(token)) throw answerError(`the token server's answer (${describe(url)}) holds no usable token`);
  return token;
}
