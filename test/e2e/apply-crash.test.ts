import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { pushImage } from '../helpers/push-image.js';
import { planRollback, scenario as gitopsScenario } from '../helpers/rollback-scenario.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { allRefs, copyScenario } from '../helpers/scenario-copy.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

/** Every checkpoint apply passes through for a plan: where a crash test kills it. */
function killPoints(plan: Plan): string[] {
  const moves = (a: Action) => ['create-branch', 'commit', 'cherry-pick', 'tag', 'merge'].includes(a.kind);
  return plan.actions.flatMap((a) => [`${a.id}:start`, ...(moves(a) ? [`${a.id}:objects`, `${a.id}:ref`] : []), ...(a.kind === 'push' ? [`${a.id}:pushed`] : []), `${a.id}:recorded`]);
}

interface World {
  readonly root: string;
  readonly planFile: string;
  readonly clones: ReadonlyArray<{ clone: string; remote: string }>;
  readonly applyArgs: (path: (p: string) => string) => string[];
}

const reposOf = (world: World, path: (p: string) => string) => world.clones.flatMap(({ clone, remote }) => [path(clone), path(remote)]);

/** The refs after an uninterrupted apply: what every interrupted one must end with. */
async function uninterruptedRefs(world: World): Promise<string> {
  const reference = copyScenario(world.root, world.clones);
  const clean = await runCliAsync(['apply', '--auto-approve', ...world.applyArgs(reference.path), reference.plan(world.planFile)], { cwd: reference.root });
  assert.is(clean.code, 0, clean.stderr);
  return allRefs(reposOf(world, reference.path));
}

/** Applies the plan uninterrupted once, then killed at each point and rerun; the refs must match. */
async function crashEverywhere(world: World, plan: Plan): Promise<number> {
  const repos = (path: (p: string) => string) => reposOf(world, path);
  const expected = await uninterruptedRefs(world);

  const points = killPoints(plan);
  for (const point of points) {
    const copy = copyScenario(world.root, world.clones);
    const args = ['apply', '--auto-approve', ...world.applyArgs(copy.path), copy.plan(world.planFile)];
    const killed = await runCliAsync(args, { cwd: copy.root, env: { HOTFIX_TEST_KILL_AT: point } });
    assert.is(killed.signal, 'SIGKILL', `${point}: not killed (exit ${killed.code}) ${killed.stderr}`);
    // The lock the killed apply left names a pid that is gone on this host: the rerun takes
    // it over without --break-lock (after the last action, nothing is left to do).
    const rerun = await runCliAsync(args, { cwd: copy.root });
    assert.is(rerun.code, 0, `${point}: ${rerun.stderr}`);
    if (point === points[points.length - 1]) assert.match(rerun.stdout, /Nothing to do: this plan was applied completely before/);
    assert.is(allRefs(repos(copy.path)), expected, `${point}: the final refs differ from an uninterrupted apply`);
  }
  return points.length;
}

/**
 * Ctrl-C at each point: apply stops at the next checkpoint (or finishes, after the last),
 * says so in one line with exit 130, leaves no lock, and a plain rerun ends with the refs of
 * an uninterrupted apply.
 */
async function interruptEverywhere(world: World, plan: Plan): Promise<number> {
  const expected = await uninterruptedRefs(world);
  const points = killPoints(plan);
  for (const point of points) {
    const copy = copyScenario(world.root, world.clones);
    const args = ['apply', '--auto-approve', ...world.applyArgs(copy.path), copy.plan(world.planFile)];
    const stopped = await runCliAsync(args, { cwd: copy.root, env: { HOTFIX_TEST_KILL_AT: point, HOTFIX_TEST_KILL_SIGNAL: 'SIGINT' } });
    if (stopped.code !== 0 || point !== points[points.length - 1]) {
      assert.is(stopped.code, 130, `${point}: exit ${stopped.code} (${stopped.signal}) ${stopped.stderr}`);
      assert.match(stopped.stderr, /^[^\n]*apply stopped by SIGINT; .*\[HF413\]\n$/, point);
    }
    for (const { clone } of world.clones) assert.not.ok(existsSync(join(copy.path(clone), '.git', 'hotfix', 'apply.lock')), `${point}: a lock is left`);
    const rerun = await runCliAsync(args, { cwd: copy.root });
    assert.is(rerun.code, 0, `${point}: ${rerun.stderr}`);
    assert.is(allRefs(reposOf(world, copy.path)), expected, `${point}: the final refs differ from an uninterrupted apply`);
  }
  return points.length;
}

test('rollback plan: Ctrl-C at every checkpoint, exit 130 and no lock left, rerun, same refs as an uninterrupted apply', async () => {
  const s = await gitopsScenario();
  const { plan } = planRollback(s, ['--reason', 'interrupt test']);
  const planFile = join(s.root, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const count = await interruptEverywhere({ root: s.root, planFile, clones: [{ clone: s.configRepo, remote: s.remote }], applyArgs: (path) => ['--repo', `deploy=${path(s.configRepo)}`, '--cluster-state', s.clusterStateFile] }, plan!);
  console.log(`rollback: ${count} interrupt points`);
});

test('rollback plan: kill -9 at every checkpoint, rerun, same refs as an uninterrupted apply', async () => {
  const s = await gitopsScenario();
  const { plan } = planRollback(s, ['--reason', 'crash test']);
  const planFile = join(s.root, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const count = await crashEverywhere(
    { root: s.root, planFile, clones: [{ clone: s.configRepo, remote: s.remote }], applyArgs: (path) => ['--repo', `deploy=${path(s.configRepo)}`, '--cluster-state', s.clusterStateFile] },
    plan!,
  );
  console.log(`rollback: ${count} kill points`);
});

let registry: TestRegistry;
test.before(async () => {
  registry = await startTestRegistry();
});
test.after(async () => {
  await registry.stop();
});

test('hotfix plan: kill -9 at every checkpoint, rerun, same refs as an uninterrupted apply', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { releaseBranch: 'production' });
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { 'org.opencontainers.image.revision': s.deployed.commit } });
  const planFile = join(s.root, 'plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', ...s.fixes.flatMap((f) => ['--pick', f.commit]), '--out', planFile], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { 'org.opencontainers.image.revision': head } });
  const count = await crashEverywhere(
    {
      root: s.root,
      planFile,
      clones: [{ clone: s.appRepo, remote: s.appRemote }, { clone: s.configRepo, remote: s.configRemote }],
      applyArgs: (path) => ['--repo', `app=${path(s.appRepo)}`, '--repo', `deploy=${path(s.configRepo)}`, '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke'],
    },
    plan,
  );
  console.log(`hotfix: ${count} kill points`);
});

test.run();
