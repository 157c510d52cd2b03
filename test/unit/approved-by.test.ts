import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { approvedByTrailers, approversIn, withApprovers } from '../../src/apply/approved-by.js';
import type { ApprovalRecord } from '../../src/apply/approval-record.js';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { planTrailer, withTrailers } from '../../src/plan/commit-trailers.js';
import { commitObject, tagObject } from '../../src/plan/git-objects.js';
import type { Action, Plan } from '../../src/plan/types.js';

const person = { name: 'Deploy Bot', email: 'deploy@example.com', date: '2026-12-03T10:00:00Z' };
const message = (subject: string) => withTrailers(`${subject}\n`, [planTrailer(`sha256:${'9'.repeat(64)}`)]);
const approval: ApprovalRecord = { pullRequest: 'octo-org/deploy#42', approvers: ['alice', 'renovate[bot]'], required: 1, head: 'd'.repeat(40), comment: 'https://github.com/octo-org/deploy/pull/42#issuecomment-1', at: '2026-12-03T11:00:00Z' };

/**
 * A hotfix as the planner builds it, each id the hash of its fields: a pick the gate waits
 * for, a deploy commit on the config branch, a second config commit on it, a merge-back of
 * the pick, an annotated tag on the pick, the pushes and a pull request that names the
 * deploy commit by its abbreviation.
 */
function hotfix(): Plan {
  const pick = commitObject({ tree: '1'.repeat(40), parents: ['a'.repeat(40)], author: person, committer: person, message: message('Fix checkout') }).id;
  const deploy = commitObject({ tree: '2'.repeat(40), parents: ['b'.repeat(40)], author: person, committer: person, message: message(`Deploy main-${pick.slice(0, 7)}`) }).id;
  const follow = commitObject({ tree: '3'.repeat(40), parents: [deploy], author: person, committer: person, message: message('Pin the policy') }).id;
  const merge = commitObject({ tree: '4'.repeat(40), parents: ['c'.repeat(40), pick], author: person, committer: person, message: message('Merge hotfix into main') }).id;
  const tag = tagObject({ target: pick, name: 'hotfix-1', tagger: person, message: message('hotfix-1') }).id;
  const commit = (id: string, sha: string, parent: string, tree: string, subject: string) => ({ id, kind: 'commit', repo: 'deploy', branch: 'main', purpose: 'deploy-hotfix', parent, commit: sha, tree, message: message(subject), author: person, committer: person, changes: [] });
  const actions = [
    { id: 'pick-1', kind: 'cherry-pick', repo: 'app', branch: 'hotfix/1', pick: 'e'.repeat(40), parent: 'a'.repeat(40), tree: '1'.repeat(40), commit: pick, message: message('Fix checkout'), author: person, committer: person, files: [], diff: '' },
    { id: 'tag', kind: 'tag', repo: 'app', tag: 'hotfix-1', target: pick, object: tag, message: message('hotfix-1'), tagger: person },
    { id: 'gate', kind: 'gate', image: `registry.example.com/shop:main-${pick.slice(0, 7)}`, label: 'org.opencontainers.image.revision', revision: pick, checks: [] },
    commit('deploy', deploy, 'b'.repeat(40), '2'.repeat(40), `Deploy main-${pick.slice(0, 7)}`),
    { ...commit('pin', follow, deploy, '3'.repeat(40), 'Pin the policy'), changes: [{ path: 'notes.yaml', diff: `+note: ${deploy.slice(0, 7)}\n`, patches: [{ ops: [{ op: 'replace', path: '/note', value: deploy.slice(0, 7) }] }] }] },
    { id: 'merge-main', kind: 'merge', repo: 'app', into: 'main', from: 'hotfix/1', parents: ['c'.repeat(40), pick], base: 'a'.repeat(40), tree: '4'.repeat(40), commit: merge, message: message('Merge hotfix into main'), author: person },
    { id: 'push-app', kind: 'push', repo: 'app', remote: 'origin', url: 'https://example.com/app.git', refs: [{ ref: 'refs/heads/hotfix/1', sha: pick }, { ref: 'refs/tags/hotfix-1', sha: tag }, { ref: 'refs/heads/main', sha: merge }], runHooks: false },
    { id: 'push-deploy', kind: 'push', repo: 'deploy', remote: 'origin', url: 'https://example.com/deploy.git', refs: [{ ref: 'refs/heads/main', sha: follow }], runHooks: false },
    { id: 'pr', kind: 'open-pull-request', repo: 'deploy', head: 'main', base: 'prd', title: 'Deploy', body: `Deploys ${deploy.slice(0, 7)}; see ${deploy}.` },
  ];
  return { id: `sha256:${'9'.repeat(64)}`, actions } as unknown as Plan;
}

