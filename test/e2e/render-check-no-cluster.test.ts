import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenario } from '../../fixtures/app-scenario.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The render check (kubectl kustomize of the deployed directory with the planned change)
// runs for a kustomization config whether or not the environment has a cluster section:
// without one it checks every rendered container that runs the app's image. Before, an
// environment without a cluster section skipped it, and an overlay that sets the image
// again let the plan say it deploys the fix while the render deploys the old image.

const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();

/** The app scenario with production's cluster section taken out of the policy (and `edit` applied). */
async function withoutCluster(edit: (policy: string) => string = (p) => p): Promise<AppScenario> {
  const s = await buildAppScenario(tempDir(), '127.0.0.1:9', {});
  const policy = readFileSync(s.policyFile, 'utf8');
  const clusterLine = /\n {6}cluster: \{ context: prod, [^\n]*\}/;
  assert.match(policy, clusterLine, 'the fixture policy gives production a cluster section');
  writeFileSync(s.policyFile, edit(policy.replace(clusterLine, '')));
  return s;
}

const plan = (s: AppScenario, out: string) =>
  runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--no-registry', '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', out], { cwd: s.root });

test('without a cluster section: an overlay that sets the image again refuses the plan, naming the overlay (HF343)', async () => {
  // The base declares the image too and the policy patches the base; the overlay's images: entry wins.
  const s = await withoutCluster((p) => p.replace('file: overlays/production/kustomization.yaml', 'file: base/kustomization.yaml, render: overlays/production'));
  const baseFile = join(s.configRepo, 'base', 'kustomization.yaml');
  writeFileSync(baseFile, `${readFileSync(baseFile, 'utf8')}images:\n  - name: ${s.image}\n    newTag: ${s.deployed.tag}\n`);
  git(s.configRepo, 'add', '.');
  git(s.configRepo, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-qm', 'Declare the image in the base too');
  const out = join(s.root, 'refused.json');
  const r = await plan(s, out);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`kubectl kustomize overlays/production runs ${s.image.replace(/[.]/g, '\\.')}:${s.deployed.tag}, not ${s.image.replace(/[.]/g, '\\.')}:\\S+; overlays/production/kustomization\\.yaml sets the image and wins {2}\\[HF343\\]`));
  assert.throws(() => readFileSync(out), 'no plan is saved');
});

test('without a cluster section: a change the render carries is planned, and show says what the render must run', async () => {
  const s = await withoutCluster();
  const out = join(s.root, 'plan.json');
  const r = await plan(s, out);
  assert.is(r.code, 0, r.stderr);
  const saved = JSON.parse(readFileSync(out, 'utf8')) as { actions: Array<{ kind: string; render?: Record<string, string> }>; target: { image: string } };
  const deploy = saved.actions.find((a) => a.kind === 'commit' && a.render);
  assert.ok(deploy, 'the deploy commit carries a render check');
  assert.equal(deploy.render, { dir: 'overlays/production', image: saved.target.image }, 'no workload or container is named');
  const shown = await runCliAsync(['show', out], { cwd: s.root });
  assert.is(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(`render check: kubectl kustomize overlays/production must run ${saved.target.image} in every container that runs ${s.image}`), shown.stdout);
});

test.run();
