import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { requiredApprovals } from '../../src/plan/plan-frame.js';
import { approvalText } from '../../src/render/plan-approval.js';
import type { Policy } from '../../src/policy/types.js';
import type { Plan } from '../../src/plan/types.js';

// Who must approve: the number a plan states (from its policy) and how show and the comment say it. Pure.
const policy = (spec: Partial<Policy['spec']>): Policy => ({ spec: { ...spec } }) as unknown as Policy;

test('the number is the kind\'s own setting, 1 where the policy has no section for it', () => {
  const both = policy({ rollback: { approvals: 2 } as never, hotfix: { approvals: 0 } as never });
  assert.is(requiredApprovals(both, 'rollback'), 2);
  assert.is(requiredApprovals(both, 'hotfix'), 0);
  assert.is(requiredApprovals(policy({}), 'rollback'), 1);
  assert.is(requiredApprovals(policy({}), 'hotfix'), 1);
});

const plan = (kind: 'rollback' | 'hotfix', approvals?: number) => ({ request: { kind }, ...(approvals !== undefined ? { approvals } : {}) }) as unknown as Plan;

test('show and the comment say how many, which reviews count, and what checks it', () => {
  assert.is(approvalText(plan('rollback')), undefined, 'a plan older than format 1.3 says nothing it does not hold');
  const two = approvalText(plan('hotfix', 2), (t) => `\`${t}\``)!;
  assert.is(two, "Approval: 2 approving reviews (hotfix.approvals) on the pull request that carries this plan's comment, by someone other than its author; a review counts only if submitted after the comment showed this plan id and on the pull request's current head (a newer plan or a push voids it). `hotfix apply --pr` checks this before it writes. It adds the approvers to the commits and the tag it makes after the picks (the deploy, the merge-backs) as Approved-by trailers: their trees and diffs are the ones shown, their ids new; the picks, which CI builds and checks, keep theirs.");
  assert.match(approvalText(plan('rollback', 1))!, /^Approval: 1 approving review \(rollback\.approvals\) /);
  assert.is(approvalText(plan('rollback', 0)), "Approval: rollback.approvals is 0, so no review is required; hotfix apply --pr still checks that the pull request's plan comment shows this plan. It adds the approvers to the commits it makes as Approved-by trailers: their trees and diffs are the ones shown, their ids new.");
});

test.run();
