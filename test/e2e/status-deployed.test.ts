import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMergedHistoryScenario, type HistoryStop, type MergedHistoryScenario } from '../../fixtures/merged-history-scenario.js';
import type { DeployedStatus, EnvironmentStatus } from '../../src/plan/environment-status.js';
import { hasStackTrace, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// `hotfix status` says when and by which commit the declared value reached the config
// branch, on the history real config repositories have (fixtures/merged-history-scenario.ts:
// Flux bot bumps, Renovate commits, a pull request merged with --no-ff days after it was
// opened, a rollback pull request made with git revert and merged).
const built = new Map<string, Promise<MergedHistoryScenario>>();
const scenario = (stop?: HistoryStop) => {
  const key = stop ?? 'all';
  if (!built.has(key)) built.set(key, buildMergedHistoryScenario(tempDir(), stop ? { stop } : {}));
  return built.get(key)!;
};

function status(s: MergedHistoryScenario, policy: string, extra: string[] = [], repo = s.configRepo) {
  const r = runCli(['status', '--policy', policy, '--env', 'production', '--repo', `deploy=${repo}`, '--no-cluster', ...extra], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(hasStackTrace(r.stderr));
  return r;
}

function deployedJson(s: MergedHistoryScenario, policy: string, repo?: string): EnvironmentStatus['deployed'] {
  const r = status(s, policy, ['--format', 'json'], repo);
  return (JSON.parse(r.stdout) as { environments: EnvironmentStatus[] }).environments[0]!.deployed;
}

test('a rollback merged as a pull request: deployed by the merge, dated by it, and named a rollback of the bad release', async () => {
  const s = await scenario();
  const d = deployedJson(s, s.kustomizePolicy) as DeployedStatus;
  assert.is(d.commit, s.commits['revert'], 'the revert commit set the value');
  assert.is(d.landed?.commit, s.commits['merge-revert'], 'the merge brought it to main');
  assert.is(Date.parse(d.date), Date.parse(s.dates['merge-revert']!), 'dated by the merge');
  assert.equal(d.rollsBack, [s.commits['auto-1.5.0']]);
  const text = status(s, s.kustomizePolicy).stdout;
  assert.match(text, new RegExp(`deployed +\\S+ by the merge ${s.commits['merge-revert']!.slice(0, 7)} Merge pull request #44 .*\\(of ${s.commits['revert']!.slice(0, 7)} Revert`));
  assert.match(text, new RegExp(`rollback +it rolls back ${s.commits['auto-1.5.0']!.slice(0, 7)}`));
});

test('a bot commit straight to main deployed what is declared; a marker-only rewrite after it deployed nothing', async () => {
  const bad = await scenario('bad-release');
  const d = deployedJson(bad, bad.kustomizePolicy) as DeployedStatus;
  assert.is(d.commit, bad.commits['auto-1.5.0']);
  assert.is(d.landed, undefined);
  assert.is(d.rollsBack, undefined);
  assert.is(Date.parse(d.date), Date.parse(bad.dates['auto-1.5.0']!));
  assert.not.match(status(bad, bad.kustomizePolicy).stdout, /rollback +it rolls back/);
  // The marker comments were renamed after Flux wrote 1.4.3: the deployment is Flux's commit.
  const renamed = await scenario('marker-rename');
  assert.is((deployedJson(renamed, renamed.kustomizePolicy) as DeployedStatus).commit, renamed.commits['auto-1.4.3']);
  // Renovate's pinned digest in a HelmRelease: its commit deployed the worker's image.
  assert.is((deployedJson(bad, bad.helmPolicy) as DeployedStatus).commit, bad.commits['worker-2.3.1']);
});

test('a shallow clone: the deployment is unknown and status says how to fetch the history, still exit 0', async () => {
  const s = await scenario();
  const shallow = join(tempDir(), 'shallow');
  execFileSync('git', ['clone', '--quiet', '--depth', '1', `file://${s.configRepo}`, shallow], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const d = deployedJson(s, s.kustomizePolicy, shallow) as { unknown: string };
  assert.match(d.unknown, /shallow clone.*git fetch --unshallow.*\[HF235\]/);
  assert.match(status(s, s.kustomizePolicy, [], shallow).stdout, /deployed +unknown: .*shallow clone/);
});

test('a CI runner\'s clone that holds the config branch only as origin/main: status reads it there', async () => {
  const s = await scenario();
  const clone = join(tempDir(), 'runner');
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  execFileSync('git', ['clone', '--quiet', s.configRepo, clone], { env });
  execFileSync('git', ['checkout', '--quiet', '-b', 'ci-job'], { cwd: clone, env });
  execFileSync('git', ['branch', '--quiet', '-D', 'main'], { cwd: clone, env });
  assert.is(execFileSync('git', ['for-each-ref', '--format=%(refname)', 'refs/heads/main'], { cwd: clone, env, encoding: 'utf8' }), '', 'no local main');
  const r = status(s, s.kustomizePolicy, ['--format', 'json'], clone);
  const [production] = (JSON.parse(r.stdout) as { environments: EnvironmentStatus[] }).environments;
  assert.is(production!.config.head, s.commits['merge-revert']);
  assert.is((production!.deployed as DeployedStatus).commit, s.commits['revert']);
});

test('a fleet status (a directory of policies) walks no history: no deployed field', async () => {
  const s = await scenario();
  const r = runCli(['status', '--policy', join(s.root, 'policies'), '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--format', 'json'], { cwd: s.root });
  assert.ok(r.code === 0, r.stderr);
  assert.not.match(r.stdout, /"deployed"/);
});

test.run();
