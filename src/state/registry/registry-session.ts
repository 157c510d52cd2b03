import { HotfixError } from '../../diagnostics/errors.js';
import { credentialsFor, dockerConfigPath, readDockerConfig, type Credentials } from './docker-credentials.js';
import { describe, fetchBounded, type BoundedResponse } from './fetch-bounded.js';
import { answerChallenge, loginNeeded, type AuthContext } from './registry-auth.js';
import { accessError, answerError } from './registry-errors.js';
import type { RegistryLocation } from './registry-host.js';
import { chooseChallenge, parseChallenges } from './www-authenticate.js';

export interface RegistryOptions {
  /** Path of a docker config.json; default $DOCKER_CONFIG/config.json or ~/.docker/config.json. */
  readonly dockerConfig?: string;
  /** Per request; default 10000. */
  readonly timeoutMs?: number;
}

export interface RegistrySession {
  /** GET a path (or a same-origin URL, as Link headers give) of the registry, authorized as it asks. */
  get(target: string | URL, accept: string): Promise<BoundedResponse>;
}

/** Manifests, configs and tag pages are small; a larger answer is a wrong or hostile server. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Requests to one repository on one registry, for the length of one readImage or listTags
 * call: anonymous first, then answering the registry's challenge once and reusing the
 * answer (a Basic login or a bearer token for this host and pull scope) for what follows.
 */
export function openSession(location: RegistryLocation, options: RegistryOptions = {}): RegistrySession {
  const configPath = dockerConfigPath(options.dockerConfig);
  let credentials: Promise<Credentials | undefined> | undefined;
  const context: AuthContext = {
    host: location.host,
    scope: `repository:${location.repository}:pull`,
    configPath,
    limits: { timeoutMs: options.timeoutMs ?? registryTimeoutMs(), maxBytes: MAX_BYTES },
    credentials: () => (credentials ??= readDockerConfig(configPath).then((config) => credentialsFor(config, location.host, configPath))),
  };
  let authorization: string | undefined;

  return {
    async get(target, accept) {
      const url = new URL(target, location.origin);
      if (url.origin !== location.origin) throw answerError(`${location.host} pointed to ${url.host} for ${location.repository}; hotfix reads a repository only from its own registry`);
      const first = await fetchBounded(url, { accept }, authorization, context.limits);
      // A 401 from a storage host a blob was redirected to is not the registry's challenge.
      if (first.status !== 401 || first.url.origin !== location.origin) return accessible(first, context);
      const challenge = chooseChallenge(parseChallenges(first.headers.get('www-authenticate') ?? ''));
      if (challenge === undefined) throw answerError(`${describe(url)} answered 401 without a Basic or Bearer challenge`);
      authorization = await answerChallenge(challenge, context);
      const second = await fetchBounded(url, { accept }, authorization, context.limits);
      if (second.status === 401) throw await refused(context);
      return accessible(second, context);
    },
  };
}

function accessible(response: BoundedResponse, context: AuthContext): BoundedResponse {
  if (response.status !== 401 && response.status !== 403) return response;
  throw accessError(`${response.url.host} denied access (${response.status}, ${describe(response.url)}): check that the account in ${context.configPath} may pull it`);
}

async function refused(context: AuthContext): Promise<HotfixError> {
  if ((await context.credentials()) === undefined) return loginNeeded(context);
  return accessError(`${context.host} refused the credentials for it in ${context.configPath} (${context.scope}): log in again with docker login ${context.host}, and check that the account may pull this repository`);
}

/** Each registry request's limit; HOTFIX_REGISTRY_TIMEOUT_MS overrides it (a slow registry, or a test that waits it out). */
function registryTimeoutMs(): number {
  const given = Number(process.env.HOTFIX_REGISTRY_TIMEOUT_MS);
  return Number.isInteger(given) && given > 0 ? given : 10_000;
}
