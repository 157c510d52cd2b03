import type { Plan } from '../plan/types.js';

/**
 * Who must approve, as `show` and the plan comment say it next to the summary line: how
 * many reviews and which ones count (what `hotfix apply --pr` checks). Undefined for a plan
 * made before format 1.3. `code` wraps the command (a code span in markdown). Pure.
 */
export function approvalText(plan: Plan, code: (text: string) => string = (t) => t): string | undefined {
  if (plan.approvals === undefined) return undefined;
  const setting = `${plan.request.kind}.approvals`;
  if (plan.approvals === 0) return `Approval: ${setting} is 0, so no review is required; ${code('hotfix apply --pr')} still checks that the pull request's plan comment shows this plan.${signing(plan)}`;
  const reviews = plan.approvals === 1 ? '1 approving review' : `${plan.approvals} approving reviews`;
  return `Approval: ${reviews} (${setting}) on the pull request that carries this plan's comment, by someone other than its author; a review counts only if submitted after the comment showed this plan id and on the pull request's current head (a newer plan or a push voids it). ${code('hotfix apply --pr')} checks this before it writes.${signing(plan)}`;
}

/** What apply --pr does with the approvers (src/apply/approved-by.ts): said before anyone approves, since it changes commit ids. */
function signing(plan: Plan): string {
  return plan.request.kind === 'hotfix'
    ? ' It adds the approvers to the commits and the tag it makes after the picks (the deploy, the merge-backs) as Approved-by trailers: their trees and diffs are the ones shown, their ids new; the picks, which CI builds and checks, keep theirs.'
    : ' It adds the approvers to the commits it makes as Approved-by trailers: their trees and diffs are the ones shown, their ids new.';
}