const byId = (plan: Plan, id: string) => plan.actions.find((a) => a.id === id)! as Action & Record<string, unknown>;

test('no approver, no approval: the plan as planned', () => {
  const plan = hotfix();
  assert.is(withApprovers(plan, undefined).plan, plan);
  assert.is(withApprovers(plan, { ...approval, approvers: [] }).plan, plan);
});

test('every commit and tag the gate does not build carries the approvers, each id the hash of its fields, parents and pushes renamed', () => {
  const plan = hotfix();
  const { plan: signed, signed: remade } = withApprovers(plan, approval);
  assert.is(signed.id, plan.id, 'the plan keeps its id (its journal)');
  const trailers = ['Approved-by: alice (octo-org/deploy#42)', 'Approved-by: renovate[bot] (octo-org/deploy#42)'];
  // The pick is what CI builds and the gate waits for: as planned, and so the gate and the image tag.
  assert.equal(byId(signed, 'pick-1'), byId(plan, 'pick-1'));
  assert.equal(byId(signed, 'gate'), byId(plan, 'gate'));
  assert.equal([...remade.keys()], ['tag', 'deploy', 'pin', 'merge-main']);
  const deploy = byId(signed, 'deploy') as Extract<Action, { kind: 'commit' }>;
  const pin = byId(signed, 'pin') as Extract<Action, { kind: 'commit' }>;
  const merge = byId(signed, 'merge-main') as Extract<Action, { kind: 'merge' }>;
  const tag = byId(signed, 'tag') as Extract<Action, { kind: 'tag' }>;
  for (const a of [deploy, pin, merge, tag]) {
    const before = byId(plan, a.id) as { message: string };
    assert.is(a.message, `${before.message}${trailers.join('\n')}\n`, `${a.id}: the trailers after Hotfix-Plan, in its trailer block`);
  }
  assert.is(deploy.commit, commitObject({ tree: deploy.tree, parents: [deploy.parent], author: person, committer: person, message: deploy.message }).id);
  assert.is(pin.parent, deploy.commit, 'the second config commit is on the deploy commit as made');
  assert.is(pin.commit, commitObject({ tree: pin.tree, parents: [deploy.commit], author: person, committer: person, message: pin.message }).id);
  assert.is(merge.commit, commitObject({ tree: merge.tree, parents: merge.parents, author: person, committer: person, message: merge.message }).id);
  assert.equal(merge.parents, (byId(plan, 'merge-main') as Extract<Action, { kind: 'merge' }>).parents, 'the merge brings in the pick as planned');
  assert.is(tag.object, tagObject({ target: tag.target, name: tag.tag, tagger: person, message: tag.message }).id);
  assert.equal((byId(signed, 'push-app') as { refs: unknown }).refs, [{ ref: 'refs/heads/hotfix/1', sha: byId(plan, 'pick-1').commit }, { ref: 'refs/tags/hotfix-1', sha: tag.object }, { ref: 'refs/heads/main', sha: merge.commit }]);
  assert.equal((byId(signed, 'push-deploy') as { refs: unknown }).refs, [{ ref: 'refs/heads/main', sha: pin.commit }]);
  assert.is((byId(signed, 'pr') as { body: string }).body, `Deploys ${deploy.commit.slice(0, 7)}; see ${deploy.commit}.`);
  for (const [id, r] of remade) assert.is.not(r.applied, r.planned, id);
  // What a file holds is rebuilt by the rehearsal from the patches: a hex word there that reads like an abbreviation stays.
  assert.equal(pin.changes, (byId(plan, 'pin') as Extract<Action, { kind: 'commit' }>).changes);
  // The same approval gives the same commits: a rerun after a crash writes what the first run began.
  assert.equal(withApprovers(plan, approval).plan, signed);
});

test('a rollback (no gate): every commit carries them', () => {
  const plan = hotfix();
  const rollback = { ...plan, actions: plan.actions.filter((a) => a.kind !== 'gate') } as Plan;
  assert.equal([...withApprovers(rollback, approval).signed.keys()], ['pick-1', 'tag', 'deploy', 'pin', 'merge-main']);
});

