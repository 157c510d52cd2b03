import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';
import { gitLabChecks, type GitLabChecks } from './gitlab-checks-state.js';
import { gitLabApprovals, type GitLabApprovals } from './gitlab-approvals-state.js';
import { matchOperation, NOTE_LIMIT, requestProblems, responseProblem, type GitLabOperation } from './gitlab-contract.js';

/**
 * A loopback GitLab instance for tests: one project (under nested groups) with its merge
 * requests and their notes (who wrote them, system notes among them), answering the REST
 * calls `hotfix comment` makes under /api/v4. Every request is checked against the
 * endpoints as GitLab describes them (gitlab-contract.ts) and every answer it sends too;
 * what GitLab would refuse is answered as GitLab answers it and recorded in `violations`,
 * which a test asserts is empty. Tokens: an access token in PRIVATE-TOKEN, and the job's
 * CI_JOB_TOKEN in JOB-TOKEN, which reads but never writes notes, as on GitLab.
 */

export interface StoredNote {
  readonly id: number;
  readonly mr: number;
  body: string;
  readonly author: string;
  readonly system: boolean;
  readonly createdAt: string;
  updatedAt: string;
}

/** A merge request; the branches, description and labels as the API set them (`openMergeRequest` gives fixed ones). */
export interface StoredMergeRequest {
  readonly iid: number;
  title: string;
  readonly source: string;
  target: string;
  description: string;
  labels: string[];
  /** Usernames, from the reviewer_ids given. */
  reviewers: string[];
  state: 'opened' | 'closed' | 'merged';
}

/** Hostile answers for the next `times` requests of `operation` (an operationId; any when absent). */
export interface GitLabTrouble {
  readonly operation?: string;
  times: number;
  /** `server-error`: Grape's 500; `bad-gateway`: Workhorse's 502 while Puma restarts; `rate-limit`: Rack::Attack's 429. */
  readonly answer: 'server-error' | 'bad-gateway' | 'rate-limit';
  /** For a rate limit: the Retry-After it sends. */
  readonly retryAfter?: number;
}

export interface GitLabContractServer {
  /** The instance's address, what --forge-url takes; its API is under /api/v4. */
  readonly url: string;
  readonly violations: string[];
  /** Every request answered, in order: the operation (or method and path), the status, the token header used. */
  readonly requests: Array<{ readonly operation: string; readonly status: number; readonly auth: Auth; readonly path?: string; readonly query?: string }>;
  readonly notes: StoredNote[];
  openMergeRequest(iid: number, title: string): void;
  /** The merge requests from a source branch, as the API made or found them. */
  mergeRequestsFrom(branch: string): readonly StoredMergeRequest[];
  /** A comment by a person, as the web UI makes it. */
  personNote(mr: number, body: string, username?: string): StoredNote;
  /** What GitLab itself posts ("added 1 commit"). */
  systemNote(mr: number, body: string): StoredNote;
  /** An edit in the web UI. */
  personEdit(id: number, body: string): void;
  trouble(t: GitLabTrouble): void;
  /** The CI jobs and commit statuses of the project's commits. */
  readonly checks: GitLabChecks;
  /** Pushes to merge requests (diff versions) and who approved them. */
  readonly approvals: GitLabApprovals;
  /** Every trouble still pending is dropped. */
  calm(): void;
  close(): Promise<void>;
}

export interface GitLabContractOptions {
  /** The project's full path: `group/subgroup/project`. */
  readonly project: string;
  readonly token: string;
  readonly jobToken?: string;
  /** An access token with the read_api scope only: it reads, and GitLab refuses its writes (403 insufficient_scope). */
  readonly readApiToken?: string;
  /** The note limit the server enforces: GitLab's, or what a test lowered the CLI's to. */
  readonly noteLimit?: number;
}

/** A project access token's bot user, as GitLab names it: project_<id>_bot_<hash>. */
const BOT = 'project_4211_bot_3f9c0d52e1a7b8c4';
/** The person whose push started the pipeline, whom a job token acts as. */
const PIPELINE_USER = 'mhoffmann';
const PROJECT_ID = 4211;
/** The instance's users: the token's bot, the pipeline's user, a reviewer. */
const USERS = [BOT, PIPELINE_USER, 'schen'];

type Auth = 'private' | 'read_api' | 'job' | 'none';
type Answer = (status: number, data: unknown, headers?: Record<string, string>) => void;

