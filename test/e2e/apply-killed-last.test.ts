import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { startTestRegistry } from '../helpers/test-registry.js';

// Killed after the last checkpoint (the last action recorded in the journal), apply leaves
// its lock behind; the rerun finds nothing to do, and must not leave that lock either.

const hotfixDir = (repo: string) => join(repo, '.git', 'hotfix');

/** Kills apply after its last record, checks the lock is left, reruns, and checks it is gone. */
async function killedAfterLast(root: string, args: readonly string[], plan: Plan, repos: readonly string[]): Promise<void> {
  const last = `${plan.actions.at(-1)!.id}:recorded`;
  const killed = await runCliAsync(args, { cwd: root, env: { HOTFIX_TEST_KILL_AT: last } });
  assert.is(killed.signal, 'SIGKILL', `not killed at ${last}: exit ${killed.code} ${killed.stderr}`);
  for (const repo of repos) assert.ok(existsSync(join(hotfixDir(repo), 'apply.lock')), `the killed apply left its lock in ${repo}: the case this test is about`);
  const after = repos.map(refs).join('\n');

  const rerun = await runCliAsync(args, { cwd: root });
  assert.is(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stdout, /Nothing to do: this plan was applied completely before/);
  assert.is(repos.map(refs).join('\n'), after, 'the rerun writes no ref');
  for (const repo of repos) {
    const left = existsSync(hotfixDir(repo)) ? readdirSync(hotfixDir(repo)) : [];
    assert.not.ok(left.some((name) => name.startsWith('apply.lock')), `${repo}: ${left.join(', ')}`);
  }
  // A second rerun has as little to do, and no lock to find.
  const again = await runCliAsync(args, { cwd: root });
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /Nothing to do/);
}

test('a rollback killed after its last record: the rerun says nothing to do and no lock remains', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, ['--reason', 'killed after the last checkpoint']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  await killedAfterLast(s.root, ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file], plan!, [s.configRepo]);
});

test('a hotfix (two repositories) killed after its last record: no lock remains in either', async () => {
  const registry = await startTestRegistry();
  try {
    const { s, planFile, args, meetGate } = await gatedHotfix(registry.host, 41);
    await meetGate();
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    await killedAfterLast(s.root, args, plan, [s.appRepo, s.configRepo]);
  } finally {
    await registry.stop();
  }
});

test('a dry run of a finished plan writes nothing, not even the removal of a dead lock', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, ['--reason', 'dry run after the kill']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const args = ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file];
  const killed = await runCliAsync(args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: `${plan!.actions.at(-1)!.id}:recorded` } });
  assert.is(killed.signal, 'SIGKILL');
  const lock = readFileSync(join(hotfixDir(s.configRepo), 'apply.lock'), 'utf8');
  const dry = await runCliAsync([...args.slice(0, -1), '--dry-run', file], { cwd: s.root });
  assert.is(dry.code, 0, dry.stderr);
  assert.is(readFileSync(join(hotfixDir(s.configRepo), 'apply.lock'), 'utf8'), lock);
});

test.run();
