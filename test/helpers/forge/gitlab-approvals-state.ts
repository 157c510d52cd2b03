/**
 * Who approved each merge request of a loopback GitLab and its diff versions, as GitLab
 * keeps them: a push makes a new version (newest listed first) and, where the project
 * resets approvals on push, removes every approval; `approved_by` says who, with no time
 * (an instance that says when is `approvedAt: true`) nor commit; the time is in the system
 * note each approval adds to the merge request.
 */
export interface GitLabApprovals {
  /** A push to the merge request's source branch making `sha` its head. */
  push(iid: number, sha: string): void;
  approve(iid: number, username: string): void;
  /** The project's "Remove all approvals when commits are added to the source branch". */
  resetOnPush: boolean;
  /** Whether approved_by entries carry approved_at, as newer GitLab's do. */
  approvedAt: boolean;
}

/** The head of a merge request opened by the test before any push: its first version's. */
export const FIRST_HEAD = '6f1e0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f';
const OPENED_AT = '2026-12-01T09:30:00.000Z';

interface Version {
  readonly id: number;
  readonly head: string;
  readonly createdAt: string;
}

/** `noted` is told of each approval, as GitLab writes its system note ("approved this merge request") by the approver. */
export function gitLabApprovals(now: () => string, user: (username: string) => unknown, projectId: number, noted: (iid: number, username: string) => void) {
  const versions = new Map<number, Version[]>();
  const approvals = new Map<number, Array<{ username: string; at: string }>>();
  let nextVersion = 1_207_000_000;
  const of = (iid: number) => versions.get(iid) ?? [{ id: 1_206_999_999 - iid, head: FIRST_HEAD, createdAt: OPENED_AT }];
  const state: GitLabApprovals = {
    push: (iid, sha) => {
      versions.set(iid, [...of(iid), { id: nextVersion++, head: sha, createdAt: now() }]);
      if (state.resetOnPush) approvals.delete(iid);
    },
    approve: (iid, username) => {
      const given = approvals.get(iid) ?? [];
      if (given.some((a) => a.username === username)) return;
      approvals.set(iid, [...given, { username, at: now() }]);
      noted(iid, username);
    },
    resetOnPush: true,
    approvedAt: false,
  };
  return {
    state,
    head: (iid: number) => of(iid).at(-1)!.head,
    versionsJson: (iid: number) =>
      of(iid)
        .map((v, i, all) => ({ id: v.id, head_commit_sha: v.head, base_commit_sha: 'b4e1c0d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8', start_commit_sha: 'b4e1c0d2a3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8', created_at: v.createdAt, merge_request_id: 95_000_000 + iid, state: 'collected', real_size: String(1 + i), patch_id_sha: i === all.length - 1 ? 'd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0' : null }))
        .reverse(),
    approvalsJson: (mr: { iid: number; title: string; state: string }, required: number) => {
      const given = approvals.get(mr.iid) ?? [];
      return {
        id: 95_000_000 + mr.iid,
        iid: mr.iid,
        project_id: projectId,
        title: mr.title,
        description: '',
        state: mr.state,
        created_at: OPENED_AT,
        updated_at: '2026-12-01T09:58:12.000Z',
        merge_status: 'can_be_merged',
        approved: given.length >= required,
        approvals_required: required,
        approvals_left: Math.max(0, required - given.length),
        approved_by: given.map((a) => ({ user: user(a.username), ...(state.approvedAt ? { approved_at: a.at } : {}) })),
      };
    },
    projectJson: () => ({ approvers: [], approver_groups: [], approvals_before_merge: 0, reset_approvals_on_push: state.resetOnPush, disable_overriding_approvers_per_merge_request: false, merge_requests_author_approval: false, merge_requests_disable_committers_approval: false, require_password_to_approve: false }),
  };
}
