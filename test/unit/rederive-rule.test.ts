// Which commits a plan may mark as made again on a moved branch (issue 15 §1), and that the
// words a reviewer reads are the rule's own. Pure: plans built in memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rederiveFor, rederiveProblems, reviewBaseRefOf } from '../../src/plan/rederive-rule.js';
import type { Action, Plan } from '../../src/plan/types.js';

const sha = (c: string) => c.repeat(40);
const person = { name: 'hotfix', email: 'hotfix@example.com', date: '2026-12-03T07:00:00Z' };
const deploy: Extract<Action, { kind: 'commit' }> = {
  id: 'deploy-hotfix', kind: 'commit', repo: 'deploy', branch: 'main', purpose: 'deploy-hotfix', parent: sha('a'), commit: sha('b'), tree: sha('c'),
  message: 'Deploy hotfix\n', author: person, committer: person,
  changes: [{ path: 'overlays/production/kustomization.yaml', before: sha('d'), after: sha('e'), patches: [], diff: '' }],
};
const merge: Extract<Action, { kind: 'merge' }> = { id: 'merge-main', kind: 'merge', repo: 'app', into: 'main', from: 'hotfix/x', parents: [sha('1'), sha('2')], base: sha('3'), tree: sha('4'), commit: sha('5'), message: 'Merge\n', author: person };

function planOf(kind: 'hotfix' | 'rollback', actions: readonly Action[]): Plan {
  const preconditions = [
    { kind: 'ref' as const, repo: 'deploy', ref: 'refs/heads/main', sha: sha('a') },
    { kind: 'ref' as const, repo: 'app', ref: 'refs/heads/main', sha: sha('1') },
  ];
  return { request: kind === 'hotfix' ? { kind, environment: 'production', reason: 'payment', picks: [] } : { kind, environment: 'production', allowDrift: false }, preconditions, actions } as unknown as Plan;
}

test('a hotfix\'s deploy and merge-back on branches the plan finds, with the rule\'s words: no problem', () => {
  assert.equal(rederiveProblems(planOf('hotfix', [{ ...deploy, rederive: rederiveFor(deploy) }, { ...merge, rederive: rederiveFor(merge) }])), []);
  assert.match(rederiveFor(deploy).reason, /only where overlays\/production\/kustomization\.yaml gives the same diff there/);
  assert.match(rederiveFor(merge).reason, /only where it is still clean and brings in exactly the commits of hotfix\/x/);
});