test('red team: names, the words of what the gate builds, and later objects stay as reviewed; every object id stays the hash of its fields', () => {
  const plan = hotfix();
  const deploy = byId(plan, 'deploy').commit as string;
  const pick = byId(plan, 'pick-1') as Extract<Action, { kind: 'cherry-pick' }>;
  // A branch named like the deploy commit's abbreviation, and a pick whose message names it: neither may change.
  const named = {
    ...plan,
    actions: plan.actions.map((a) => (a.id === 'pin' ? { ...a, branch: `rollback/r-${deploy.slice(0, 7)}` } : a.id === 'pick-1' ? { ...a, message: `${pick.message}See ${deploy.slice(0, 7)}.\n`, commit: commitObject({ tree: pick.tree, parents: [pick.parent], author: person, committer: person, message: `${pick.message}See ${deploy.slice(0, 7)}.\n` }).id } : a)),
  } as Plan;
  const gate = named.actions.find((a) => a.kind === 'gate')!;
  (gate as { revision: string }).revision = (byId(named, 'pick-1') as { commit: string }).commit;
  const { plan: signed } = withApprovers(named, approval);
  assert.is((byId(signed, 'pin') as { branch: string }).branch, `rollback/r-${deploy.slice(0, 7)}`);
  assert.equal(byId(signed, 'pick-1'), byId(named, 'pick-1'));
  for (const a of signed.actions) {
    if (a.kind === 'commit') assert.is(a.commit, commitObject({ tree: a.tree, parents: [a.parent], author: person, committer: person, message: a.message }).id, a.id);
    if (a.kind === 'tag') assert.is(a.object, tagObject({ target: a.target, name: a.tag, tagger: person, message: a.message }).id, a.id);
  }
});

test('the same approver twice is one trailer; more than 50 approvers is HF524', () => {
  assert.equal(approvedByTrailers({ ...approval, approvers: ['alice', 'alice'] }), ['Approved-by: alice (octo-org/deploy#42)']);
  assert.throws(() => approvedByTrailers({ ...approval, approvers: Array.from({ length: 51 }, (_, i) => `user${i}`) }), (e: unknown) => e instanceof HotfixError && e.diagnostics[0]?.code === 'HF524');
});

test('an approver or pull request that is not a forge name never reaches a message: HF524', () => {
  for (const bad of [{ approvers: ['alice\nSigned-off-by: mallory'] }, { approvers: ['al ice'] }, { approvers: ['-alice'] }, { approvers: [''] }, { pullRequest: 'octo-org/deploy#42\n\nextra' }, { pullRequest: 'octo-org/deploy' }]) {
    let error: unknown;
    try {
      approvedByTrailers({ ...approval, ...bad });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof HotfixError && error.diagnostics[0]?.code === 'HF524', JSON.stringify(bad));
    assert.not.ok(String((error as HotfixError).diagnostics[0]?.message).includes('\n'), 'one line');
  }
  assert.equal(approvedByTrailers({ ...approval, approvers: ['a', 'dev.ops_team-1', 'github-actions[bot]'], pullRequest: 'group/sub/project!7' }), ['Approved-by: a (group/sub/project!7)', 'Approved-by: dev.ops_team-1 (group/sub/project!7)', 'Approved-by: github-actions[bot] (group/sub/project!7)']);
});

test('approversIn reads back what a signed message says of this pull request, and nothing else', () => {
  const signed = withApprovers(hotfix(), approval).plan.actions.find((a) => a.id === 'deploy') as Extract<Action, { kind: 'commit' }>;
  assert.equal(approversIn(signed.message, approval.pullRequest), ['alice', 'renovate[bot]']);
  assert.equal(approversIn(signed.message, 'octo-org/deploy#4'), [], 'another pull request');
  const forged = `Fix\n\nApproved-by: mallory (octo-org/deploy#42) and more\nApproved-by: <b> (octo-org/deploy#42)\n Approved-by: eve (octo-org/deploy#42)\nApproved-by: bob (octo-org/deploy#42)\nApproved-by: bob (octo-org/deploy#42)\n`;
  assert.equal(approversIn(forged, approval.pullRequest), ['bob'], 'whole trailer lines of forge names only, once each');
});

test.run();
