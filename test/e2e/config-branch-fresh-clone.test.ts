import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cloneRepo, git } from '../../fixtures/git.js';
import { buildPrdNopScenario, type PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import type { Action, Plan, Precondition } from '../../src/plan/types.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 on a CI runner: billing's config repository (seed 002) has `prd` and `nop`, nop
// the remote's default branch. A job's `git clone` checks out one of them and holds the
// other only as origin/*; the hotfix plan reads the one it lacks from there, and the apply
// from that clone makes the local branch it commits on.

const registry = registryForFile(test);

async function scenario(seed: number): Promise<PrdNopScenario> {
  const s = await buildPrdNopScenario(tempDir(), registry.host, { seed });
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: s.deployed.commit } });
  return s;
}

async function planIn(s: PrdNopScenario, config: string): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${config}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: s.root });
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

async function applyIn(s: PrdNopScenario, config: string, plan: Plan, file: string, app = s.appRepo): Promise<CliResult> {
  const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.1', labels: { [REVISION]: head } });
  return runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'integration-nop', '--repo', `app=${app}`, '--repo', `deploy=${config}`, file], { cwd: s.root });
}

const refPre = (plan: Plan, repo: string) => plan.preconditions.filter((p): p is Extract<Precondition, { kind: 'ref' }> => p.kind === 'ref' && p.repo === repo);
const deployCommit = (plan: Plan) => plan.actions.find((a) => a.kind === 'commit' && a.purpose === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;

test('a clone of the default branch (nop) holds prd only as origin/prd: the plan makes the local prd from it and the apply from that clone deploys', async () => {
  const s = await scenario(3);
  const runner = join(s.root, 'runner-deploy');
  await cloneRepo(s.root, s.configRemote, runner);
  assert.is((await git(runner, ['for-each-ref', '--format=%(refname)', 'refs/heads'])).trim(), 'refs/heads/nop');

  const r = await planIn(s, runner);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(hasStackTrace(r.stderr));
  const plan = r.plan!;
  const made = plan.actions.find((a) => a.kind === 'create-branch' && a.repo === 'deploy' && a.branch === 'prd') as Extract<Action, { kind: 'create-branch' }> | undefined;
  assert.ok(made, JSON.stringify(plan.actions.map((a) => a.id)));
  assert.is(made!.from, s.prd.head);
  // Made after the gate, right before the deploy commit on it, and the deploy commit is exact.
  const ids = plan.actions.map((a) => a.id);
  assert.ok(ids.indexOf('gate') < ids.indexOf(made!.id) && ids.indexOf(made!.id) < ids.indexOf('deploy-hotfix'), ids.join(' '));
  assert.is(deployCommit(plan).parent, s.prd.head);
  // Only the remote's prd can move under it: re-derived when the push is refused as non-fast-forward.
  assert.match(deployCommit(plan).rederive?.reason ?? '', /^prd may move while apply waits at the gate/);
  const refs = refPre(plan, 'deploy');
  assert.ok(refs.some((p) => p.ref === 'refs/remotes/origin/prd' && p.sha === s.prd.head), JSON.stringify(refs));
  assert.ok(refs.some((p) => p.ref === 'refs/heads/prd' && p.sha === null), JSON.stringify(refs));
  // The baseline is read from the local nop, as before.
  assert.is(plan.baseline!.commit?.sha, s.nop.baseline);

  const applied = await applyIn(s, runner, plan, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  const deployed = deployCommit(plan).commit;
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployed);
  assert.is((await git(runner, ['rev-parse', 'refs/heads/prd'])).trim(), deployed);
  assert.match(await git(s.configRemote, ['show', 'prd:deploy/kustomization.yaml']), /newTag: "1\.4\.1"/);
});

test('a clone of prd holds nop only as origin/nop: the baseline is found there, and prd stays the local branch', async () => {
  const s = await scenario(4);
  const runner = join(s.root, 'runner-prd');
  await cloneRepo(s.root, s.configRemote, runner, ['--branch', 'prd']);
  assert.is((await git(runner, ['for-each-ref', '--format=%(refname)', 'refs/heads'])).trim(), 'refs/heads/prd');

  const r = await planIn(s, runner);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  assert.is(plan.baseline!.commit?.sha, s.nop.baseline);
  assert.is(plan.baseline!.targetDeploying.sha, s.prd.deployingCommit);
  assert.not.ok(plan.actions.some((a) => a.kind === 'create-branch' && a.repo === 'deploy' && (a.branch === 'prd' || a.branch === 'nop')));
  assert.ok(refPre(plan, 'deploy').some((p) => p.ref === 'refs/heads/prd' && p.sha === s.prd.head));
  assert.ok(deployCommit(plan).rederive, 'a local prd is re-derived as before');

  const applied = await applyIn(s, runner, plan, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  const baselineCommit = (plan.actions.find((a) => a.kind === 'commit' && a.purpose === 'baseline-config') as { commit: string; branch: string });
  assert.is((await git(s.configRemote, ['rev-parse', `refs/heads/${baselineCommit.branch}^`])).trim(), s.nop.baseline);
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployCommit(plan).commit);
});

test('a local prd still wins over origin/prd, even where the remote is ahead', async () => {
  const s = await scenario(5);
  const runner = join(s.root, 'runner-both');
  await cloneRepo(s.root, s.configRemote, runner);
  await git(runner, ['branch', 'prd', `${s.prd.head}^`]);
  const r = await planIn(s, runner);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  assert.is(deployCommit(plan).parent, (await git(runner, ['rev-parse', `${s.prd.head}^`])).trim());
  assert.not.ok(refPre(plan, 'deploy').some((p) => p.ref.startsWith('refs/remotes/')));
});

test('a config branch neither local nor fetched: HF202 names both places looked', async () => {
  const s = await scenario(6);
  const runner = join(s.root, 'runner-single');
  await cloneRepo(s.root, s.configRemote, runner, ['--single-branch', '--branch', 'nop']);
  const r = await planIn(s, runner);
  assert.is(r.code, 1, r.stdout);
  assert.not.ok(hasStackTrace(r.stderr));
  assert.match(r.stderr, /branch prd does not exist in deploy .*, neither locally nor as origin\/prd {2}\[HF202\]/);
});

test('plan rollback in a clone of nop: prd is read from origin/prd, and the apply from that clone pushes the rollback branch made on it', async () => {
  const s = await scenario(7);
  const runner = join(s.root, 'runner-rollback');
  await cloneRepo(s.root, s.configRemote, runner);
  // billing's policy allows no rollback; a revert as the GitOps policies (gitops-policies.ts) declare it.
  const policy = join(s.root, 'with-rollback.yaml');
  writeFileSync(policy, `${readFileSync(s.policyFile, 'utf8').trimEnd()}\n  rollback:\n    method: revert\n    requireReason: true\n`);
  const file = join(s.root, 'rollback.json');
  const r = await runCliAsync(['plan', 'rollback', '--policy', policy, '--env', 'production', '--repo', `deploy=${runner}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--out', file], { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.ok(hasStackTrace(r.stderr));
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.ok(refPre(plan, 'deploy').some((p) => p.ref === 'refs/remotes/origin/prd' && p.sha === s.prd.head), JSON.stringify(plan.preconditions));
  const first = plan.actions.find((a) => a.kind === 'commit') as Extract<Action, { kind: 'commit' }>;
  assert.is(first.parent, s.prd.head);
  const pr = plan.actions.find((a) => a.kind === 'open-pull-request') as Extract<Action, { kind: 'open-pull-request' }>;
  assert.is(pr.base, 'prd');

  const applied = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--repo', `deploy=${runner}`, file], { cwd: s.root });
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  const tip = (plan.actions.filter((a) => a.kind === 'commit').pop() as { commit: string }).commit;
  assert.is((await git(s.configRemote, ['rev-parse', `refs/heads/${first.branch}`])).trim(), tip);
  // prd itself is the pull request's to change.
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), s.prd.head);
});

/** A teammate's clone of `remote` pushes a commit adding `path` to `branch`; returns its id. */
async function teammatePushes(s: PrdNopScenario, remote: string, branch: string, path: string): Promise<string> {
  const dir = join(s.root, `teammate-${Math.random().toString(36).slice(2)}`);
  await cloneRepo(s.root, remote, dir, ['--branch', branch]);
  writeFileSync(join(dir, path), 'Runbook: page the billing on-call before a manual deploy.\n');
  await git(dir, ['add', '--', path]);
  await git(dir, ['-c', 'user.name=Teammate', '-c', 'user.email=teammate@example.com', 'commit', '--quiet', '-m', `Add ${path}`]);
  await git(dir, ['push', '--quiet', 'origin', branch]);
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

test('a runner cloned at the release tag (main only origin/main) and on nop (prd only origin/prd): main and prd move on the remote during the gate, and apply makes the merge-back and the deploy again on their new heads', async () => {
  const s = await scenario(8);
  const runnerConfig = join(s.root, 'runner-config');
  const runnerApp = join(s.root, 'runner-app');
  await cloneRepo(s.root, s.configRemote, runnerConfig);
  // A pipeline started by the tag: HEAD detached at it, no local branch.
  await cloneRepo(s.root, s.appRemote, runnerApp, ['--branch', `v${s.deployed.version}`]);
  assert.is((await git(runnerApp, ['for-each-ref', '--format=%(refname)', 'refs/heads'])).trim(), '');

  const file = join(s.root, 'moving.json');
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${runnerApp}`, '--repo', `deploy=${runnerConfig}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const merge = plan.actions.find((a) => a.kind === 'merge') as Extract<Action, { kind: 'merge' }>;
  assert.is(merge.into, 'main');
  assert.match(merge.rederive?.reason ?? '', /^main may move while apply waits at the gate/);
  assert.ok(plan.actions.some((a) => a.kind === 'create-branch' && a.repo === 'app' && a.branch === 'main' && a.from === merge.parents[0]));

  // While CI builds the image, a teammate pushes to main and another to prd.
  const mainNow = await teammatePushes(s, s.appRemote, 'main', 'RUNBOOK.md');
  const prdNow = await teammatePushes(s, s.configRemote, 'prd', 'deploy/RUNBOOK.md');

  const applied = await applyIn(s, runnerConfig, plan, file, runnerApp);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.match(applied.stdout, /re-derived: main moved on origin to [0-9a-f]{7}/);
  assert.match(applied.stdout, /re-derived: prd moved on origin to [0-9a-f]{7}/);
  // Each new commit is on the teammate's, with the reviewed change: the same diff, the same hotfix commits brought in.
  const deployed = deployCommit(plan);
  const prd = (await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim();
  assert.is.not(prd, deployed.commit);
  assert.is((await git(s.configRemote, ['rev-parse', 'prd^'])).trim(), prdNow);
  const diffOf = async (repo: string, a: string, b: string) => git(repo, ['diff', a, b, '--', 'deploy/kustomization.yaml']);
  assert.is(await diffOf(s.configRemote, prdNow, prd), await diffOf(runnerConfig, deployed.parent, deployed.commit));
  const main = (await git(s.appRemote, ['rev-parse', 'refs/heads/main'])).trim();
  assert.equal((await git(s.appRemote, ['rev-list', '--parents', '-n', '1', main])).trim().split(' ').slice(1), [mainNow, merge.parents[1]]);
  assert.is((await git(runnerApp, ['rev-parse', 'refs/heads/main'])).trim(), main);
});

test.run();