test('claimed where it does not hold: a rollback, another purpose, a branch the plan creates or does not check, other words', () => {
  const cases: Array<[string, Plan, RegExp]> = [
    ['a rollback', planOf('rollback', [{ ...deploy, purpose: 'revert', rederive: rederiveFor(deploy) }]), /deploy-hotfix: it may be re-derived, which only a hotfix's deploy commit and merge-backs may/],
    ['a baseline config commit', planOf('hotfix', [{ ...deploy, purpose: 'baseline-config', rederive: rederiveFor(deploy) }]), /which only a hotfix's deploy commit/],
    ['a branch the plan creates', planOf('hotfix', [{ id: 'b', kind: 'create-branch', repo: 'app', branch: 'main-merge', from: sha('1') }, { ...merge, into: 'main-merge', rederive: rederiveFor({ ...merge, into: 'main-merge' }) }]), /merge-main: it may be re-derived if main-merge moves, a branch the plan does not find existing/],
    ['a branch the plan does not check', planOf('hotfix', [{ ...deploy, branch: 'prd', rederive: rederiveFor({ ...deploy, branch: 'prd' }) }]), /if prd moves, a branch the plan does not find existing/],
    ['other words', planOf('hotfix', [{ ...merge, rederive: { when: 'if-branch-moves', reason: 'anything goes' } }]), /merge-main: its rule for a moved main is not the one apply follows/],
  ];
  for (const [label, plan, expected] of cases) {
    const problems = rederiveProblems(plan);
    assert.is(problems.length, 1, `${label}: ${problems.join('; ')}`);
    assert.match(problems[0]!, expected, label);
  }
});

// git.via pull-request: the commit goes on a branch the plan makes for review at the head of the pull request's base.
const review = { ...deploy, branch: 'hotfix/x-deploy' };
const reviewed = (from: string, rule = rederiveFor(review, 'main')): Action[] => [
  { id: 'deploy-branch', kind: 'create-branch', repo: 'deploy', branch: 'hotfix/x-deploy', from },
  { ...review, rederive: rule },
  { id: 'pull-request-deploy', kind: 'open-pull-request', repo: 'deploy', head: 'hotfix/x-deploy', base: 'main', title: 'Deploy hotfix' },
];

test('a commit on a branch for review, made at the checked head of its pull request\'s base, may follow the base with the base named', () => {
  assert.equal(rederiveProblems(planOf('hotfix', reviewed(sha('a')))), []);
  assert.match(rederiveFor(review, 'main').reason, /^main, the base of the pull request from hotfix\/x-deploy, may move while apply waits at the gate: until apply has made hotfix\/x-deploy, it then makes hotfix\/x-deploy at the new head of main and this commit on it, with the same message, only where overlays\/production\/kustomization\.yaml gives the same diff there/);
  const cases: Array<[string, Plan, RegExp]> = [
    ['made elsewhere than the base head the plan checks', planOf('hotfix', reviewed(sha('9'))), /deploy-hotfix: it may be re-derived if main moves, but hotfix\/x-deploy is not made at the head of main the plan checks/],
    ['no branch made for it', planOf('hotfix', reviewed(sha('a')).slice(1)), /is not made at the head of main the plan checks/],
    ['the direct rule\'s words', planOf('hotfix', reviewed(sha('a'), rederiveFor(review))), /deploy-hotfix: its rule for a moved main is not the one apply follows/],
  ];
  for (const [label, plan, expected] of cases) {
    const problems = rederiveProblems(plan);
    assert.is(problems.length, 1, `${label}: ${problems.join('; ')}`);
    assert.match(problems[0]!, expected, label);
  }
});

// A CI runner's fresh clone: dev is only origin/dev, and the plan makes the local dev there.
test('a merge into a branch the plan makes at the remote-tracking branch it checks, of a remote it pushes to, may be re-derived; made elsewhere or unchecked it may not', () => {
  const into = { ...merge, into: 'dev', id: 'merge-dev' };
  const tracked = (from: string, remote: string, checkedAt: string): Plan => {
    const plan = planOf('hotfix', [
      { id: 'merge-dev-local', kind: 'create-branch', repo: 'app', branch: 'dev', from },
      { ...into, rederive: rederiveFor(into) },
      { id: 'push-merge', kind: 'push', repo: 'app', remote: 'origin', url: '/remote.git', refs: [{ ref: 'refs/heads/dev', sha: into.commit }] } as unknown as Action,
    ]);
    return { ...plan, preconditions: [...plan.preconditions, { kind: 'ref', repo: 'app', ref: `refs/remotes/${remote}/dev`, sha: checkedAt }] } as Plan;
  };
  assert.equal(rederiveProblems(tracked(sha('1'), 'origin', sha('1'))), []);
  for (const [label, plan] of [['made elsewhere', tracked(sha('7'), 'origin', sha('1'))], ['checked at another commit', tracked(sha('1'), 'origin', sha('7'))], ['a remote it does not push to', tracked(sha('1'), 'upstream', sha('1'))]] as const)
    assert.equal(rederiveProblems(plan), ['merge-dev: it may be re-derived if dev moves, a branch the plan does not find existing'], label);
});

// A CI runner's fresh clone with git.via pull-request: the base is only origin/main, and the branch for review is made at its head.
test('a commit on a branch for review whose base the plan checks as origin/<base>, of a remote it pushes to, may follow the base; of another remote, or not at the branch\'s start, it may not', () => {
  const fresh = (remote: string, checkedAt: string): Plan => {
    const plan = planOf('hotfix', [...reviewed(sha('a')), { id: 'push-config', kind: 'push', repo: 'deploy', remote: 'origin', url: '/deploy.git', refs: [{ ref: 'refs/heads/hotfix/x-deploy', sha: review.commit }] } as unknown as Action]);
    const others = plan.preconditions.filter((p) => !(p.kind === 'ref' && p.repo === 'deploy'));
    return { ...plan, preconditions: [...others, { kind: 'ref', repo: 'deploy', ref: `refs/remotes/${remote}/main`, sha: checkedAt }, { kind: 'ref', repo: 'deploy', ref: 'refs/heads/main', sha: null }] } as Plan;
  };
  const action = (plan: Plan) => plan.actions[1] as Extract<Action, { kind: 'commit' }>;
  assert.equal(rederiveProblems(fresh('origin', sha('a'))), []);
  assert.is(reviewBaseRefOf(fresh('origin', sha('a')), action(fresh('origin', sha('a')))), 'refs/remotes/origin/main');
  assert.is(reviewBaseRefOf(planOf('hotfix', reviewed(sha('a'))), review), 'refs/heads/main', 'a local base wins');
  for (const [label, plan] of [['a remote it does not push to', fresh('upstream', sha('a'))], ['checked at another commit', fresh('origin', sha('7'))]] as const) {
    assert.equal(rederiveProblems(plan), ['deploy-hotfix: it may be re-derived if main moves, but hotfix/x-deploy is not made at the head of main the plan checks'], label);
    assert.is(reviewBaseRefOf(plan, action(plan)), undefined, label);
  }
});

test.run();
