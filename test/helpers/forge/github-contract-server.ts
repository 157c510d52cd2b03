import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';
import { answerGraphql } from './graphql-contract.js';
import { CHECK_OPERATIONS, gitHubChecks, type GitHubChecks } from './github-checks-state.js';
import { gitHubPullRequests, type GitHubPullRequests } from './github-pull-requests-state.js';
import { documentedExample, findOperation, requestProblems, responseProblem, type Operation } from './openapi-contract.js';

/**
 * A loopback GitHub for tests: it keeps a repository's pull requests and their comments
 * (who wrote them, whether they are minimised) and answers the REST and GraphQL calls the
 * CLI makes, the way GitHub Enterprise Server lays them out (REST under /api/v3, GraphQL
 * at /api/graphql). Every request is checked against GitHub's official OpenAPI description
 * (GraphQL: the published schema) and every response it sends is checked too; what the
 * real API would refuse is answered as GitHub answers it (404, 422) and recorded in
 * `violations`, which a test asserts is empty. Tests can also make it fail: server
 * errors, rate limits.
 */

export interface StoredComment {
  readonly id: number;
  readonly nodeId: string;
  readonly issue: number;
  body: string;
  readonly author: string;
  readonly createdAt: string;
  updatedAt: string;
  /** minimizeComment's classifier, once minimised. */
  minimized?: string;
}

/** Hostile answers for the next `times` requests matching `operation` (an operationId, or `graphql`; any when absent). */
export interface Trouble {
  readonly operation?: string;
  times: number;
  /** `forbidden`: what a token without the permission gets (GITHUB_TOKEN with `pull-requests: read`). */
  readonly answer: 'server-error' | 'rate-limit' | 'secondary-rate-limit' | 'forbidden';
  /** For rate limits: seconds until the limit resets, as the headers say. */
  readonly resetSeconds?: number;
}

export interface ContractServer {
  /** What GITHUB_API_URL is set to. */
  readonly apiUrl: string;
  readonly violations: string[];
  /** Every request answered: method, operation and status, in order. */
  readonly requests: Array<{ readonly operation: string; readonly status: number }>;
  readonly comments: StoredComment[];
  /** A pull request opened by `author` (octo-dev unless said). */
  openPullRequest(number: number, title: string, author?: string): void;
  /** Heads, pushes and reviews of the pull requests; those made through the API with their branches, labels and reviewers. */
  readonly pulls: GitHubPullRequests;
  /** The pull requests of another repository of octo-org (`moreRepos`). */
  pullsOf(repo: string): GitHubPullRequests;
  /** A comment by a person (not the token's user), as the web UI makes it. */
  personComment(issue: number, body: string, login?: string): StoredComment;
  /** An edit in the web UI: GitHub stores CRLF line ends then. */
  personEdit(id: number, body: string): void;
  trouble(t: Trouble): void;
  /**
   * The next `times` creates of a pull request lose a race: another job opens the same head's
   * pull request just before, so GitHub answers 422 "A pull request already exists". `unlisted`:
   * GET .../pulls does not show that pull request yet (lists lag behind a create) until `listAll`.
   */
  raceCreates(times: number, unlisted?: boolean): void;
  listAll(): void;
  /**
   * The next create of a pull request waits, unanswered, until `release`: a slow GitHub, so
   * that a test can run a second apply while the first is in the middle of opening one.
   * `arrived` settles once the create is waiting.
   */
  holdCreate(): { readonly arrived: Promise<void>; release(): void };
  /** Check runs and commit statuses of the repositories given as `checksOf`. */
  readonly checks: GitHubChecks;
  close(): Promise<void>;
}

/** The user GITHUB_TOKEN acts as in a workflow, as GitHub shows it. */
const ACTIONS_BOT = 'github-actions[bot]';
const OWNER = 'octo-org';
const REPO = 'deploy';
const LIMIT = 65_536;

export interface GitHubContractOptions {
  readonly token: string;
  readonly checksOf?: readonly string[];
  readonly tokenUser?: string;
  /** The bare repository octo-org/deploy is: a pull request's head and base must be branches of it, as on GitHub. */
  readonly remote?: string;
  /** More repositories of octo-org, by name, each a bare repository, with pull requests of their own. */
  readonly moreRepos?: Readonly<Record<string, string>>;
  /** Who may be asked to review (people with access to the repository), and the org's teams, by slug. */
  readonly collaborators?: readonly string[];
  readonly teams?: readonly string[];
}

