import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { crashInChain } from '../helpers/crash-points.js';
import { pushImage } from '../helpers/push-image.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

let registry: TestRegistry;
test.before(async () => {
  registry = await startTestRegistry();
});
test.after(async () => {
  await registry.stop();
});

test('hotfix plan: kill -9 at every checkpoint in turn, each run a restart after a kill, same refs as an uninterrupted apply at the end', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { releaseBranch: 'production' });
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { 'org.opencontainers.image.revision': s.deployed.commit } });
  const planFile = join(s.root, 'plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', ...s.fixes.flatMap((f) => ['--pick', f.commit]), '--out', planFile], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { 'org.opencontainers.image.revision': head } });
  const count = await crashInChain(
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
