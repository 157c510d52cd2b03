import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenario } from '../../fixtures/app-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTestRegistry, type RegistryAuth, type TestRegistry } from '../helpers/test-registry.js';

// Registry credentials never appear in a plan, a render, a log or an error message: every
// command runs against real registries with basic and token auth, in every output format,
// succeeding and failing, and everything it printed or wrote is searched for the password,
// the base64 `user:pass` of the docker config, and every token the token server issued.
const CHECKS = ['--check', 'unit', '--check', 'smoke'];

/** Everything a command left: what it printed, and every file under `root` (git objects uncompressed). */
function everything(root: string, outputs: readonly CliResult[]): string {
  const texts = outputs.map((r) => `${r.stdout}\n${r.stderr}`);
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === '.git' || name.endsWith('.git')) texts.push(gitObjects(name === '.git' ? dir : path), readTree(path));
      else if (statSync(path).isDirectory()) visit(path);
      else texts.push(readFileSync(path, 'latin1'));
    }
  };
  visit(root);
  return texts.join('\n');
}

/** Every object of a repository as text, packed or loose. */
function gitObjects(repo: string): string {
  return execFileSync('git', ['cat-file', '--batch-all-objects', '--batch'], { cwd: repo, encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 });
}

/** Files of a git directory that are not objects: refs, logs, the journal of apply. */
function readTree(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes(`${join(dir, 'objects')}`))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'latin1'))
    .join('\n');
}

function secretsOf(registry: TestRegistry): string[] {
  const login = `${registry.username}:${registry.password}`;
  return [registry.password!, Buffer.from(login).toString('base64'), Buffer.from(registry.password!).toString('base64'), ...registry.tokens];
}

async function world(auth: RegistryAuth): Promise<{ registry: TestRegistry; s: AppScenario; run: (args: string[]) => Promise<CliResult>; outputs: CliResult[] }> {
  const registry = await startTestRegistry({ auth });
  const s = await buildAppScenario(tempDir(), registry.host, {});
  const login = { username: registry.username!, password: registry.password! };
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit }, auth: login });
  const outputs: CliResult[] = [];
  const run = async (args: string[]) => {
    const r = await runCliAsync(args, { cwd: s.root });
    outputs.push(r);
    return r;
  };
  return { registry, s, run, outputs };
}

for (const auth of ['basic', 'token'] as const) {
  test(`${auth} auth: no password, base64 login or token in any output, plan, render or repository`, async () => {
    const { registry, s, run, outputs } = await world(auth);
    try {
      const wrong = join(tempDir(), 'config.json');
      writeFileSync(wrong, JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from(`${registry.username}:wrong-${registry.password}`).toString('base64') } } }));
      const file = join(s.root, 'plan.json');
      const hotfix = (...extra: string[]) => [
        'plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`,
        '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, ...extra,
      ];

      for (const format of ['text', 'markdown', 'json']) assert.is((await run(hotfix('--docker-config', registry.dockerConfig, '--format', format, '--debug'))).code, 0);
      const planned = await run(hotfix('--docker-config', registry.dockerConfig, '--out', file));
      assert.is(planned.code, 0, planned.stderr);
      const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
      assert.match(plan.deployed.appCommit!.decidedBy, /^label /);
      // A wrong login: the label cannot be read, and the plan says why.
      const refused = await run(hotfix('--docker-config', wrong));
      assert.match(refused.stdout + refused.stderr, /label not checked: .*docker login/);
      for (const format of ['text', 'markdown', 'json']) assert.is((await run(['show', '--format', format, file])).code, 0);
      assert.is((await run(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--format', 'json'])).code, 0);

      // Apply: the gate is read with a wrong login (refused), then before CI (waits), then after it.
      assert.is((await run(['apply', '--auto-approve', '--dry-run', '--docker-config', wrong, '--cluster-state', s.clusterStateFile, file])).code, 0);
      assert.is((await run(['apply', '--auto-approve', '--docker-config', wrong, '--cluster-state', s.clusterStateFile, ...CHECKS, file])).code, 3);
      assert.is((await run(['apply', '--auto-approve', '--docker-config', registry.dockerConfig, '--cluster-state', s.clusterStateFile, ...CHECKS, file])).code, 3);
      const head = plan.actions.filter((a) => a.kind === 'cherry-pick').pop()! as { commit: string };
      await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { [REVISION]: head.commit }, auth: { username: registry.username!, password: registry.password! } });
      const applied = await run(['apply', '--auto-approve', '--docker-config', registry.dockerConfig, '--cluster-state', s.clusterStateFile, ...CHECKS, '--debug', file]);
      assert.is(applied.code, 0, applied.stderr);

      assert.ok(registry.tokens.length > 0 || auth === 'basic', 'the token server issued no token: the test proves nothing');
      const all = everything(s.root, outputs);
      // The search sees what it must: the plan, and the commits apply wrote (packed or not).
      assert.ok(all.includes(plan.id) && all.includes(`(cherry picked from commit ${s.fixes[0]!.commit})`), 'the search misses the plan or the commits');
      for (const secret of secretsOf(registry)) assert.not.ok(all.includes(secret), `a secret of ${auth} auth appears in the output or the repositories`);
    } finally {
      await registry.stop();
    }
  });
}

test.run();