/**
 * `tokenUser`: the token is this user's (a personal access token: GET /user names it, and
 * its comments are by it); without it the token is GITHUB_TOKEN, an app token whose
 * comments are github-actions[bot]'s and which GET /user refuses, as GitHub does.
 */
export async function startGitHubContractServer(options: GitHubContractOptions): Promise<ContractServer> {
  const violations: string[] = [];
  const requests: Array<{ operation: string; status: number }> = [];
  const comments: StoredComment[] = [];
  const troubles: Trouble[] = [];
  let races = 0;
  let racesUnlisted = false;
  let held: { arrive: () => void; released: Promise<void> } | undefined;
  let nextId = 1_900_000_000;
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString().replace(/\.\d+Z$/, 'Z');
  const checks = gitHubChecks(options.checksOf ?? [], now);
  const pulls = gitHubPullRequests(OWNER, REPO, now, user);
  const repos = new Map([[REPO, { pulls, remote: options.remote }], ...Object.entries(options.moreRepos ?? {}).map(([name, remote]) => [name, { pulls: gitHubPullRequests(OWNER, name, now, user), remote }] as const)]);
  const tokenUser = options.tokenUser ?? ACTIONS_BOT;
  /** A branch's head in the remote, if it has the branch; without a remote every branch exists. */
  const branchSha = (remote: string | undefined, branch: string): string | undefined => {
    if (remote === undefined) return '0'.repeat(40);
    const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], { cwd: remote, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };

  const addComment = (issue: number, body: string, author: string): StoredComment => {
    const id = nextId++;
    const at = now();
    const c: StoredComment = { id, nodeId: `IC_kwDO${Buffer.from(`c${id}`).toString('base64url')}`, issue, body, author, createdAt: at, updatedAt: at };
    comments.push(c);
    return c;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      violations.push(`contract server failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, 500, { message: 'contract server failed' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const raw = await readBody(req);
    const authorization = req.headers.authorization ?? '';
    if (authorization !== `token ${options.token}` && authorization !== `bearer ${options.token}`) {
      requests.push({ operation: `${req.method} ${url.pathname}`, status: 401 });
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      violations.push(`${req.method} ${url.pathname}: the body is not JSON`);
      return send(res, 400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest', status: '400' });
    }
    if (url.pathname === '/api/graphql' && req.method === 'POST') return graphqlCall(res, body);
    if (!url.pathname.startsWith('/api/v3/')) {
      violations.push(`${req.method} ${url.pathname}: not under /api/v3, where GitHub Enterprise Server serves REST`);
      return send(res, 404, notFound());
    }
    const path = url.pathname.slice('/api/v3'.length);
    const op = findOperation(req.method ?? 'GET', path);
    if (!op) {
      violations.push(`${req.method} ${path}: no such operation in GitHub's OpenAPI description`);
      requests.push({ operation: `${req.method} ${path}`, status: 404 });
      return send(res, 404, notFound());
    }
    const answer = (status: number, data?: unknown, headers: Record<string, string> = {}, refusal = false) => {
      requests.push({ operation: op.operationId, status });
      // GitHub answers an invalid request 422 whether or not the operation documents it; the violation is recorded already.
      const problem = refusal ? undefined : responseProblem(op, status, data);
      if (problem) violations.push(`${op.operationId}: the contract server's own ${problem}`);
      send(res, status, data, headers);
    };
    if (troubled(op.operationId, res)) return;
    const problems = requestProblems(op, url.searchParams, body);
    if (problems.length > 0) {
      violations.push(`${op.method} ${op.template} (${op.operationId}): ${problems.join('; ')}`);
      return answer(422, { message: `Invalid request.\n\n${problems.join('\n')}`, documentation_url: docs(op), status: '422' }, {}, true);
    }
    const p = op.pathParams;
    if (CHECK_OPERATIONS.has(op.operationId)) {
      const read = checks.answer(op, url.searchParams, `http://${req.headers.host}/api/v3${path}`);
      // GitHub answers 404 for a repository the token cannot see, though these operations document only 200.
      return read ? answer(200, read.data, read.headers) : answer(404, notFound(op), {}, true);
    }
    if (op.operationId === 'users/get-authenticated') {
      if (options.tokenUser === undefined) return answer(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user', status: '403' }, {}, true);
      const shown = documentedExample('GET', '/user', 200) as Record<string, unknown>;
      return answer(200, { ...shown, ...user(tokenUser), name: tokenUser, email: null, bio: null, company: null });
    }
    if (p.owner !== OWNER || !repos.has(p.repo!)) return answer(404, notFound(op));
    // The pull requests, and the bare repository, of the repository asked about.
    const here = repos.get(p.repo!)!;
    switch (op.operationId) {
      case 'pulls/get':
        return here.pulls.state.has(Number(p.pull_number)) ? answer(200, here.pulls.pullRequest(Number(p.pull_number))) : answer(404, notFound(op));
      case 'pulls/list-reviews':
        if (!pulls.state.has(Number(p.pull_number))) return answer(404, notFound(op));
        return answer(...paged(pulls.listReviews(Number(p.pull_number)), url.searchParams, `http://${req.headers.host}/api/v3${path}`));
      case 'issues/list-comments':
        if (!pulls.state.has(Number(p.issue_number))) return answer(404, notFound(op));
        return answer(...paged(comments.filter((c) => c.issue === Number(p.issue_number)).map(issueComment), url.searchParams, `http://${req.headers.host}/api/v3${path}`));
      case 'issues/create-comment': {
        if (!pulls.state.has(Number(p.issue_number))) return answer(404, notFound(op));
        const text = (body as { body: string }).body;
        if (tooLong(text)) return answer(422, tooLongError(op, violations));
        return answer(201, issueComment(addComment(Number(p.issue_number), text, tokenUser)));
      }
      case 'pulls/list': {
        const head = url.searchParams.get('head');
        const state = url.searchParams.get('state') ?? 'open';
        // `head` filters by user:ref-name; GitHub ignores a value in any other form and lists them all.
        const ref = head?.startsWith(`${OWNER}:`) ? head.slice(OWNER.length + 1) : undefined;
        const listed = [...here.pulls.pulls.values()].filter((x) => !x.unlisted && (ref === undefined || x.headRef === ref) && (state === 'all' || x.state === state));
        return answer(...paged(listed.map((x) => here.pulls.pullRequestSimple(x.number)), url.searchParams, `http://${req.headers.host}/api/v3${path}`));
      }
      case 'pulls/create': {
        if (held) {
          const h = held;
          held = undefined;
          h.arrive();
          await h.released;
        }
        const b = body as { title?: string; head: string; base: string; body?: string };
        const invalid = (field: string) => answer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field, code: 'invalid' }], documentation_url: docs(op), status: '422' });
        const headSha = branchSha(here.remote, b.head);
        if (headSha === undefined) return invalid('head');
        if (branchSha(here.remote, b.base) === undefined) return invalid('base');
        if (races > 0) {
          races--;
          here.pulls.create({ title: b.title ?? '', headRef: b.head, head: headSha, base: b.base, author: tokenUser }).unlisted = racesUnlisted;
        }
        if (here.pulls.state.from(b.head).some((x) => x.state === 'open'))
          return answer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${OWNER}:${b.head}.` }], documentation_url: docs(op), status: '422' });
        if (b.body !== undefined && tooLong(b.body)) return answer(422, tooLongError(op, violations, 'PullRequest'));
        const made = here.pulls.create({ title: b.title ?? '', headRef: b.head, head: headSha, base: b.base, ...(b.body !== undefined ? { body: b.body } : {}), author: tokenUser });
        return answer(201, here.pulls.pullRequest(made.number), { location: `https://api.github.com/repos/${OWNER}/${p.repo}/pulls/${made.number}` });
      }
      case 'pulls/update': {
        const x = here.pulls.pulls.get(Number(p.pull_number));
        if (!x) return answer(404, notFound(op));
        const b = body as { title?: string; body?: string; base?: string; state?: 'open' | 'closed' };
        if (b.body !== undefined && tooLong(b.body)) return answer(422, tooLongError(op, violations, 'PullRequest'));
        if (b.base !== undefined && branchSha(here.remote, b.base) === undefined) return answer(422, { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'base', code: 'invalid' }], documentation_url: docs(op), status: '422' });
        Object.assign(x, { ...(b.title !== undefined ? { title: b.title } : {}), ...(b.body !== undefined ? { body: b.body } : {}), ...(b.base !== undefined ? { base: b.base } : {}), ...(b.state !== undefined ? { state: b.state } : {}) });
        return answer(200, here.pulls.pullRequest(x.number));
      }
      case 'issues/add-labels': {
        const x = here.pulls.pulls.get(Number(p.issue_number));
        if (!x) return answer(404, notFound(op));
        const b = body as { labels?: Array<string | { name: string }> } | string[];
        const names = (Array.isArray(b) ? b : b.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name));
        for (const n of names) if (!x.labels.includes(n)) x.labels.push(n);
        return answer(200, x.labels.map(here.pulls.label));
      }
      case 'pulls/request-reviewers': {
        const x = here.pulls.pulls.get(Number(p.pull_number));
        if (!x) return answer(404, notFound(op));
        const b = body as { reviewers?: string[]; team_reviewers?: string[] };
        const people = b.reviewers ?? [];
        const teams = b.team_reviewers ?? [];
        // The description documents this 422 without a body; GitHub sends its message in one.
        if (people.includes(x.author)) return answer(422, { message: 'Review cannot be requested from pull request author.', documentation_url: docs(op), status: '422' }, {}, true);
        if (people.some((u) => !(options.collaborators ?? []).includes(u)) || teams.some((t) => !(options.teams ?? []).includes(t)))
          return answer(422, { message: `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${OWNER}/${p.repo} repository.`, documentation_url: docs(op), status: '422' }, {}, true);
        for (const u of people) if (!x.reviewers.includes(u)) x.reviewers.push(u);
        for (const t of teams) if (!x.teams.includes(t)) x.teams.push(t);
        return answer(201, here.pulls.pullRequestSimple(x.number));
      }
      case 'issues/update-comment': {
        const c = comments.find((x) => x.id === Number(p.comment_id));
        if (!c) return answer(404, notFound(op));
        const text = (body as { body: string }).body;
        if (tooLong(text)) return answer(422, tooLongError(op, violations));
        c.body = text;
        c.updatedAt = now();
        return answer(200, issueComment(c));
      }
      default:
        violations.push(`${op.operationId}: documented, but the contract server does not answer it; add it before the CLI uses it`);
        return answer(404, notFound(op));
    }
  }

  async function graphqlCall(res: ServerResponse, body: unknown): Promise<void> {
    if (troubled('graphql', res)) return;
    const { query, variables } = (body ?? {}) as { query?: unknown; variables?: unknown };
    const result = await answerGraphql(
      {
        minimize: (subjectId, classifier) => {
          const c = comments.find((x) => x.nodeId === subjectId);
          if (!c) return undefined;
          c.minimized = classifier;
          return { isMinimized: true, minimizedReason: classifier.toLowerCase() };
        },
      },
      query,
      variables,
    );
    if (result.invalid) violations.push(`graphql: ${result.errors?.map((e) => e.message).join('; ')}`);
    requests.push({ operation: 'graphql', status: 200 });
    const { invalid: _invalid, ...answer } = result;
    send(res, 200, answer);
  }

  /** Answers with the first trouble that matches, if any. */
  function troubled(operation: string, res: ServerResponse): boolean {
    const t = troubles.find((x) => x.times > 0 && (x.operation === undefined || x.operation === operation));
    if (!t) return false;
    t.times--;
    const reset = String(Math.floor(clockNow() / 1000) + (t.resetSeconds ?? 1));
    requests.push({ operation, status: t.answer === 'server-error' ? 502 : operation === 'graphql' ? 200 : 403 });
    if (t.answer === 'server-error') send(res, 502, { message: 'Server Error' });
    else if (t.answer === 'forbidden' && operation === 'graphql') send(res, 200, { data: { minimizeComment: null }, errors: [{ type: 'FORBIDDEN', path: ['minimizeComment'], locations: [{ line: 1, column: 20 }], message: 'Resource not accessible by integration' }] });
    else if (t.answer === 'forbidden') send(res, 403, { message: 'Resource not accessible by integration', documentation_url: `https://docs.github.com/rest/${operation.split('/')[0]}`, status: '403' });
    else if (t.answer === 'rate-limit') send(res, 403, { message: 'API rate limit exceeded for installation ID 1234567.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api', status: '403' }, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': reset, 'x-ratelimit-resource': 'core' });
    else send(res, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits', status: '403' }, { 'retry-after': String(t.resetSeconds ?? 1) });
    return true;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const html = `https://github.com/${OWNER}/${REPO}`;

  function issueComment(c: StoredComment) {
    const shown = documentedExample('GET', '/repos/{owner}/{repo}/issues/comments/{comment_id}', 200) as Record<string, unknown>;
    return {
      ...shown,
      id: c.id,
      node_id: c.nodeId,
      url: `https://api.github.com/repos/${OWNER}/${REPO}/issues/comments/${c.id}`,
      html_url: `${html}/pull/${c.issue}#issuecomment-${c.id}`,
      issue_url: `https://api.github.com/repos/${OWNER}/${REPO}/issues/${c.issue}`,
      body: c.body,
      user: user(c.author),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.author === tokenUser ? 'NONE' : 'MEMBER',
    };
  }

  return {
    apiUrl: `http://127.0.0.1:${port}/api/v3`,
    violations,
    requests,
    comments,
    openPullRequest: (number, title, author) => pulls.state.open(number, title, author),
    pulls: pulls.state,
    pullsOf: (repo) => repos.get(repo)!.pulls.state,
    personComment: (issue, body, login = 'octocat') => addComment(issue, body, login),
    personEdit: (id, body) => {
      const c = comments.find((x) => x.id === id)!;
      c.body = body.replace(/\r?\n/g, '\r\n');
      c.updatedAt = now();
    },
    trouble: (t) => void troubles.push(t),
    raceCreates: (times, unlisted = false) => {
      races = times;
      racesUnlisted = unlisted;
    },
    listAll: () => {
      for (const { pulls: each } of repos.values()) for (const x of each.pulls.values()) x.unlisted = false;
    },
    holdCreate: () => {
      let arrive!: () => void;
      let release!: () => void;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      held = { arrive, released: new Promise<void>((resolve) => (release = resolve)) };
      return { arrived, release };
    },
    checks: checks.state,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function user(login: string) {
  const bot = login === ACTIONS_BOT;
  // Each person an id of their own, as a reviewer and an author must not look alike.
  const id = bot ? 41898282 : 583231 + [...login].reduce((sum, ch) => sum * 31 + ch.charCodeAt(0), 0) % 1_000_000;
  const api = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: bot ? 'MDM6Qm90NDE4OTgyODI=' : 'MDQ6VXNlcjU4MzIzMQ==',
    avatar_url: bot ? 'https://avatars.githubusercontent.com/in/15368?v=4' : 'https://avatars.githubusercontent.com/u/583231?v=4',
    gravatar_id: '',
    url: api,
    html_url: bot ? 'https://github.com/apps/github-actions' : `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: bot ? 'Bot' : 'User',
    user_view_type: 'public',
    site_admin: false,
  };
}

/** One page of a list, with the Link header GitHub sends while more pages follow. */
function paged(all: readonly unknown[], query: URLSearchParams, self: string): [number, unknown[], Record<string, string>] {
  const perPage = Number(query.get('per_page') ?? 30);
  const page = Number(query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const link = (n: number, rel: string) => `<${self}?per_page=${perPage}&page=${n}>; rel="${rel}"`;
  const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
  return [200, all.slice((page - 1) * perPage, page * perPage), links.length > 0 ? { link: links.join(', ') } : {}];
}

function clockNow(): number {
  return Date.now();
}

function tooLong(text: string): boolean {
  // GitHub counts characters (code points), as Ruby's String#length does.
  return [...text].length > LIMIT;
}

function tooLongError(op: Operation, violations: string[], resource = 'IssueComment') {
  violations.push(`${op.operationId}: the body is longer than GitHub takes (${LIMIT} characters)`);
  return { message: 'Validation Failed', errors: [{ resource, code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${LIMIT} characters)` }], documentation_url: docs(op), status: '422' };
}

function notFound(op?: Operation) {
  return { message: 'Not Found', documentation_url: op ? docs(op) : 'https://docs.github.com/rest', status: '404' };
}

function docs(op: Operation): string {
  return `https://docs.github.com/rest/${op.operationId.split('/')[0]}`;
}

function send(res: ServerResponse, status: number, data?: unknown, headers: Record<string, string> = {}): void {
  const text = data === undefined ? '' : JSON.stringify(data);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), 'x-github-api-version-selected': '2022-11-28', 'x-github-media-type': 'github.v3; format=json', ...headers });
  res.end(text);
}
