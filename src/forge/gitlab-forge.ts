import { MergeRequestNotes, MergeRequests } from '@gitbeaker/rest';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ForgeComment, PlanCommentForge } from './forge-comments.js';
import { GITLAB_CALL_TIMEOUT_MS, GITLAB_RETRIES, gitLabRequester } from './gitlab-requester.js';
import { mergeRequestName, type MergeRequestRef } from './merge-request-ref.js';
import { outdatedNoteBody } from './outdated-note.js';

/** GitLab refuses a longer note ("Limited to 1,000,000 characters", docs.gitlab.com/api/notes). */
export const GITLAB_NOTE_LIMIT = 1_000_000;
/** A whole call, its pages and its retries included. */

export interface GitLabAccess {
  /** A personal, project or group access token (sent as PRIVATE-TOKEN), or a CI/CD job token (sent as JOB-TOKEN). */
  readonly token: { readonly kind: 'private' | 'job'; readonly value: string; readonly from: string };
  /** The instance: https://gitlab.com, or a self-managed one's address; the API is under /api/v4. */
  readonly host: string;
  /** Milliseconds per second of a wait (1000); tests make it small. */
  readonly secondMs?: number;
  /** Characters a note may hold: GITLAB_NOTE_LIMIT, lowered (never raised) by tests so a plan splits without a megabyte of it. */
  readonly noteLimit?: number;
}

interface NoteData {
  readonly id: number;
  readonly body: string;
  readonly author?: { readonly username?: string };
}

/**
 * The plan comment as merge request notes. GitLab cannot hide a note as GitHub minimises a
 * comment, and a note posted through the Notes API is a plain comment, not a thread it could
 * resolve; so an older plan note is edited down to one line pointing at the current one.
 */
export function gitLabForge(mr: MergeRequestRef, access: GitLabAccess): PlanCommentForge {
  const options = {
    host: access.host.replace(/\/+$/, ''),
    ...(access.token.kind === 'job' ? { jobToken: access.token.value } : { token: access.token.value }),
    requesterFn: gitLabRequester(access.secondMs ?? 1000),
    queryTimeout: GITLAB_CALL_TIMEOUT_MS,
  };
  const mergeRequests = new MergeRequests(options);
  const notes = new MergeRequestNotes(options);
  const where = mergeRequestName(mr);
  // Notes carry no address of their own: GitLab links one as the merge request's page and #note_ID.
  let page = '';
  // Who posted each note: GitLab lets only a note's author edit it.
  const authors = new Map<number, string>();
  const call = <T>(what: string, request: () => Promise<T>, author?: string) => request().catch((error: unknown) => Promise.reject(gitLabError(error, what, where, access.token, author)));
  const note = (n: NoteData): ForgeComment => {
    if (n.author?.username) authors.set(n.id, n.author.username);
    return { id: n.id, body: n.body ?? '', url: `${page}#note_${n.id}` };
  };
  const update = (id: number, body: string) => call(`update note ${id}`, () => notes.edit(mr.project, mr.iid, id, { body }), authors.get(id)).then(() => undefined);
  return {
    where,
    commentLimit: Math.min(access.noteLimit ?? GITLAB_NOTE_LIMIT, GITLAB_NOTE_LIMIT),
    retiredAs: 'edited down as outdated',
    checkPullRequest: () =>
      call('read the merge request', () => mergeRequests.show(mr.project, mr.iid)).then((found) => {
        page = String((found as { web_url?: unknown }).web_url ?? '');
        // GitLab's approvals say who, not when nor for which commit: apply counts them only when the note last changed
        // after the newest push (HF516), so the note names the head it is posted for, and a push changes it.
        const sha = (found as { sha?: unknown }).sha;
        return typeof sha === 'string' && /^[0-9a-f]{40,64}$/.test(sha) ? { head: sha } : {};
      }),
    listComments: () => call('list its notes', () => notes.all(mr.project, mr.iid, { perPage: 100, sort: 'asc', orderBy: 'created_at' })).then((all) => (all as unknown as NoteData[]).map(note)),
    createComment: (body) => call('post a note', () => notes.create(mr.project, mr.iid, body)).then((n) => note(n as unknown as NoteData)),
    updateComment: update,
    retireComment: (comment, retired, current) => update(comment.id, outdatedNoteBody(retired, current)),
  };
}

