import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scenario } from '../helpers/rollback-scenario.js';
import { runCli } from '../helpers/run-cli.js';

// `status --detailed-exitcode` as an on-call script reads it (terraform plan's
// -detailed-exitcode): 0 all good, 2 when an environment drifts from its config or rolls out
// unhealthy, 1 when the cluster could not be read. Each case edits the saved kubectl output
// (`kubectl get deployment/api-js pods -l app=api-js -o json`) the way the cluster would change.
const s = await scenario();
const saved = JSON.parse(readFileSync(s.clusterStateFile, 'utf8'));
let n = 0;

function clusterWith(edit: (deployment: any) => void): string {
  const copy = structuredClone(saved);
  const items: any[] = copy.items ?? [copy];
  edit(items.find((i) => i.kind === 'Deployment'));
  const file = join(s.root, `cluster-${++n}.json`);
  writeFileSync(file, JSON.stringify(copy));
  return file;
}

const status = (cluster: string, ...extra: string[]) => runCli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', cluster, '--format', 'json', ...extra], { cwd: s.root });

test('aligned and healthy: exit 0, and the rollout as numbers in JSON', () => {
  const r = status(s.clusterStateFile, '--detailed-exitcode');
  assert.is(r.code, 0, r.stderr + r.stdout);
  const [env] = JSON.parse(r.stdout).environments;
  const d = saved.items.find((i: any) => i.kind === 'Deployment');
  assert.equal(env.running.rollout, { desired: d.spec.replicas, updated: d.status.updatedReplicas, ready: d.status.readyReplicas, available: d.status.availableReplicas, generation: d.metadata.generation, observedGeneration: d.status.observedGeneration });
  assert.is(env.drift, false);
});

test('drift (the cluster runs another tag than the config declares): exit 2; without the flag 0', () => {
  const drifted = clusterWith((d) => {
    d.spec.template.spec.containers[0].image = `${s.image}:${s.apiJs.previousTag}`;
  });
  assert.is(status(drifted, '--detailed-exitcode').code, 2);
  assert.is(JSON.parse(status(drifted).stdout).environments[0].drift, true);
  assert.is(status(drifted).code, 0);
});

test('a rollout stuck with fewer available replicas than desired: exit 2, rollout says so', () => {
  const stuck = clusterWith((d) => {
    d.status.availableReplicas = 1;
    d.status.unavailableReplicas = d.spec.replicas - 1;
  });
  const r = status(stuck, '--detailed-exitcode');
  assert.is(r.code, 2);
  const [env] = JSON.parse(r.stdout).environments;
  assert.is(env.running.healthy, false);
  assert.is(env.running.rollout.available, 1);
});

test('a cluster that cannot be read: exit 1 with --detailed-exitcode, the reason in runningError', () => {
  const broken = join(s.root, 'cluster-broken.json');
  writeFileSync(broken, '{"kind": "List", "items": [');
  const r = status(broken, '--detailed-exitcode');
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.type(JSON.parse(r.stdout).environments[0].runningError, 'string');
});

test.run();
