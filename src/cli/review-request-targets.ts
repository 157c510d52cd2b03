import { UsageError } from 'clipanion';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { pushedForReview, type ReviewRequestTarget } from '../apply/open-review-requests.js';
import { isRepositoryPath, remoteRepository } from '../forge/remote-repository.js';
import type { Plan } from '../plan/types.js';
import { gitHubAccess, gitLabAccess, type ForgeAccessOptions } from './forge-access.js';
import { quote } from './plan/option-values.js';

type Env = Record<string, string | undefined>;

/** `--forge-repo NAME=REPOSITORY`, repeatable: the forge repository of a repository the plan names. */
export function parseForgeRepos(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const value of values) {
    const eq = value.indexOf('=');
    const [name, repository] = eq < 0 ? [value, ''] : [value.slice(0, eq), value.slice(eq + 1)];
    if (name === '' || !isRepositoryPath(repository)) throw new UsageError(`--forge-repo takes NAME=OWNER/REPO (GitLab: NAME=GROUP/PROJECT), not ${quote(value)}`);
    out.set(name, repository);
  }
  return out;
}

/**
 * Where each pull request apply opens goes, decided before anything is written: the forge
 * repository given by --forge-repo, else the one the plan's push URL names; the forge is
 * GitHub with --api-url, GitLab with --forge-url, else the URL's host says (github.com,
 * gitlab.com, or the host of GITHUB_SERVER_URL or CI_SERVER_URL, which GitHub Actions and
 * GitLab CI set). The token must be there (HF501); what cannot be told is HF519.
 */
export async function reviewRequestTargets(plan: Plan, forgeRepos: ReadonlyMap<string, string>, access: ForgeAccessOptions, env: Env): Promise<ReviewRequestTarget[]> {
  const targets: ReviewRequestTarget[] = [];
  for (const action of pushedForReview(plan)) {
    const push = plan.actions.find((a) => a.kind === 'push' && a.repo === action.repo && a.refs.some((r) => r.ref === `refs/heads/${action.head}`));
    const url = push?.kind === 'push' ? push.url : '';
    const remote = remoteRepository(url);
    const repository = forgeRepos.get(action.repo) ?? remote?.path;
    const forge = access.apiUrl !== undefined ? 'github' : access.forgeUrl !== undefined ? 'gitlab' : forgeOfHost(remote?.host, env);
    if (repository === undefined || forge === undefined)
      throw new HotfixError([diagnostic('HF519', `apply cannot tell ${repository === undefined ? 'which forge repository' : 'which forge'} the pull request ${action.head} → ${action.base} goes to: ${action.repo} pushes to ${url}, ${repository === undefined ? 'which names no repository on a forge; pass --forge-repo ' + action.repo + '=OWNER/REPO' : `a host that is not github.com, gitlab.com, GITHUB_SERVER_URL's or CI_SERVER_URL's; pass --api-url (GitHub Enterprise Server: https://HOST/api/v3) or --forge-url (GitLab)`}; nothing was written`)]);
    if (forge === 'github') {
      const { gitHubPullRequests, gitHubSaid } = await import('../forge/github-pull-requests.js');
      targets.push({ action, forge, repository, client: gitHubPullRequests(repository, gitHubAccess(access, env)), said: gitHubSaid });
    } else {
      const { gitLabMergeRequests, gitLabSaid } = await import('../forge/gitlab-merge-requests.js');
      targets.push({ action, forge, repository, client: gitLabMergeRequests(repository, gitLabAccess(access, env, remote && `https://${remote.host}`)), said: gitLabSaid });
    }
  }
  return targets;
}

function forgeOfHost(host: string | undefined, env: Env): 'github' | 'gitlab' | undefined {
  if (host === undefined) return undefined;
  if (host === 'github.com' || host === hostOf(env.GITHUB_SERVER_URL)) return 'github';
  if (host === 'gitlab.com' || host === hostOf(env.CI_SERVER_URL)) return 'gitlab';
  return undefined;
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
