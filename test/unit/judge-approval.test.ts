import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertVerdict } from '../helpers/approval-verdict.js';
import { markedBody } from '../../src/forge/comment-marker.js';
import { judgeApproval, type ApprovalFacts, type AuthoredComment, type Review } from '../../src/forge/judge-approval.js';

// Pure: the verdict over what a pull request holds, table-driven. Times and ids are as GitHub gives them.
const PLAN = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;
const HEAD = 'c'.repeat(40);
const OLD_HEAD = 'd'.repeat(40);
const KEY = { kind: 'rollback', policy: 'api-js', environment: 'production' };
const BOT = 'github-actions[bot]';

function planComment(plan: string, over: Partial<AuthoredComment> & { state?: 'current' | 'retired'; key?: typeof KEY } = {}): AuthoredComment {
  const body = markedBody({ key: over.key ?? KEY, part: 1, parts: 1, plan, state: over.state ?? 'current' }, '### hotfix: Roll back api-js in production\n');
  return { url: `https://github.com/octo-org/deploy/pull/42#issuecomment-${plan.slice(7, 12)}`, body, author: BOT, updatedAt: '2026-12-01T10:00:00Z', ...over };
}

const review = (user: string, state: string, submittedAt = '2026-12-01T10:05:00Z', commitId: string | null = HEAD): Review => ({ user, state, commitId, submittedAt });

function facts(over: Partial<ApprovalFacts>): ApprovalFacts {
  return { planId: PLAN, key: KEY, required: 1, where: 'octo-org/deploy#42', commenter: BOT, author: 'octo-dev', head: HEAD, comments: [planComment(PLAN)], reviews: [review('alice', 'APPROVED')], ...over };
}

const cases: Array<[string, Partial<ApprovalFacts>, string | readonly string[]]> = [
  ['one approval after the comment, on the head', {}, ['alice']],
  ['two approvals, required two', { required: 2, reviews: [review('bob', 'APPROVED'), review('alice', 'APPROVED')] }, ['alice', 'bob']],
  ['none required: the comment must still be there', { required: 0, reviews: [] }, []],
  ['none required and no comment', { required: 0, reviews: [], comments: [] }, 'HF515'],
  ['a later COMMENTED review leaves the approval', { reviews: [review('alice', 'APPROVED'), review('alice', 'COMMENTED', '2026-12-01T10:06:00Z')] }, ['alice']],
  ['changes requested after the approval', { reviews: [review('alice', 'APPROVED'), review('alice', 'CHANGES_REQUESTED', '2026-12-01T10:06:00Z')] }, 'HF516'],
  ['approved again after requesting changes', { reviews: [review('alice', 'CHANGES_REQUESTED'), review('alice', 'APPROVED', '2026-12-01T10:06:00Z')] }, ['alice']],
  ['listed out of order: the latest by time decides', { reviews: [review('alice', 'CHANGES_REQUESTED', '2026-12-01T10:06:00Z'), review('alice', 'APPROVED')] }, 'HF516'],
  ['dismissed', { reviews: [review('alice', 'DISMISSED')] }, 'HF516'],
  ['by the author', { reviews: [review('octo-dev', 'APPROVED')] }, 'HF516'],
  ['by the commenting account', { reviews: [review(BOT, 'APPROVED')] }, 'HF516'],
  ['before the comment changed', { reviews: [review('alice', 'APPROVED', '2026-12-01T09:59:00Z')] }, 'HF516'],
  ['in the same second as the comment', { reviews: [review('alice', 'APPROVED', '2026-12-01T10:00:00Z')] }, 'HF516'],
  ['on an older head', { reviews: [review('alice', 'APPROVED', undefined, OLD_HEAD)] }, 'HF516'],
  ['on no known commit', { reviews: [review('alice', 'APPROVED', undefined, null)] }, 'HF516'],
  ['the key now shows another plan', { comments: [planComment(PLAN, { state: 'retired' }), planComment(OTHER)] }, 'HF515'],
  ['the key now shows a refusal', { comments: [planComment('none')] }, 'HF515'],
  ['only a retired comment of this plan', { comments: [planComment(PLAN, { state: 'retired' })] }, 'HF515'],
  ['copied by a person', { comments: [planComment(PLAN, { author: 'mallory' })] }, 'HF515'],
  ["another key's comment", { comments: [planComment(PLAN, { key: { ...KEY, environment: 'staging' } })] }, 'HF515'],
  ['edited after posting', { comments: [{ ...planComment(PLAN), body: `${planComment(PLAN).body}trust me\n` }] }, 'HF515'],
  ['a copy beside the real one does not matter', { comments: [planComment(PLAN, { author: 'mallory', updatedAt: '2026-12-01T11:00:00Z' }), planComment(PLAN)] }, ['alice']],
];

for (const [name, over, expected] of cases) {
  test(name, () => {
    assertVerdict(judgeApproval(facts(over)), expected);
  });
}

test('the refusal names every review that did not count, and why', () => {
  const verdict = judgeApproval(facts({ required: 2, reviews: [review('alice', 'APPROVED'), review('octo-dev', 'APPROVED'), review('bob', 'APPROVED', undefined, OLD_HEAD)] }));
  assert.ok('code' in verdict);
  const { message } = verdict as { message: string };
  assert.match(message, /^plan sha256:a{64} needs 2 approving reviews on octo-org\/deploy#42 and has 1 \(alice\); not counted: /);
  assert.ok(message.includes("octo-dev is the pull request's author"), message);
  assert.ok(message.includes('bob approved ddddddd, not the head ccccccc (a push after an approval voids it)'), message);
});

test.run();
