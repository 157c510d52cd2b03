import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { planComment, tally, type ApprovalFacts, type Approved } from './judge-approval.js';

/** A diff version of a merge request: GitLab makes one for each push to its source branch. */
export interface DiffVersion {
  readonly headSha: string;
  readonly createdAt: string;
}

/** One entry of `approved_by`; `approvedAt` only where the instance says when (newer GitLab does). */
export interface GitLabApproval {
  readonly user: string;
  readonly approvedAt?: string;
}

/**
 * What a merge request says about a plan's approval, read just before apply writes: as on
 * GitHub (`where` is `group/project!N`, the commenter the token's own user, the head the
 * merge request's `sha`), with diff versions and `approved_by` in place of reviews.
 */
export interface GitLabApprovalFacts extends Omit<ApprovalFacts, 'reviews'> {
  readonly versions: readonly DiffVersion[];
  readonly approvals: readonly GitLabApproval[];
}

/**
 * Whether the merge request approved exactly this plan. GitLab lists who approved but, on
 * most instances, neither when nor which commit; so the head is tied through the diff
 * versions instead: the plan comment was read against the latest version made before it
 * last changed, and approvals count only while that version is still the latest and the
 * merge request's head is its head. An approval given before the comment changed cannot be
 * told apart unless GitLab says when (approved_at): hotfix warns where the project does not
 * reset approvals on push (HF522). HF515 as on GitHub; HF516 names what did not count. Pure.
 */
export function judgeGitLabApproval(facts: GitLabApprovalFacts): Approved | Diagnostic {
  const comment = planComment(facts);
  if ('code' in comment) return comment;
  const at = Date.parse(comment.updatedAt);
  const ordered = [...facts.versions].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  const reviewed = ordered.filter((v) => Date.parse(v.createdAt) <= at).at(-1);
  const pushed = ordered.filter((v) => Date.parse(v.createdAt) > at);
  const refuse = (why: string) =>
    diagnostic('HF516', `plan ${facts.planId} is not approved on ${facts.where}: ${why}; nothing was written: make the plan again and post it with hotfix comment (a comment already showing the same plan is left as it was: delete it first), have the merge request approved after that, then run apply again`);
  if (pushed.length > 0) return refuse(`${pushed.length} push${pushed.length === 1 ? '' : 'es'} came after the plan comment ${comment.url} last changed (${comment.updatedAt}), the latest making ${pushed.at(-1)!.headSha.slice(0, 7)} the head, so no approval there can be told to be of what the comment showed`);
  if (reviewed === undefined) return refuse(`GitLab lists no diff version of the merge request from before the plan comment ${comment.url} (${comment.updatedAt}), so which head it was posted for is unknown`);
  if (reviewed.headSha !== facts.head) return refuse(`its head is ${facts.head.slice(0, 7)}, not ${reviewed.headSha.slice(0, 7)}, the head when the plan comment ${comment.url} last changed (a push voids earlier approvals)`);
  const counted: string[] = [];
  const voided: string[] = [];
  for (const a of facts.approvals) {
    if (a.user === facts.author) voided.push(`${a.user} is the merge request's author`);
    else if (a.user === facts.commenter) voided.push(`${a.user} posts the plan comments`);
    else if (a.approvedAt !== undefined && Date.parse(a.approvedAt) <= at) voided.push(`${a.user} approved at ${a.approvedAt}, before the plan comment showed this plan (${comment.updatedAt})`);
    else counted.push(a.user);
  }
  if (counted.length >= facts.required) return { approvers: counted.sort(), comment: comment.url, head: facts.head };
  return diagnostic(
    'HF516',
    `plan ${facts.planId} needs ${facts.required} approval${facts.required === 1 ? '' : 's'} on ${facts.where} and has ${tally(counted, voided)}; nothing was written: ask someone other than the author to approve the merge request at ${facts.head.slice(0, 7)} after reading the plan comment ${comment.url}, then run apply again`,
  );
}
