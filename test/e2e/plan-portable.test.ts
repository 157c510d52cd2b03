import { cpSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { gitOut, refs, scenario } from '../helpers/rollback-scenario.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A plan made in a pull request's job is applied by another job, in another checkout on
// another runner: the plan stores no absolute path (repositories by name and a path from
// where the plan was made, the policy by its path from there and its sha256), apply resolves
// them from its own directory, and --repo and --policy bind them anywhere else.

const s = await scenario();
const planFile = join(s.root, 'plan.json');
const made = runCli(['plan', 'rollback', '--policy', 'policies/api-js.yaml', '--env', 'production', '--repo', 'deploy=deploy', '--cluster-state', s.clusterStateFile, '--reason', 'bad release', '--out', planFile], { cwd: s.root });
assert.is(made.code, 0, made.stderr);
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
const branch = plan.actions.find((a) => a.kind === 'create-branch')!.branch;

/** Another runner's checkout: the same files under another root (its origin still the one remote). */
function otherCheckout(): string {
  const root = join(tempDir('hotfix-other-runner-'), 'checkout');
  cpSync(s.root, root, { recursive: true, verbatimSymlinks: true });
  return root;
}

test('the plan names repositories and the policy by paths from where it was made, none absolute', () => {
  assert.equal(plan.repos, { deploy: 'deploy' });
  assert.is(plan.policy.file, join('policies', 'api-js.yaml'));
  const policy = plan.preconditions.find((p) => p.kind === 'policy');
  assert.is(policy?.kind === 'policy' && policy.file, join('policies', 'api-js.yaml'));
  const shown = runCli(['show', planFile], { cwd: s.root });
  assert.match(shown.stdout, /^ {2}repository {2}deploy = deploy$/m);
  // The remote's URL is a path in this fixture, and a URL is what it is: no other line names a directory.
  const naming = shown.stdout.split('\n').filter((line) => line.includes(s.root));
  assert.ok(naming.length > 0 && naming.every((line) => line.includes(s.remote)), naming.join('\n'));
  assert.ok(Object.values(plan.repos).every((path) => !isAbsolute(path)));
});

test('applied in another checkout from its root: that checkout\'s repository is written, the plan\'s own is not', () => {
  const root = otherCheckout();
  const before = refs(s.configRepo);
  const r = runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, join(root, 'plan.json')], { cwd: root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.ok(gitOut(join(root, 'deploy'), ['rev-parse', '--verify', `refs/heads/${branch}`]).trim().length === 40, 'the branch is made in the checkout apply ran in');
  assert.is(refs(s.configRepo), before, 'the checkout the plan was made in is untouched');
  assert.ok(gitOut(s.remote, ['for-each-ref', '--format=%(refname)']).includes(`refs/heads/${branch}`), 'and pushed to the one remote');
  gitOut(s.remote, ['update-ref', '-d', `refs/heads/${branch}`]);
});

test('applied from anywhere: --repo and --policy bind them; without --policy the policy is not found there (HF404)', () => {
  const root = otherCheckout();
  const elsewhere = tempDir('hotfix-elsewhere-');
  const args = ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--repo', `deploy=${join(root, 'deploy')}`];
  const lost = runCli([...args, join(root, 'plan.json')], { cwd: elsewhere });
  assert.is(lost.code, 1, lost.stdout + lost.stderr);
  assert.match(lost.stderr, /the policy \S+policies\/api-js\.yaml is gone or is not a regular file; bind it with --policy FILE/);
  assert.match(lost.stderr, /\[HF404\]/);
  const bound = runCli([...args, '--policy', join(root, 'policies', 'api-js.yaml'), join(root, 'plan.json')], { cwd: elsewhere });
  assert.is(bound.code, 0, bound.stdout + bound.stderr);
  assert.ok(gitOut(join(root, 'deploy'), ['rev-parse', '--verify', `refs/heads/${branch}`]).trim().length === 40);
  gitOut(s.remote, ['update-ref', '-d', `refs/heads/${branch}`]);
});

test('--policy names a file whose sha256 is not the plan\'s: refused, nothing written', () => {
  const root = otherCheckout();
  const other = join(root, 'policies', 'web.yaml');
  const before = refs(join(root, 'deploy'));
  const r = runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--policy', other, join(root, 'plan.json')], { cwd: root });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /the policy \S+web\.yaml is not the one the plan was made from \(its sha256 differs\); pass the plan's policy with --policy FILE {2}\[HF404\]/);
  assert.is(refs(join(root, 'deploy')), before);
});

test.run();