export async function startGitLabContractServer(options: GitLabContractOptions): Promise<GitLabContractServer> {
  const limit = options.noteLimit ?? NOTE_LIMIT;
  const violations: string[] = [];
  const requests: GitLabContractServer['requests'] = [];
  const notes: StoredNote[] = [];
  const mergeRequests = new Map<number, StoredMergeRequest>();
  const troubles: GitLabTrouble[] = [];
  let nextId = 1_850_000_000;
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const now = () => new Date((clock += 1000)).toISOString();
  const addNote = (mr: number, body: string, author: string, system = false): StoredNote => {
    const at = now();
    const n: StoredNote = { id: nextId++, mr, body, author, system, createdAt: at, updatedAt: at };
    notes.push(n);
    return n;
  };

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      violations.push(`contract server failed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, 500, { message: '500 Internal Server Error' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const checks = gitLabChecks(now, (username) => user(username), url, options.project);
  const approvals = gitLabApprovals(now, (username) => user(username), PROJECT_ID, (iid, username) => void addNote(iid, 'approved this merge request', username, true));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const [rawPath, rawQuery = ''] = raw.split('?', 2) as [string, string?];
    const query = new URLSearchParams(rawQuery);
    const text = await readBody(req);
    const auth = authOf(req);
    if (!rawPath.startsWith('/api/v4/')) {
      violations.push(`${req.method} ${rawPath}: not under /api/v4, where GitLab serves its REST API`);
      requests.push({ operation: `${req.method} ${rawPath}`, status: 404, auth });
      return send(res, 404, { message: '404 Not Found' });
    }
    const matched = matchOperation(req.method ?? 'GET', rawPath.slice('/api/v4/'.length));
    if (!matched) {
      violations.push(`${req.method} ${rawPath}: no such endpoint in GitLab's API (a project path must be URL-encoded, / as %2F)`);
      requests.push({ operation: `${req.method} ${rawPath}`, status: 404, auth });
      return send(res, 404, { error: '404 Not Found' });
    }
    const { op, pathParams } = matched;
    const answer = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      requests.push({ operation: op.operationId, status, auth, path: rawPath, ...(rawQuery ? { query: rawQuery } : {}) });
      if (status < 300) {
        const problem = responseProblem(op, data);
        if (problem) violations.push(`the contract server's own ${problem}`);
      }
      send(res, status, data, headers);
    };
    // Authentication comes first on GitLab: a job token where none is allowed is no user at all.
    if (auth === 'none' || (auth === 'job' && !op.jobTokenAllowed)) return answer(401, { message: '401 Unauthorized' });
    if (auth === 'read_api' && op.method !== 'GET') return answer(403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope: 'api' });
    if (troubled(op, res, auth)) return;
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      violations.push(`${op.operationId}: the body is not JSON`);
      return answer(400, { error: 'body is invalid' });
    }
    if (text !== '' && !(req.headers['content-type'] ?? '').startsWith('application/json')) violations.push(`${op.operationId}: a JSON body sent as ${req.headers['content-type'] ?? 'no content type'}`);
    const problems = requestProblems(matched, query, body);
    if (problems.length > 0) {
      violations.push(`${op.method} ${op.path.join('/')} (${op.operationId}): ${problems.join('; ')}`);
      // Grape names the first parameter it refuses.
      return answer(400, { error: problems[0] });
    }
    if (op.operationId === 'getApiV4Users') {
      const wanted = query.get('username')?.toLowerCase();
      return paged(USERS.filter((u) => wanted === undefined || u.toLowerCase() === wanted).map(user), rawPath, query, answer);
    }
    // The token's user is the bot that posts the plan notes.
    if (op.operationId === 'getApiV4User') return answer(200, user(BOT));
    if (pathParams.id !== options.project && pathParams.id !== String(PROJECT_ID)) return answer(404, { message: '404 Project Not Found' });
    if (op.operationId === 'getApiV4ProjectsIdApprovals') return answer(200, approvals.projectJson());
    if (op.operationId === 'getApiV4ProjectsIdRepositoryCommitsShaStatuses') return paged(checks.statuses(pathParams.sha!, query), rawPath, query, answer);
    if (op.operationId === 'getApiV4ProjectsIdMergeRequests') {
      const state = query.get('state') ?? 'all';
      const source = query.get('source_branch');
      const listed = [...mergeRequests.values()].filter((m) => (state === 'all' || m.state === state) && (source === null || m.source === source)).sort((a, b) => b.iid - a.iid);
      return paged(listed.map(mergeRequestJson), rawPath, query, answer);
    }
    if (op.operationId === 'postApiV4ProjectsIdMergeRequests') {
      const b = body as { source_branch: string; target_branch: string; title: string; description?: string; labels?: string; reviewer_ids?: number[] };
      const open = [...mergeRequests.values()].find((m) => m.source === b.source_branch && m.state === 'opened');
      if (open) return answer(409, { message: [`Another open merge request already exists for this source branch: !${open.iid}`] });
      const made: StoredMergeRequest = { iid: Math.max(0, ...mergeRequests.keys()) + 1, title: b.title, source: b.source_branch, target: b.target_branch, description: b.description ?? '', labels: splitLabels(b.labels), reviewers: usernames(b.reviewer_ids), state: 'opened' };
      mergeRequests.set(made.iid, made);
      return answer(201, mergeRequestJson(made));
    }
    const iid = Number(pathParams.merge_request_iid ?? pathParams.noteable_id);
    const mr = mergeRequests.get(iid);
    if (mr === undefined) return answer(404, { message: '404 Not found' });
    switch (op.operationId) {
      case 'getApiV4ProjectsIdMergeRequestsMergeRequestIid':
        return answer(200, mergeRequestJson(mr));
      case 'getApiV4ProjectsIdMergeRequestsMergeRequestIidVersions':
        return paged(approvals.versionsJson(iid), rawPath, query, answer);
      case 'getApiV4ProjectsIdMergeRequestsMergeRequestIidApprovals':
        return answer(200, approvals.approvalsJson(mr, 1));
      case 'putApiV4ProjectsIdMergeRequestsMergeRequestIid': {
        const b = body as { title?: string; description?: string; target_branch?: string; labels?: string; add_labels?: string; reviewer_ids?: number[] };
        if (b.reviewer_ids !== undefined) mr.reviewers = usernames(b.reviewer_ids);
        Object.assign(mr, { ...(b.title !== undefined ? { title: b.title } : {}), ...(b.description !== undefined ? { description: b.description } : {}), ...(b.target_branch !== undefined ? { target: b.target_branch } : {}), ...(b.labels !== undefined ? { labels: splitLabels(b.labels) } : {}) });
        for (const l of splitLabels(b.add_labels)) if (!mr.labels.includes(l)) mr.labels.push(l);
        return answer(200, mergeRequestJson(mr));
      }
      case 'getApiV4ProjectsIdMergeRequestsNoteableIdNotes':
        return listNotes(iid, rawPath, query, answer);
      case 'postApiV4ProjectsIdMergeRequestsNoteableIdNotes': {
        const text = (body as { body: string }).body;
        if (tooLong(text, op)) return answer(400, { message: { note: [`is too long (maximum is ${limit} characters)`] } });
        return answer(201, noteJson(addNote(iid, text, BOT)));
      }
      case 'putApiV4ProjectsIdMergeRequestsNoteableIdNotesNoteId': {
        const n = notes.find((x) => x.id === Number(pathParams.note_id) && x.mr === iid);
        if (!n) return answer(404, { message: '404 Note Not Found' });
        // Only the author edits a note (an administrator aside); a system note never.
        if (n.system || n.author !== BOT) return answer(403, { message: '403 Forbidden' });
        const text = (body as { body: string }).body;
        if (tooLong(text, op)) return answer(400, { message: { note: [`is too long (maximum is ${limit} characters)`] } });
        n.body = text;
        n.updatedAt = now();
        return answer(200, noteJson(n));
      }
    }
  }

  function authOf(req: IncomingMessage): Auth {
    const token = req.headers['private-token'];
    if (token !== undefined) return token === options.token ? 'private' : token === options.readApiToken ? 'read_api' : 'none';
    return options.jobToken !== undefined && req.headers['job-token'] === options.jobToken ? 'job' : 'none';
  }

  function listNotes(iid: number, rawPath: string, query: URLSearchParams, answer: Answer): void {
    const order = query.get('order_by') === 'updated_at' ? 'updatedAt' : 'createdAt';
    const all = notes.filter((n) => n.mr === iid).sort((a, b) => a[order].localeCompare(b[order]) || a.id - b.id);
    if (query.get('sort') !== 'asc') all.reverse();
    paged(all.map(noteJson), rawPath, query, answer);
  }

  /** One page of a list, with the Link and x-* headers GitLab sends. */
  function paged(all: readonly unknown[], rawPath: string, query: URLSearchParams, answer: Answer): void {
    // GitLab takes at most 100 a page whatever per_page asks.
    const perPage = Math.min(100, Number(query.get('per_page') ?? 20));
    const page = Number(query.get('page') ?? 1);
    const pages = Math.max(1, Math.ceil(all.length / perPage));
    const link = (n: number, rel: string) => {
      const q = new URLSearchParams(query);
      q.set('page', String(n));
      q.set('per_page', String(perPage));
      return `<${url}${rawPath}?${q}>; rel="${rel}"`;
    };
    const links = [...(page > 1 ? [link(page - 1, 'prev')] : []), ...(page < pages ? [link(page + 1, 'next')] : []), link(1, 'first'), link(pages, 'last')];
    answer(200, all.slice((page - 1) * perPage, page * perPage), {
      link: links.join(', '),
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-next-page': page < pages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
      'x-total': String(all.length),
      'x-total-pages': String(pages),
    });
  }

  function tooLong(text: string, op: GitLabOperation): boolean {
    // GitLab counts characters (code points), as Ruby's String#length does.
    if ([...text].length <= limit) return false;
    violations.push(`${op.operationId}: a note longer than GitLab takes (${limit} characters)`);
    return true;
  }

  /** Answers with the first trouble that matches, if any. */
  function troubled(op: GitLabOperation, res: ServerResponse, auth: Auth): boolean {
    const t = troubles.find((x) => x.times > 0 && (x.operation === undefined || x.operation === op.operationId));
    if (!t) return false;
    t.times--;
    if (t.answer === 'server-error') {
      requests.push({ operation: op.operationId, status: 500, auth });
      send(res, 500, { message: '500 Internal Server Error' });
    } else if (t.answer === 'bad-gateway') {
      requests.push({ operation: op.operationId, status: 502, auth });
      send(res, 502, 'GitLab is not responding', {}, 'text/plain; charset=utf-8');
    } else {
      requests.push({ operation: op.operationId, status: 429, auth });
      const wait = t.retryAfter ?? 1;
      const reset = new Date(Date.now() + wait * 1000);
      send(res, 429, 'Retry later\n', { 'ratelimit-name': 'throttle_authenticated_api', 'ratelimit-limit': '2000', 'ratelimit-observed': '2001', 'ratelimit-remaining': '0', 'ratelimit-reset': String(Math.floor(reset.getTime() / 1000)), 'ratelimit-resettime': reset.toUTCString(), 'retry-after': String(wait) }, 'text/plain');
    }
    return true;
  }

  /** The users an id given as a reviewer is; an id of no user is none, as GitLab drops it. */
  function usernames(ids: readonly number[] | undefined): string[] {
    return USERS.filter((u) => (ids ?? []).includes(user(u).id));
  }

  function user(username: string) {
    const id = username === BOT ? 15_511_209 : username === PIPELINE_USER ? 2_241_870 : 3_301_554;
    return { id, username, name: username === BOT ? 'hotfix plan bot' : username, state: 'active', avatar_url: `${url}/uploads/-/system/user/avatar/${id}/avatar.png`, web_url: `${url}/${username}` };
  }

  function noteJson(n: StoredNote) {
    return { id: n.id, type: null, body: n.body, attachment: null, author: user(n.author), created_at: n.createdAt, updated_at: n.updatedAt, system: n.system, noteable_id: 95_000_000 + n.mr, noteable_type: 'MergeRequest', project_id: PROJECT_ID, resolvable: false, confidential: false, internal: false, imported: false, imported_from: 'none', noteable_iid: n.mr, commands_changes: {} };
  }

  function mergeRequestJson(mr: StoredMergeRequest) {
    const { iid, title } = mr;
    return {
      id: 95_000_000 + iid,
      iid,
      project_id: PROJECT_ID,
      title,
      description: mr.description,
      labels: mr.labels,
      reviewers: mr.reviewers.map(user),
      state: mr.state,
      created_at: '2026-12-01T09:30:00.000Z',
      updated_at: '2026-12-01T09:58:12.000Z',
      target_branch: mr.target,
      source_branch: mr.source,
      author: user(PIPELINE_USER),
      draft: false,
      merge_status: 'can_be_merged',
      detailed_merge_status: 'mergeable',
      sha: approvals.head(iid),
      user_notes_count: notes.filter((n) => n.mr === iid && !n.system).length,
      web_url: `${url}/${options.project}/-/merge_requests/${iid}`,
      references: { short: `!${iid}`, relative: `!${iid}`, full: `${options.project}!${iid}` },
    };
  }

  return {
    url,
    violations,
    requests,
    notes,
    openMergeRequest: (iid, title) => void mergeRequests.set(iid, { iid, title, source: `rollback/api-js-${iid}`, target: 'prd', description: '', labels: [], reviewers: [], state: 'opened' }),
    mergeRequestsFrom: (branch) => [...mergeRequests.values()].filter((m) => m.source === branch),
    personNote: (mr, body, username = 'schen') => addNote(mr, body, username),
    systemNote: (mr, body) => addNote(mr, body, PIPELINE_USER, true),
    personEdit: (id, body) => {
      const n = notes.find((x) => x.id === id)!;
      n.body = body;
      n.updatedAt = now();
    },
    trouble: (t) => void troubles.push(t),
    checks: checks.state,
    approvals: approvals.state,
    calm: () => void troubles.splice(0),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** GitLab takes labels as one comma-separated string. */
function splitLabels(text: string | undefined): string[] {
  return (text ?? '').split(',').map((l) => l.trim()).filter((l) => l !== '');
}

function send(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}, type = 'application/json'): void {
  const text = typeof data === 'string' ? data : JSON.stringify(data);
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache', 'x-request-id': '01JEXAMPLE0000000000000000', ...headers });
  res.end(text);
}