interface GitbeakerFailure {
  readonly name?: string;
  readonly message?: string;
  readonly cause?: { readonly description?: string; readonly response?: Response; readonly code?: string; readonly message?: string };
}

/**
 * One coded line for what went wrong, in words a person acts on. Only GitLab's message and
 * status are quoted: the request (and so the token) never is.
 */
export function gitLabError(error: unknown, what: string, where: string, token: GitLabAccess['token'], noteAuthor?: string): HotfixError {
  const e = (error ?? {}) as GitbeakerFailure;
  const response = e.cause?.response;
  const fail = (code: Parameters<typeof diagnostic>[0], message: string) => new HotfixError([diagnostic(code, message)]);
  const again = 'run the command again later: it finds its notes again and goes on';
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return fail('HF503', `GitLab did not answer within ${GITLAB_CALL_TIMEOUT_MS / 1000} s when hotfix tried to ${what} on ${where}; ${again}`);
  if (!response) return fail('HF503', `GitLab could not be reached when hotfix tried to ${what} on ${where} (${firstLine(e.cause?.message ?? e.message ?? String(error))}, after ${GITLAB_RETRIES} retries); ${again}`);
  const status = response.status;
  const said = firstLine(e.cause?.description || response.statusText || String(status));
  const headers = response.headers;
  if (status === 429) {
    const resetTime = headers.get('ratelimit-resettime');
    const when = resetTime ? `at ${resetTime}` : headers.has('retry-after') ? `in ${headers.get('retry-after')} s` : 'later';
    return fail('HF504', `GitLab rate-limited the token while hotfix tried to ${what} on ${where} (429: ${said}); the limit resets ${when}: run the command again then`);
  }
  // GitLab answers 404, not 403, for a project or merge request the token's user may not see.
  if (status === 404) return fail('HF502', `GitLab has no merge request ${where} that this token can see (404 when trying to ${what}: ${said}): check --pr, and that the token's user is a member of ${where.split('!')[0]}`);
  if (token.kind === 'job' && (status === 401 || status === 403))
    return fail('HF510', `GitLab refused the CI/CD job token in ${token.from} when hotfix tried to ${what} on ${where} (${status}: ${said}): a job token may read a merge request and its notes, never write a note; set GITLAB_TOKEN to a project access token with the api scope (a masked CI/CD variable)`);
  if (status === 401) return fail('HF505', `GitLab refused the token in ${token.from} (401: ${said}) when hotfix tried to ${what} on ${where}: it is wrong, expired or revoked; give a valid one`);
  if (status === 403 && noteAuthor !== undefined && said !== 'insufficient_scope')
    return fail('HF505', `GitLab refused the token in ${token.from} to ${what} on ${where} (403: ${said}): GitLab lets only a note's author edit it, and @${noteAuthor} posted that one (a token made since for another bot user?): delete that note, then run hotfix comment again, which posts a new one`);
  if (status === 403) return fail('HF505', `GitLab refused the token in ${token.from} when hotfix tried to ${what} on ${where} (403: ${said}): give it the api scope (read_api cannot write notes), and its user a role that may comment on the merge request`);
  if (status >= 500) return fail('HF503', `GitLab failed when hotfix tried to ${what} on ${where} (${status}: ${said}, after ${GITLAB_RETRIES} retries); ${again}`);
  return fail('HF509', `GitLab refused what hotfix sent to ${what} on ${where} (${status}: ${said}); please report it, with this line`);
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim().slice(0, 300);
}
