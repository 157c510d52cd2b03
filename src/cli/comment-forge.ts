import { UsageError } from 'clipanion';
import type { PlanCommentForge } from '../forge/forge-comments.js';
import { gitHubAccess, gitLabAccess, type ForgeAccessOptions } from './forge-access.js';
import { quote } from './plan/option-values.js';

export interface CommentForgeOptions extends ForgeAccessOptions {
  readonly pr: string;
}

/**
 * The forge `--pr` names, with its token and address: a GitHub pull request
 * (`owner/repo#N`, `…/pull/N`) or a GitLab merge request (`group/project!N`,
 * `…/-/merge_requests/N`). Options of the other forge are usage errors, not ignored.
 */
export async function commentForge(options: CommentForgeOptions, env: Record<string, string | undefined>): Promise<PlanCommentForge> {
  const [{ parsePullRequestRef }, { parseMergeRequestRef }] = await Promise.all([import('../forge/pull-request-ref.js'), import('../forge/merge-request-ref.js')]);
  const pr = parsePullRequestRef(options.pr);
  if (pr) {
    if (options.forgeUrl !== undefined) throw new UsageError(`--forge-url is for a GitLab merge request; ${quote(options.pr)} is a GitHub pull request: give the API with --api-url`);
    const access = gitHubAccess(options, env);
    const { gitHubForge } = await import('../forge/github-forge.js');
    return gitHubForge(pr, access);
  }
  const mr = parseMergeRequestRef(options.pr);
  if (!mr) throw new UsageError(`--pr ${quote(options.pr)} names no pull or merge request: give owner/repo#N or https://HOST/owner/repo/pull/N (GitHub), group/project!N or https://HOST/group/project/-/merge_requests/N (GitLab)`);
  if (options.apiUrl !== undefined) throw new UsageError(`--api-url is for a GitHub pull request; ${quote(options.pr)} is a GitLab merge request: give the instance with --forge-url`);
  const access = gitLabAccess(options, env, mr.origin);
  const testLimit = /^[1-9][0-9]{3,6}$/.exec(env.HOTFIX_TEST_GITLAB_NOTE_LIMIT ?? '')?.[0];
  const { gitLabForge } = await import('../forge/gitlab-forge.js');
  return gitLabForge(mr, { ...access, ...(testLimit !== undefined ? { noteLimit: Number(testLimit) } : {}) });
}
