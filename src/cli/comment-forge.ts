import { UsageError } from 'clipanion';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { PlanCommentForge } from '../forge/forge-comments.js';
import { quote } from './plan/option-values.js';

export interface CommentForgeOptions {
  readonly pr: string;
  readonly tokenEnv: string | undefined;
  readonly apiUrl: string | undefined;
  readonly forgeUrl: string | undefined;
}

const HTTP_URL = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/;

/**
 * The forge `--pr` names, with its token and address: a GitHub pull request
 * (`owner/repo#N`, `…/pull/N`) or a GitLab merge request (`group/project!N`,
 * `…/-/merge_requests/N`). Options of the other forge are usage errors, not ignored.
 */
export async function commentForge(options: CommentForgeOptions, env: Record<string, string | undefined>): Promise<PlanCommentForge> {
  const [{ parsePullRequestRef }, { parseMergeRequestRef }] = await Promise.all([import('../forge/pull-request-ref.js'), import('../forge/merge-request-ref.js')]);
  if (options.tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.tokenEnv)) throw new UsageError(`--token-env ${quote(options.tokenEnv)} is not an environment variable name`);
  // Tests shrink the waits (a retry after 1 s, 2 s; a rate limit's reset) to milliseconds.
  const testSecond = /^[1-9][0-9]{0,3}$/.exec(env.HOTFIX_TEST_FORGE_SECOND_MS ?? '')?.[0];
  const secondMs = testSecond !== undefined ? { secondMs: Number(testSecond) } : {};
  const pr = parsePullRequestRef(options.pr);
  if (pr) {
    if (options.forgeUrl !== undefined) throw new UsageError(`--forge-url is for a GitLab merge request; ${quote(options.pr)} is a GitHub pull request: give the API with --api-url`);
    const tokenEnv = options.tokenEnv ?? 'GITHUB_TOKEN';
    const apiUrl = options.apiUrl ?? env.GITHUB_API_URL ?? 'https://api.github.com';
    if (!HTTP_URL.test(apiUrl)) throw new UsageError(`${options.apiUrl !== undefined ? '--api-url' : 'GITHUB_API_URL'} ${quote(apiUrl)} is not an http(s) URL`);
    const token = env[tokenEnv];
    if (token === undefined || token.trim() === '') throw new HotfixError([diagnostic('HF501', `no GitHub token: ${tokenEnv} is ${token === undefined ? 'not set' : 'empty'}; set it (in GitHub Actions: GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}) or name another variable with --token-env`)]);
    const { gitHubForge } = await import('../forge/github-forge.js');
    return gitHubForge(pr, { token: token.trim(), apiUrl, ...secondMs });
  }
  const mr = parseMergeRequestRef(options.pr);
  if (!mr) throw new UsageError(`--pr ${quote(options.pr)} names no pull or merge request: give owner/repo#N or https://HOST/owner/repo/pull/N (GitHub), group/project!N or https://HOST/group/project/-/merge_requests/N (GitLab)`);
  if (options.apiUrl !== undefined) throw new UsageError(`--api-url is for a GitHub pull request; ${quote(options.pr)} is a GitLab merge request: give the instance with --forge-url`);
  // In GitLab CI, CI_SERVER_URL is the instance the pipeline runs on.
  const host = options.forgeUrl ?? mr.origin ?? env.CI_SERVER_URL ?? 'https://gitlab.com';
  if (!HTTP_URL.test(host)) throw new UsageError(`${options.forgeUrl !== undefined ? '--forge-url' : 'CI_SERVER_URL'} ${quote(host)} is not an http(s) URL`);
  const token = gitLabToken(options.tokenEnv, env);
  const testLimit = /^[1-9][0-9]{3,6}$/.exec(env.HOTFIX_TEST_GITLAB_NOTE_LIMIT ?? '')?.[0];
  const { gitLabForge } = await import('../forge/gitlab-forge.js');
  return gitLabForge(mr, { token, host, ...secondMs, ...(testLimit !== undefined ? { noteLimit: Number(testLimit) } : {}) });
}

/**
 * GITLAB_TOKEN (or the variable --token-env names), sent as PRIVATE-TOKEN; else, in GitLab
 * CI, the job's own CI_JOB_TOKEN, sent as JOB-TOKEN, which may read the merge request but
 * not write a note (HF510 says so when GitLab refuses it).
 */
function gitLabToken(tokenEnv: string | undefined, env: Record<string, string | undefined>) {
  const named = tokenEnv ?? 'GITLAB_TOKEN';
  const value = env[named]?.trim();
  if (value) return { kind: named === 'CI_JOB_TOKEN' ? ('job' as const) : ('private' as const), value, from: named };
  const job = env.CI_JOB_TOKEN?.trim();
  if (tokenEnv === undefined && job) return { kind: 'job' as const, value: job, from: 'CI_JOB_TOKEN' };
  const state = env[named] === undefined ? 'not set' : 'empty';
  const also = tokenEnv === undefined ? ' and there is no CI_JOB_TOKEN' : '';
  throw new HotfixError([diagnostic('HF501', `no GitLab token: ${named} is ${state}${also}; set GITLAB_TOKEN to a project access token with the api scope (in GitLab CI: a masked CI/CD variable) or name another variable with --token-env`)]);
}
