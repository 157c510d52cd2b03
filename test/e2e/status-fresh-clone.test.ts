import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import type { Plan } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §6 on a CI runner: `git clone` of the app's remote has main as its only local
// branch and dev only as origin/dev. status still finds whether dev holds the hotfix
// production runs, from the remote-tracking branch.

const registry = registryForFile(test);

interface StatusJson {
  environments: Array<{ hotfix?: { contained: boolean; targets: Array<{ target: string; contained: boolean }> } }>;
}

test('status in a fresh clone reads the merge-back branches it has only as origin/*', async () => {
  const g = await gatedHotfix(registry.host, 81);
  const { s } = g;
  await g.meetGate();
  const applied = await runCliAsync(g.args, { cwd: s.root });
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  const plan = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const cluster = join(s.root, 'cluster-after.json');
  writeFileSync(cluster, readFileSync(s.clusterStateFile, 'utf8').split(`${s.image}:${s.deployed.tag}`).join(plan.target.image));
  gitOut(s.configRepo, ['pull', '--quiet', '--ff-only', 'origin', 'main']);

  const fresh = join(s.root, 'runner', 'app');
  const cloned = spawnSync('git', ['clone', '--quiet', s.appRemote, fresh], { env: isolatedGitEnv(), encoding: 'utf8' });
  assert.is(cloned.status, 0, cloned.stderr);
  assert.is(gitOut(fresh, ['for-each-ref', '--format=%(refname)', 'refs/heads']).trim(), 'refs/heads/main', 'only main is a local branch');
  assert.ok(gitOut(fresh, ['for-each-ref', '--format=%(refname)', 'refs/remotes/origin/dev']).trim(), 'dev is there as origin/dev');

  const status = await runCliAsync(['status', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${fresh}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', cluster, '--detailed-exitcode', '--format', 'json'], { cwd: s.root });
  assert.is(status.code, 0, status.stdout + status.stderr);
  const hotfix = (JSON.parse(status.stdout) as StatusJson).environments[0]!.hotfix!;
  assert.equal(hotfix.targets.map((t) => [t.target, t.contained]), [['main', true], ['dev', true]]);
  assert.is(hotfix.contained, true);

  // Someone resets dev on the remote to the release production was built from, before the fix: the runner's fetch sees dev lacks the hotfix.
  gitOut(s.appRemote, ['update-ref', 'refs/heads/dev', s.deployed.commit]);
  gitOut(fresh, ['fetch', '--quiet', '--force', 'origin']);
  const lacking = await runCliAsync(['status', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${fresh}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', cluster, '--detailed-exitcode', '--format', 'json'], { cwd: s.root });
  assert.is(lacking.code, 2, lacking.stdout + lacking.stderr);
  assert.equal((JSON.parse(lacking.stdout) as StatusJson).environments[0]!.hotfix!.targets.map((t) => [t.target, t.contained]), [['main', true], ['dev', false]]);
});

test.run();
