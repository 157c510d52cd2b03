import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clusterSnapshot } from '../../fixtures/cluster-snapshot.js';
import { type FakeKubeApi, startFakeKubeApi } from '../helpers/fake-kube-api.js';
import { tempDir } from '../helpers/temp-dir.js';

const execFileAsync = promisify(execFile);

const apiJs = clusterSnapshot({ namespace: 'api', workload: 'deployment/api-js', container: 'api', image: 'registry.example.com/team/api-js:main-26a4b87' });
/** Another app in the same namespace, so the label selector has something to leave out. */
const web = clusterSnapshot({ namespace: 'api', workload: 'deployment/web', container: 'web', image: 'registry.example.com/team/web:main-1234567', replicas: 2 });

/** Real kubectl against the fake, with a HOME of its own so nothing is written to the user's. */
async function kubectl(api: FakeKubeApi, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: tempDir(), ...api.env };
  try {
    const { stdout, stderr } = await execFileAsync('kubectl', ['--kubeconfig', api.kubeconfig, '--context', 'prod', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

async function withApi(run: (api: FakeKubeApi) => Promise<void>): Promise<void> {
  const api = await startFakeKubeApi([...apiJs.items, ...web.items]);
  try {
    await run(api);
  } finally {
    await api.close();
  }
}

test('kubectl gets the Deployment by name from the fake API', () =>
  withApi(async (api) => {
    const r = await kubectl(api, ['-n', 'api', 'get', 'deployment', 'api-js', '-o', 'json']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout), apiJs.items[0]);
    assert.ok(api.requests.includes('GET /apis/apps/v1/namespaces/api/deployments/api-js'), api.requests.join('\n'));
    assert.ok(api.requests.some((request) => request.startsWith('GET /api?')) && api.requests.some((request) => request.startsWith('GET /apis/apps/v1')), 'discovery was served');
  }),
);

test('kubectl lists the Pods by label, and only those', () =>
  withApi(async (api) => {
    const r = await kubectl(api, ['-n', 'api', 'get', 'pods', '-l', 'app=api-js', '-o', 'json']);
    assert.is(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { kind: string; items: unknown[] };
    assert.is(list.kind, 'List');
    assert.equal(list.items, apiJs.items.slice(1));
    const all = JSON.parse((await kubectl(api, ['-n', 'api', 'get', 'pods', '-o', 'json'])).stdout) as { items: unknown[] };
    assert.is(all.items.length, 3 + 2);
  }),
);

test('kubectl reports what is missing as the API server would', () =>
  withApi(async (api) => {
    const missing = await kubectl(api, ['-n', 'api', 'get', 'deployment', 'nope', '-o', 'json']);
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /Error from server \(NotFound\): deployments\.apps "nope" not found/);
    const elsewhere = await kubectl(api, ['-n', 'other', 'get', 'pods', '-l', 'app=api-js', '-o', 'json']);
    assert.is(elsewhere.code, 0);
    assert.equal(JSON.parse(elsewhere.stdout).items, []);
  }),
);

test('clusterSnapshot: a rollout in progress shows in the Deployment status', () => {
  const rolling = clusterSnapshot({
    namespace: 'api',
    workload: 'deployment/api-js',
    container: 'api',
    image: 'registry.example.com/team/api-js:main-26a4b87',
    digest: `sha256:${'a'.repeat(64)}`,
    replicas: 4,
    updated: 1,
    available: 2,
    generation: 7,
    observedGeneration: 6,
    podCount: 5,
  });
  const [deployment, ...pods] = rolling.items as ReadonlyArray<Record<string, any>>;
  assert.equal(deployment?.metadata.generation, 7);
  assert.equal(deployment?.spec.selector, { matchLabels: { app: 'api-js' } });
  assert.equal(deployment?.spec.template.spec.containers[0].image, 'registry.example.com/team/api-js:main-26a4b87');
  const { conditions, ...counts } = deployment?.status;
  assert.equal(counts, { observedGeneration: 6, replicas: 5, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 2 });
  assert.equal(
    conditions.map((c: Record<string, string>) => [c.type, c.status, c.reason]),
    [
      ['Available', 'False', 'MinimumReplicasUnavailable'],
      ['Progressing', 'True', 'ReplicaSetUpdated'],
    ],
  );
  assert.is(pods.length, 5);
  assert.equal(
    pods.map((pod) => pod.status.containerStatuses[0].ready),
    [true, true, false, false, false],
  );
  assert.is(pods[0]?.status.containerStatuses[0].imageID, `registry.example.com/team/api-js@sha256:${'a'.repeat(64)}`);
  assert.equal(clusterSnapshot({ namespace: 'api', workload: 'deployment/api-js', container: 'api', image: 'registry.example.com/team/api-js:main-26a4b87' }), apiJs, 'deterministic');
  assert.throws(() => clusterSnapshot({ namespace: 'api', workload: 'statefulset/db', container: 'db', image: 'db:1' }), /deployment\/NAME/);
});

test.run();
