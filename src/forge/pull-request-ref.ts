/** A pull request on GitHub, as `--pr` names it. */
export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
}

/** GitHub's own limits on names: an owner is a login or organisation, a repository name is letters, digits, `.`, `-`, `_`. */
const OWNER = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})';
const REPO = '[A-Za-z0-9._-]{1,100}';
const SHORT = new RegExp(`^(${OWNER})/(${REPO})#([1-9][0-9]{0,9})$`);
const URL_PATH = new RegExp(`^/(${OWNER})/(${REPO})/pull/([1-9][0-9]{0,9})(?:/[a-z]*)?/?$`);

/**
 * `owner/repo#12`, or the pull request's web address (github.com or a GitHub Enterprise
 * host, with /files or /commits after it as a browser shows it). Anything else is undefined:
 * the caller says what it takes.
 */
export function parsePullRequestRef(text: string): PullRequestRef | undefined {
  const short = SHORT.exec(text);
  if (short) return ref(short);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const path = URL_PATH.exec(url.pathname);
  return path && url.search === '' && url.hash === '' ? ref(path) : undefined;
}

function ref(match: RegExpExecArray): PullRequestRef | undefined {
  const [, owner, repo, number] = match as unknown as [string, string, string, string];
  if (repo === '.' || repo === '..') return undefined;
  return { owner, repo, number: Number(number) };
}

export function pullRequestName(pr: PullRequestRef): string {
  return `${pr.owner}/${pr.repo}#${pr.number}`;
}
