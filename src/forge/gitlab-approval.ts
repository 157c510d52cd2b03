import { MergeRequestApprovals, MergeRequestNotes, MergeRequests, Users } from '@gitbeaker/rest';
import type { CommentKey } from './comment-marker.js';
import { gitLabError, type GitLabAccess } from './gitlab-forge.js';
import { GITLAB_CALL_TIMEOUT_MS, gitLabRequester } from './gitlab-requester.js';
import type { GitLabApprovalFacts } from './judge-gitlab-approval.js';
import { mergeRequestName, type MergeRequestRef } from './merge-request-ref.js';

/** A whole call, its pages and its retries included. */
/** At most 10,000 notes or diff versions: a forge that never stops paging cannot hold apply. */
const MAX_PAGES = { perPage: 100, maxPages: 100 } as object;

export interface GitLabApprovalQuery {
  readonly planId: string;
  readonly key: CommentKey;
  readonly required: number;
  /** The user hotfix comment posts as, when the command line says; else the token's own (GET /user). */
  readonly commenter?: string;
}

/** The project's "Reset approvals when commits are added" (reset_approvals_on_push), or unknown where the token may not read it. */
export type ResetOnPush = boolean | 'unknown';

interface UserData {
  readonly username?: string;
}
interface NoteData {
  readonly id: number;
  readonly body?: string;
  readonly system?: boolean;
  readonly author?: UserData;
  readonly created_at?: string;
  readonly updated_at?: string;
}

/**
 * Everything the GitLab approval check judges, read from the merge request at once: its
 * head and author, its notes, its diff versions (one per push) and who approved it and
 * when (approved_at, else the approval's system note among the notes), who the
 * token is, and whether the project resets approvals on push. Rejects with the forge's
 * coded error (HF502-HF505).
 */
export async function readGitLabApproval(mr: MergeRequestRef, access: Omit<GitLabAccess, 'noteLimit'>, query: GitLabApprovalQuery): Promise<{ facts: GitLabApprovalFacts; resetOnPush: ResetOnPush }> {
  const options = {
    host: access.host.replace(/\/+$/, ''),
    ...(access.token.kind === 'job' ? { jobToken: access.token.value } : { token: access.token.value }),
    requesterFn: gitLabRequester(access.secondMs ?? 1000),
    queryTimeout: GITLAB_CALL_TIMEOUT_MS,
  };
  const where = mergeRequestName(mr);
  const call = <T>(what: string, request: () => Promise<T>) => request().catch((error: unknown) => Promise.reject(gitLabError(error, what, where, access.token)));
  const mergeRequests = new MergeRequests(options);
  const approvals = new MergeRequestApprovals(options);
  const found = (await call('read the merge request', () => mergeRequests.show(mr.project, mr.iid))) as unknown as { author?: UserData; sha?: string; web_url?: string };
  const commenter = query.commenter ?? String(((await call('read which user the token is', () => new Users(options).showCurrentUser())) as unknown as UserData).username ?? '');
  const notes = (await call('list its notes', () => new MergeRequestNotes(options).all(mr.project, mr.iid, { ...MAX_PAGES, sort: 'asc', orderBy: 'created_at' }))) as unknown as NoteData[];
  const versions = (await call('list its diff versions', () => mergeRequests.allDiffVersions(mr.project, mr.iid, MAX_PAGES))) as unknown as Array<{ head_commit_sha: string; created_at: string }>;
  const state = (await call('read who approved it', () => approvals.showConfiguration(mr.project, { mergerequestIId: mr.iid }))) as unknown as { approved_by?: Array<{ user?: UserData; approved_at?: string | null }> };
  const page = String(found.web_url ?? '');
  const approvedAtByNote = approvalNotes(notes);
  return {
    facts: {
      planId: query.planId,
      key: query.key,
      required: query.required,
      where,
      commenter,
      author: found.author?.username ?? '',
      head: found.sha ?? '',
      // A system note ("added 1 commit") is GitLab's, never a plan comment.
      comments: notes.filter((n) => n.system !== true).map((n) => ({ url: `${page}#note_${n.id}`, body: n.body ?? '', author: n.author?.username ?? '', updatedAt: n.updated_at ?? '' })),
      versions: versions.map((v) => ({ headSha: v.head_commit_sha, createdAt: v.created_at })),
      approvals: (state.approved_by ?? []).flatMap((a) => {
        const approvedAt = a.approved_at ?? (a.user?.username ? approvedAtByNote.get(a.user.username) : undefined);
        return a.user?.username ? [{ user: a.user.username, ...(approvedAt ? { approvedAt } : {}) }] : [];
      }),
    },
    resetOnPush: await resetOnPush(approvals, mr.project),
  };
}

/**
 * When each user last approved, from the system notes GitLab writes for it ("approved this
 * merge request", and "unapproved this merge request" when taken back): older instances
 * leave approved_at out of approved_by, and every instance writes these. Only GitLab writes
 * a system note, so a person's note with the same words counts for nothing.
 */
function approvalNotes(notes: readonly NoteData[]): Map<string, string> {
  const at = new Map<string, string>();
  for (const n of notes) {
    const user = n.author?.username;
    if (n.system !== true || !user || !n.created_at) continue;
    if (n.body === 'approved this merge request') at.set(user, n.created_at);
    if (n.body === 'unapproved this merge request') at.delete(user);
  }
  return at;
}

/** GET /projects/:id/approvals; a token that may not read it (a Developer's is refused on some tiers) leaves it unknown, never fails apply. */
async function resetOnPush(approvals: InstanceType<typeof MergeRequestApprovals>, project: string): Promise<ResetOnPush> {
  try {
    const setting = ((await approvals.showConfiguration(project)) as unknown as { reset_approvals_on_push?: unknown }).reset_approvals_on_push;
    return typeof setting === 'boolean' ? setting : 'unknown';
  } catch {
    return 'unknown';
  }
}
