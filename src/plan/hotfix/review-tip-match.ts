import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ReviewTip } from '../../state/hotfix/review-tips.js';
import type { PushTarget } from '../push-target.js';
import { shellWord } from '../shell-word.js';
import { planTrailersIn, withPlanTrailer } from '../commit-trailers.js';
import { UNSEALED } from '../plan-id.js';

export type TipCommit = NonNullable<ReviewTip['commit']>;

/** What the planner would make on a review branch, and how to make it again from the earlier commit's own parent and people. */
export interface ReviewCommit {
  readonly what: string;
  readonly branch: string;
  /** The protected branch the pull request goes into. */
  readonly target: string;
  readonly targetHead: string;
  readonly message: string;
  /** Parents after the first, which must be the same (a merge-back's hotfix head). */
  readonly others: readonly string[];
  readonly repoName: string;
  readonly push?: PushTarget;
  /**
   * The commit id this plan makes on the earlier commit's first parent with its author,
   * committer and message (the Hotfix-Plan trailer its plan gave it), or why it cannot be made there (the patched file changed since).
   */
  readonly remake: (tip: TipCommit) => string | { readonly why: string };
}

/**
 * Whether a branch for review an earlier or interrupted apply made (and maybe pushed) holds
 * exactly the commit this plan would make there: the same message and trailers (but the
 * Hotfix-Plan one, naming the earlier plan that made it), the same
 * other parents, the same change made on its own first parent, which the target branch
 * still holds (a pull request's base that moved on since is the forge's to merge). Then the
 * plan makes that very commit (its first parent, its dates), so apply finds it done. Else
 * HF364, saying what differs and what to run. Undefined: adopt. Pure.
 */
export function reviewTipProblem(tip: ReviewTip, planned: ReviewCommit): Diagnostic | undefined {
  const differs = why(tip, planned);
  if (differs === undefined) return undefined;
  const where = planned.push ? ` on ${planned.push.remote} (${planned.push.url})` : '';
  const look = planned.push ? `git fetch ${shellWord(planned.push.remote)} && git log --format='%h %p %s' -1 ${shellWord(`${planned.push.remote}/${planned.branch}`)}` : `git log --format='%h %p %s' -1 ${shellWord(planned.branch)}`;
  const remove = [...(tip.local ? [`git branch -D ${shellWord(planned.branch)}`] : []), ...(tip.remote && planned.push ? [`git push ${shellWord(planned.push.remote)} ${shellWord(`:refs/heads/${planned.branch}`)}`] : [])].join(' && ');
  return diagnostic('HF364', `the branch for review ${planned.branch} (${planned.what}, for ${planned.target}) exists in ${planned.repoName}${where} already and does not hold the commit this plan pushes there: ${differs}; look at it with ${look}; if an abandoned attempt made it, delete it with ${remove} and plan again, or change the template`);
}

function why(tip: ReviewTip, planned: ReviewCommit): string | undefined {
  if (tip.local && tip.remote && tip.local !== tip.remote) return `it is at ${tip.local.slice(0, 7)} here and at ${tip.remote.slice(0, 7)} on the remote`;
  const c = tip.commit;
  if (!c) return `its tip ${(tip.remote ?? tip.local ?? '').slice(0, 7)} on the remote is not in this clone to compare (fetch it first)`;
  const short = c.sha.slice(0, 7);
  if (c.parents.length !== planned.others.length + 1 || c.parents.slice(1).some((p, i) => p !== planned.others[i]))
    return `its tip ${short} has the parents ${c.parents.map((p) => p.slice(0, 7)).join(' ') || '(none)'}, and this plan's commit has a first parent on ${planned.target} and then ${planned.others.length > 0 ? planned.others.map((p) => p.slice(0, 7)).join(' ') : 'no other'}`;
  if (!c.baseIn.includes(planned.target)) return `its tip ${short} is made on ${c.parents[0]!.slice(0, 7)}, which ${planned.target} (${planned.targetHead.slice(0, 7)}) does not hold`;
  if (withPlanTrailer(c.message, UNSEALED) !== withPlanTrailer(planned.message, UNSEALED)) return `its tip ${short} says "${firstDifferentLine(c.message, planned.message)}" where this plan's commit says "${firstDifferentLine(planned.message, c.message)}"`;
  // Adopted, the commit keeps the plan it names: one of the form a plan gives, never the placeholder of one being made.
  const named = planTrailersIn(c.message);
  if (named.length !== 1 || !/^sha256:[0-9a-f]{64}$/.test(named[0]!) || named[0] === UNSEALED) return `its tip ${short} names ${named.length === 0 ? 'no plan' : named.map((n) => `the plan "${n}"`).join(' and ')} in a Hotfix-Plan trailer, not one plan that made it`;
  const remade = planned.remake(c);
  if (typeof remade === 'object') return remade.why;
  if (remade !== c.sha) return `its tip ${short} changes ${c.changes.map((f) => f.path).join(', ') || 'nothing'}, not what this plan's commit changes there (made on ${c.parents[0]!.slice(0, 7)} it would be ${remade.slice(0, 7)})`;
  return undefined;
}

function firstDifferentLine(a: string, b: string): string {
  const [x, y] = [a.split('\n'), b.split('\n')];
  return x.find((line, i) => line !== y[i]) ?? '';
}

/** The note a reader sees: which branch for review is taken as made, and what apply does with it. */
export function adoptedReviewNote(tip: ReviewTip, planned: ReviewCommit): string {
  const c = tip.commit!;
  const base = c.parents[0] === planned.targetHead ? `on ${planned.target}'s head ${c.parents[0]!.slice(0, 7)}` : `on ${c.parents[0]!.slice(0, 7)}, which ${planned.target} holds (it has moved on to ${planned.targetHead.slice(0, 7)} since; the pull request merges onto it as any other)`;
  const state = tip.remote ? (tip.local ? 'here and on the remote' : 'on the remote (not here)') : 'here, not yet pushed';
  return `Adopts the branch for review ${planned.branch} at ${c.sha.slice(0, 7)} (${state}), made by an earlier apply: it holds exactly the commit this plan makes for ${planned.target} (same message and trailers but the earlier plan's Hotfix-Plan, same change, made ${base}), so this plan makes that very commit, with its dates, and apply ${tip.remote ? 'finds it made and pushed' : 'finds it made and pushes it'}.`;
}
