import { shellWord } from '../plan/shell-word.js';
import { GITHUB_COMMENT_LIMIT } from './comment-parts.js';
import { gitHubClient, gitHubFailure, type GitHubAccess } from './github-client.js';
import type { OpenedReviewRequest, ReviewRequestContent, ReviewRequestForge } from './review-requests.js';

/** A pull request found or made, as the calls used answer it. */
interface PullData {
  readonly number: number;
  readonly html_url: string;
}

/**
 * Pull requests of `owner/repo` on GitHub (or GitHub Enterprise Server): found again by head
 * branch (`GET /pulls?head=owner:branch&state=open`), else created; then labelled and
 * reviewers asked for. A body is cut as a comment is: GitHub takes 65,536 characters.
 */
export function gitHubPullRequests(repository: string, access: GitHubAccess): ReviewRequestForge {
  const octokit = gitHubClient(access);
  const [owner, repo] = repository.split('/') as [string, string];
  const found = async (head: string): Promise<PullData | undefined> => (await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${head}`, state: 'open', per_page: 100 })).data[0];
  const update = async (pull: PullData, c: ReviewRequestContent): Promise<PullData> => (await octokit.rest.pulls.update({ owner, repo, pull_number: pull.number, title: c.title, body: c.body, base: c.base })).data;
  return {
    where: `GitHub ${repository}`,
    bodyLimit: GITHUB_COMMENT_LIMIT,
    async ensure(c): Promise<OpenedReviewRequest> {
      const open = await found(c.head);
      let pull: PullData;
      let outcome: OpenedReviewRequest['outcome'] = open ? 'updated' : 'created';
      if (open) pull = await update(open, c);
      else {
        try {
          pull = (await octokit.rest.pulls.create({ owner, repo, head: c.head, base: c.base, title: c.title, body: c.body })).data;
        } catch (error) {
          // Another run opened it between the list and this create: that one is the pull request.
          const raced = alreadyExists(error) ? await found(c.head) : undefined;
          if (!raced) throw error;
          pull = await update(raced, c);
          outcome = 'updated';
        }
      }
      // The pull request exists from here on: what fails after is said as such, never as "not opened".
      const labelsNotSet = await addLabels(pull.number, c.labels);
      const reviewersNotRequested = await askReviewers(pull.number, c.reviewers);
      return { number: pull.number, url: pull.html_url, outcome, ...(reviewersNotRequested ? { reviewersNotRequested } : {}), ...(labelsNotSet ? { labelsNotSet } : {}) };
    },
    byHand: (c) => ({
      url: `${webUrl(access.apiUrl)}/${repository}/compare/${branchPath(c.base)}...${branchPath(c.head)}?expand=1`,
      command: `gh pr create --repo ${shellWord(repository)} --base ${shellWord(c.base)} --head ${shellWord(c.head)} --title ${shellWord(c.title)} --label ${shellWord(c.labels.join(','))}`,
    }),
  };

  async function addLabels(pull: number, labels: readonly string[]): Promise<string | undefined> {
    try {
      await octokit.rest.issues.addLabels({ owner, repo, issue_number: pull, labels: [...labels] });
      return undefined;
    } catch (error) {
      return gitHubSaid(error);
    }
  }

  /** People by login, teams (`org/team`) by slug; a refusal (not a collaborator, no such team) leaves the pull request as it is. */
  async function askReviewers(pull: number, owners: readonly string[]): Promise<string | undefined> {
    const reviewers = owners.filter((o) => !o.includes('/')).map((o) => o.replace(/^@/, ''));
    const team_reviewers = owners.filter((o) => o.includes('/')).map((o) => o.slice(o.indexOf('/') + 1));
    if (reviewers.length === 0 && team_reviewers.length === 0) return undefined;
    try {
      await octokit.rest.pulls.requestReviewers({ owner, repo, pull_number: pull, ...(reviewers.length > 0 ? { reviewers } : {}), ...(team_reviewers.length > 0 ? { team_reviewers } : {}) });
      return undefined;
    } catch (error) {
      return gitHubSaid(error);
    }
  }
}

/** GitHub's words for a failed call, one line, with its status: the detail of a 422's `errors` where it gives one. */
export function gitHubSaid(error: unknown): string {
  const failure = gitHubFailure(error);
  const detail = ((error as { response?: { data?: { errors?: Array<{ message?: unknown }> } } }).response?.data?.errors ?? []).map((e) => e.message).find((m): m is string => typeof m === 'string');
  const said = detail ? `${failure.said}: ${detail.split('\n')[0]!.trim().slice(0, 300)}` : failure.said;
  if (failure.unanswered) return `no answer: ${said}`;
  return `${failure.status}: ${said}`;
}

function alreadyExists(error: unknown): boolean {
  return gitHubFailure(error).status === 422 && /already exists/i.test(gitHubSaid(error));
}

/** A branch in a web address as GitHub writes it: its slashes kept, anything else a URL treats apart escaped. */
function branchPath(branch: string): string {
  return branch.split('/').map(encodeURIComponent).join('/');
}

/** The web address of a GitHub whose API is `apiUrl`: github.com for api.github.com, the host itself for an Enterprise Server's /api/v3. */
function webUrl(apiUrl: string): string {
  const url = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/.test(url)) return 'https://github.com';
  return url.replace(/\/api\/v3$/, '');
}
