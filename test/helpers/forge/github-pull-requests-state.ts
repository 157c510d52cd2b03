import { createHash } from 'node:crypto';
import { documentedExample } from './openapi-contract.js';

/**
 * The pull requests a loopback GitHub holds: who opened each, its head (a push moves it), and
 * its reviews as GitHub keeps them: each submitted review keeps the commit it was made on
 * (`commit_id`), its time and state; dismissing an approval turns that review's state to
 * DISMISSED, as PUT .../reviews/{id}/dismissals does. Shapes start from GitHub's documented
 * examples; the contract server checks every answer against the OpenAPI description.
 */
export interface GitHubPullRequests {
  open(number: number, title: string, author?: string): void;
  has(number: number): boolean;
  /** A push to the pull request's branch: a new head. Returns it. */
  push(number: number): string;
  head(number: number): string;
  /** A submitted review, of the current head unless `commitId` says which. Returns its id. */
  review(number: number, login: string, state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED', commitId?: string): number;
  dismiss(reviewId: number): void;
  /** The pull requests from a head branch (opened through the API, or by `open` with `from`), open ones first. */
  from(branch: string): readonly StoredPull[];
}

/** A pull request as GitHub keeps it; the branch fields only for those made through the API (or `open` with `from`). */
export interface StoredPull {
  readonly number: number;
  title: string;
  readonly author: string;
  head: string;
  headRef?: string;
  base?: string;
  body?: string;
  state: 'open' | 'closed';
  /** Closed by a merge (set with state: 'closed'), as pulls.get reports it. */
  merged?: boolean;
  labels: string[];
  reviewers: string[];
  teams: string[];
  /** Not in GET .../pulls yet. */
  unlisted?: boolean;
}

interface StoredReview {
  readonly id: number;
  readonly pull: number;
  readonly login: string;
  state: string;
  readonly commitId: string;
  readonly submittedAt: string;
}

export function gitHubPullRequests(owner: string, repo: string, now: () => string, user: (login: string) => Record<string, unknown>) {
  const pulls = new Map<number, StoredPull>();
  const reviews: StoredReview[] = [];
  let pushes = 0;
  let nextReview = 2_300_000_000;
  const sha = () => createHash('sha1').update(`push ${++pushes}`).digest('hex');
  const html = `https://github.com/${owner}/${repo}`;
  const api = `https://api.github.com/repos/${owner}/${repo}`;

  const state: GitHubPullRequests = {
    open: (number, title, author = 'octo-dev') => void pulls.set(number, { number, title, author, head: sha(), state: 'open', labels: [], reviewers: [], teams: [] }),
    has: (number) => pulls.has(number),
    push: (number) => (pulls.get(number)!.head = sha()),
    head: (number) => pulls.get(number)!.head,
    review(number, login, s, commitId) {
      const id = nextReview++;
      reviews.push({ id, pull: number, login, state: s, commitId: commitId ?? pulls.get(number)!.head, submittedAt: now() });
      return id;
    },
    dismiss: (id) => void (reviews.find((r) => r.id === id)!.state = 'DISMISSED'),
    from: (branch) => [...pulls.values()].filter((p) => p.headRef === branch).sort((a, b) => (a.state === b.state ? a.number - b.number : a.state === 'open' ? -1 : 1)),
  };

  /** POST .../pulls: a new number after every pull request and issue so far, as GitHub counts them together. */
  function create(fields: { title: string; headRef: string; head: string; base: string; body?: string; author: string }): StoredPull {
    const number = Math.max(0, ...pulls.keys()) + 1;
    const p: StoredPull = { number, title: fields.title, author: fields.author, head: fields.head, headRef: fields.headRef, base: fields.base, ...(fields.body !== undefined ? { body: fields.body } : {}), state: 'open', labels: [], reviewers: [], teams: [] };
    pulls.set(number, p);
    return p;
  }

  function pullRequest(number: number) {
    const p = pulls.get(number)!;
    const shown = documentedExample('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 200) as Record<string, unknown> & { head: Record<string, unknown> };
    // GitHub's own example lists a team without its required `type`; a pull request with no review requests is as real.
    const ended = p.state === 'closed' ? '2026-12-01T11:02:00Z' : null;
    return { ...shown, ...branchFields(p, shown), number, title: p.title, state: p.state, merged: p.merged === true, merged_at: p.merged === true ? ended : null, closed_at: ended, merged_by: p.merged === true ? user('octo-lead') : null, user: user(p.author), html_url: `${html}/pull/${number}`, url: `${api}/pulls/${number}`, requested_teams: p.teams.map(team), requested_reviewers: p.reviewers.map(user) };
  }

  /** An entry of GET .../pulls, GitHub's pull-request-simple. */
  function pullRequestSimple(number: number) {
    const p = pulls.get(number)!;
    const shown = (documentedExample('GET', '/repos/{owner}/{repo}/pulls', 200) as unknown as Array<Record<string, unknown> & { head: Record<string, unknown> }>)[0]!;
    return { ...shown, ...branchFields(p, shown), number, title: p.title, state: p.state, user: user(p.author), html_url: `${html}/pull/${number}`, url: `${api}/pulls/${number}`, requested_teams: p.teams.map(team), requested_reviewers: p.reviewers.map(user), labels: p.labels.map(label) };
  }

  function branchFields(p: StoredPull, shown: { head: Record<string, unknown>; base?: unknown; body?: unknown }) {
    const base = shown.base as Record<string, unknown>;
    return {
      head: { ...shown.head, sha: p.head, ...(p.headRef !== undefined ? { ref: p.headRef, label: `${owner}:${p.headRef}` } : {}) },
      base: { ...base, ...(p.base !== undefined ? { ref: p.base, label: `${owner}:${p.base}` } : {}) },
      body: p.body ?? (shown.body as string | null),
    };
  }

  function label(name: string) {
    const shown = (documentedExample('GET', '/repos/{owner}/{repo}/labels/{name}', 200) as Record<string, unknown>);
    return { ...shown, name, url: `${api}/labels/${encodeURIComponent(name)}`, default: false };
  }

  function team(slug: string) {
    return { id: 1, node_id: 'MDQ6VGVhbTE=', url: `https://api.github.com/teams/1`, html_url: `https://github.com/orgs/${owner}/teams/${slug}`, name: slug, slug, description: null, privacy: 'closed', notification_setting: 'notifications_enabled', permission: 'pull', members_url: `https://api.github.com/teams/1/members{/member}`, repositories_url: 'https://api.github.com/teams/1/repos', parent: null, type: 'organization' };
  }

  /** GET .../pulls/{n}/reviews lists oldest first, as GitHub does. */
  function listReviews(number: number): unknown[] {
    const shown = documentedExample('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', 200) as Record<string, unknown>;
    return reviews
      .filter((r) => r.pull === number)
      .map((r) => ({
        ...shown,
        id: r.id,
        node_id: `PRR_kwDO${Buffer.from(`v${r.id}`).toString('base64url')}`,
        user: user(r.login),
        body: r.state === 'APPROVED' ? 'LGTM' : r.state === 'CHANGES_REQUESTED' ? 'Not this plan: the image automation is not suspended.' : 'Looked at the diff.',
        state: r.state,
        html_url: `${html}/pull/${number}#pullrequestreview-${r.id}`,
        pull_request_url: `${api}/pulls/${number}`,
        _links: { html: { href: `${html}/pull/${number}#pullrequestreview-${r.id}` }, pull_request: { href: `${api}/pulls/${number}` } },
        submitted_at: r.submittedAt,
        commit_id: r.commitId,
        author_association: r.login === pulls.get(number)!.author ? 'OWNER' : 'MEMBER',
      }));
  }

  return { state, pulls, create, pullRequest, pullRequestSimple, label, listReviews };
}
