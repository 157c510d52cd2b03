import { UsageError } from 'clipanion';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { GitHubAccess } from '../forge/github-client.js';
import type { GitLabAccess } from '../forge/gitlab-forge.js';
import { quote } from './plan/option-values.js';

/** What the command line says about reaching a forge; the environment says the rest. */
export interface ForgeAccessOptions {
  readonly tokenEnv: string | undefined;
  readonly apiUrl: string | undefined;
  readonly forgeUrl: string | undefined;
}

type Env = Record<string, string | undefined>;

const HTTP_URL = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/;

/** Tests shrink the waits (a retry after 1 s, 2 s; a rate limit's reset) to milliseconds. */
function testSecondMs(env: Env): { secondMs?: number } {
  const testSecond = /^[1-9][0-9]{0,3}$/.exec(env.HOTFIX_TEST_FORGE_SECOND_MS ?? '')?.[0];
  return testSecond !== undefined ? { secondMs: Number(testSecond) } : {};
}

function checkTokenEnv(tokenEnv: string | undefined): void {
  if (tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) throw new UsageError(`--token-env ${quote(tokenEnv)} is not an environment variable name`);
}

/** GITHUB_TOKEN (or the variable --token-env names) and GITHUB_API_URL (or --api-url): GitHub Actions sets both. */
export function gitHubAccess(options: ForgeAccessOptions, env: Env): GitHubAccess {
  checkTokenEnv(options.tokenEnv);
  if (options.forgeUrl !== undefined) throw new UsageError('--forge-url is for GitLab: give the GitHub API with --api-url');
  const tokenEnv = options.tokenEnv ?? 'GITHUB_TOKEN';
  const apiUrl = options.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com';
  if (!HTTP_URL.test(apiUrl)) throw new UsageError(`${options.apiUrl !== undefined ? '--api-url' : 'GITHUB_API_URL'} ${quote(apiUrl)} is not an http(s) URL`);
  const token = env[tokenEnv];
  if (token === undefined || token.trim() === '') throw new HotfixError([diagnostic('HF501', `no GitHub token: ${tokenEnv} is ${token === undefined ? 'not set' : 'empty'}; set it (in GitHub Actions: GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}) or name another variable with --token-env`)]);
  return { token: token.trim(), apiUrl, ...testSecondMs(env) };
}

/**
 * The GitLab instance (--forge-url, else the address a merge request URL names, else
 * CI_SERVER_URL, the instance a pipeline runs on, else gitlab.com) and its token.
 */
export function gitLabAccess(options: ForgeAccessOptions, env: Env, origin?: string): Omit<GitLabAccess, 'noteLimit'> {
  checkTokenEnv(options.tokenEnv);
  if (options.apiUrl !== undefined) throw new UsageError('--api-url is for GitHub: give the GitLab instance with --forge-url');
  const host = options.forgeUrl ?? origin ?? env.CI_SERVER_URL ?? 'https://gitlab.com';
  if (!HTTP_URL.test(host)) throw new UsageError(`${options.forgeUrl !== undefined ? '--forge-url' : 'CI_SERVER_URL'} ${quote(host)} is not an http(s) URL`);
  return { token: gitLabToken(options.tokenEnv, env), host, ...testSecondMs(env) };
}

/**
 * GITLAB_TOKEN (or the variable --token-env names), sent as PRIVATE-TOKEN; else, in GitLab
 * CI, the job's own CI_JOB_TOKEN, sent as JOB-TOKEN, which may read the merge request but
 * not write a note (HF510 says so when GitLab refuses it).
 */
function gitLabToken(tokenEnv: string | undefined, env: Env): GitLabAccess['token'] {
  const named = tokenEnv ?? 'GITLAB_TOKEN';
  const value = env[named]?.trim();
  if (value) return { kind: named === 'CI_JOB_TOKEN' ? 'job' : 'private', value, from: named };
  const job = env.CI_JOB_TOKEN?.trim();
  if (tokenEnv === undefined && job) return { kind: 'job', value: job, from: 'CI_JOB_TOKEN' };
  const state = env[named] === undefined ? 'not set' : 'empty';
  const also = tokenEnv === undefined ? ' and there is no CI_JOB_TOKEN' : '';
  throw new HotfixError([diagnostic('HF501', `no GitLab token: ${named} is ${state}${also}; set GITLAB_TOKEN to a project access token with the api scope (in GitLab CI: a masked CI/CD variable) or name another variable with --token-env`)]);
}
