import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readMarker, sameKey, type CommentKey } from './comment-marker.js';
import { describe } from './reconcile-comments.js';

/** A comment as the approval check needs it: who wrote it and when it last changed. */
export interface AuthoredComment {
  readonly url: string;
  readonly body: string;
  readonly author: string;
  /** ISO time of the last change: posting, or hotfix comment updating it to a new plan. */
  readonly updatedAt: string;
}

/** A submitted review of the pull request, as the forge lists it. */
export interface Review {
  readonly user: string;
  readonly state: string;
  /** The head the reviewer saw; null for a review GitHub no longer ties to a commit. */
  readonly commitId: string | null;
  readonly submittedAt: string;
}

/** What the pull request says about a plan's approval, read just before apply writes. */
export interface ApprovalFacts {
  readonly planId: string;
  readonly key: CommentKey;
  readonly required: number;
  /** `owner/repo#N`, as messages name it. */
  readonly where: string;
  /** The account `hotfix comment` posts as: only its comments are plan comments. */
  readonly commenter: string;
  readonly author: string;
  readonly head: string;
  readonly comments: readonly AuthoredComment[];
  readonly reviews: readonly Review[];
}

export interface Approved {
  readonly approvers: readonly string[];
  readonly comment: string;
  readonly head: string;
}

/** States that settle a reviewer's verdict; a later COMMENTED review leaves an approval standing, as on GitHub. */
const DECISIVE = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/**
 * Whether the pull request approved exactly this plan: its plan comment (found by the
 * marker, written by the commenter, intact, still the key's current one) shows this id, and
 * enough people other than the author and the commenter approved the current head after the
 * comment last changed. HF515 names what is wrong with the comment, HF516 which reviews did
 * not count and why. Pure.
 */
export function judgeApproval(facts: ApprovalFacts): Approved | Diagnostic {
  const comment = planComment(facts);
  if ('code' in comment) return comment;
  const verdicts = latestVerdicts(facts.reviews);
  const counted: string[] = [];
  const voided: string[] = [];
  for (const [user, review] of verdicts) {
    const why = notCounted(user, review, comment, facts);
    if (why === undefined) counted.push(user);
    else voided.push(why);
  }
  if (counted.length >= facts.required) return { approvers: counted.sort(), comment: comment.url, head: facts.head };
  return diagnostic(
    'HF516',
    `plan ${facts.planId} needs ${facts.required} approving review${facts.required === 1 ? '' : 's'} on ${facts.where} and has ${tally(counted, voided)}; nothing was written: ask a reviewer other than the author to approve the pull request at ${facts.head.slice(0, 7)} after reading the plan comment ${comment.url}, then run apply again`,
  );
}

/** How many approvals counted and who, then which did not and why: for HF516 on either forge. */
export function tally(counted: string[], voided: readonly string[]): string {
  const has = counted.length === 0 ? 'none' : `${counted.length} (${counted.sort().join(', ')})`;
  return voided.length > 0 ? `${has}; not counted: ${voided.join('; ')}` : has;
}

/** The key's current plan comment when it shows this plan; else why not (HF515). GitLab's check shares it. */
export function planComment(facts: Pick<ApprovalFacts, 'planId' | 'key' | 'where' | 'commenter' | 'comments'>): AuthoredComment | Diagnostic {
  const fail = (message: string) => diagnostic('HF515', `${message}; nothing was written`);
  const marked = facts.comments.flatMap((c) => {
    const read = readMarker(c.body);
    return read && read.marker.part === 1 && sameKey(read.marker.key, facts.key) ? [{ c, ...read }] : [];
  });
  const byCommenter = marked.filter((m) => m.c.author === facts.commenter);
  const current = byCommenter.filter((m) => m.marker.state === 'current');
  const newer = current.find((m) => m.marker.plan !== facts.planId);
  if (newer) return fail(`the plan comment for ${describe(facts.key)} on ${facts.where} shows ${newer.marker.plan === 'none' ? 'a refusal' : `plan ${newer.marker.plan}`} (${newer.c.url}), not plan ${facts.planId}: only the plan that comment shows is under review there; apply it once it is approved`);
  const ours = current.find((m) => m.marker.plan === facts.planId);
  if (ours?.edited) return fail(`the plan comment ${ours.c.url} was edited since hotfix posted it, so it no longer shows exactly plan ${facts.planId}: delete it, post the plan again with hotfix comment and have it approved again`);
  if (ours) return ours.c;
  const copy = marked.find((m) => m.marker.plan === facts.planId && m.c.author !== facts.commenter);
  if (copy) return fail(`comment ${copy.c.url} carries the marker of plan ${facts.planId} but was written by ${copy.c.author}, not by ${facts.commenter}, who posts hotfix's plan comments; it does not count: post the plan with hotfix comment and have it approved`);
  const retired = byCommenter.find((m) => m.marker.plan === facts.planId);
  if (retired) return fail(`the plan comment of plan ${facts.planId} on ${facts.where} (${retired.c.url}) was replaced by a newer plan: apply the newer plan once it is approved`);
  return fail(`${facts.where} has no plan comment for plan ${facts.planId} (${describe(facts.key)}) by ${facts.commenter}: post it with hotfix comment, have the pull request approved after that, then run apply again`);
}

/** Each reviewer's latest decisive review, in the order GitHub lists reviews (oldest first). */
function latestVerdicts(reviews: readonly Review[]): Map<string, Review> {
  const verdicts = new Map<string, Review>();
  const ordered = [...reviews].sort((a, b) => Date.parse(a.submittedAt) - Date.parse(b.submittedAt));
  for (const review of ordered) if (DECISIVE.has(review.state)) verdicts.set(review.user, review);
  return verdicts;
}

/** Undefined when the review counts; else why not. */
function notCounted(user: string, review: Review, comment: AuthoredComment, facts: ApprovalFacts): string | undefined {
  if (review.state === 'CHANGES_REQUESTED') return `${user} requested changes`;
  if (review.state === 'DISMISSED') return `${user}'s approval was dismissed`;
  if (user === facts.author) return `${user} is the pull request's author`;
  if (user === facts.commenter) return `${user} posts the plan comments`;
  if (Date.parse(review.submittedAt) <= Date.parse(comment.updatedAt)) return `${user} approved at ${review.submittedAt}, before the plan comment showed this plan (${comment.updatedAt})`;
  if (review.commitId !== facts.head) return `${user} approved ${review.commitId === null ? 'an unknown commit' : review.commitId.slice(0, 7)}, not the head ${facts.head.slice(0, 7)} (a push after an approval voids it)`;
  return undefined;
}
