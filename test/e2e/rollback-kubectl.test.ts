import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { startFakeKubeApi } from '../helpers/fake-kube-api.js';
import { gitOut, scenario } from '../helpers/rollback-scenario.js';
import { runCliAsync } from '../helpers/run-cli.js';

test('live mode: kubectl reads the workload and pods from a loopback API server; apply re-checks it', async () => {
  const s = await scenario();
  const recorded = JSON.parse(readFileSync(s.clusterStateFile, 'utf8')) as { items: unknown[] };
  const api = await startFakeKubeApi(recorded.items);
  try {
    const out = join(s.root, 'plan.json');
    const r = await runCliAsync(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--reason', 'r', '--out', out], { cwd: s.root, env: api.env });
    assert.is(r.code, 0, r.stderr);
    const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
    assert.is(plan.deployed.cluster?.source, 'kubectl');
    assert.match(plan.deployed.cluster?.digest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.ok(plan.preconditions.some((p) => p.kind === 'running-image'));
    assert.ok(api.requests.some((q) => q.startsWith('GET /apis/apps/v1/namespaces/api/deployments/api-js')));
    assert.ok(api.requests.some((q) => q.startsWith('GET /api/v1/namespaces/api/pods?') && q.includes('labelSelector=app%3Dapi-js')));

    const applied = await runCliAsync(['apply', '--auto-approve', out], { cwd: s.root, env: api.env });
    assert.is(applied.code, 0, applied.stderr);
    const branch = plan.actions.find((a) => a.kind === 'create-branch');
    assert.ok(gitOut(s.configRepo, ['branch', '--list', (branch as { branch: string }).branch]).trim());
  } finally {
    await api.close();
  }
});

test('live mode: an unreachable cluster is a one-line HF205, not a hang or a stack trace', async () => {
  const s = await scenario();
  const kubeconfig = join(s.root, 'kubeconfig');
  writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]', 'contexts: [{name: prod, context: {cluster: c}}]', 'current-context: prod', 'users: []', ''].join('\n'));
  const r = await runCliAsync(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--reason', 'r'], { cwd: s.root, env: { KUBECONFIG: kubeconfig } });
  assert.is(r.code, 1);
  assert.match(r.stderr, /^error {2}kubectl get deployment\/api-js failed: .+ {2}\[HF205\]\n$/);
});

test.run();
