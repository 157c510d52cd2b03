import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { crashEverywhere, interruptEverywhere } from '../helpers/crash-points.js';
import { planRollback, scenario as gitopsScenario } from '../helpers/rollback-scenario.js';

test('rollback plan: Ctrl-C at every checkpoint, exit 130 and no lock left, rerun, same refs as an uninterrupted apply', async () => {
  const s = await gitopsScenario();
  const { plan } = planRollback(s, ['--reason', 'interrupt test']);
  const planFile = join(s.root, 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const count = await interruptEverywhere({ root: s.root, planFile, clones: [{ clone: s.configRepo, remote: s.remote }], applyArgs: (path) => ['--repo', `deploy=${path(s.configRepo)}`, '--cluster-state', s.clusterStateFile] }, plan!);
  console.log(`rollback: ${count} interrupt points`);
});

test('rollback plan: kill -9 at every checkpoint of a fresh copy, rerun, same refs as an uninterrupted apply', async () => {
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

test.run();
