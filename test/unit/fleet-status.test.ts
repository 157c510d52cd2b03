import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { EnvironmentStatus } from '../../src/plan/environment-status.js';
import { fleetOrder, fleetVerdict, type FleetService } from '../../src/plan/fleet-status.js';
import { renderFleetTable } from '../../src/render/fleet-status-table.js';
import { printable } from '../../src/render/printable.js';
import { styleFor } from '../../src/render/style.js';
import { boundedWork } from '../../src/state/bounded-work.js';
import { listPaths } from '../../src/state/cluster/namespace-reads.js';

test('boundedWork runs at most N at once, a finished job handing its slot to the next waiting one', async () => {
  const limit = boundedWork(3);
  let running = 0;
  let most = 0;
  const releases: Array<() => void> = [];
  const job = (n: number) => () =>
    new Promise<number>((resolve) => {
      most = Math.max(most, ++running);
      releases.push(() => {
        running--;
        resolve(n);
      });
    });
  const results = Array.from({ length: 8 }, (_, i) => limit(job(i)));
  await Promise.resolve();
  assert.is(releases.length, 3);
  // A job asked for right after one ends must not take the slot the first waiting job is handed.
  releases.shift()!();
  const late = limit(job(8));
  for (let done = 1; done < 9; done++) {
    await new Promise((resolve) => setImmediate(resolve));
    releases.shift()!();
  }
  assert.equal(await Promise.all([...results, late]), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.is(most, 3);
});

test('listPaths: the list of the workload\'s kind in its namespace, and the namespace\'s pods', () => {
  const ref = (namespace: string, workload: string) => ({ context: 'prod', namespace, workload, container: 'app' });
  assert.equal(listPaths(ref('team-a', 'deployment/checkout')), { workloads: '/apis/apps/v1/namespaces/team-a/deployments', pods: '/api/v1/namespaces/team-a/pods' });
  assert.equal(listPaths(ref('team-b', 'statefulset/queue')), { workloads: '/apis/apps/v1/namespaces/team-b/statefulsets', pods: '/api/v1/namespaces/team-b/pods' });
  assert.equal(listPaths(ref('team-b', 'daemonset/agent')).workloads, '/apis/apps/v1/namespaces/team-b/daemonsets');
  assert.equal(listPaths(ref('shop', 'deploymentconfig/api')).workloads, '/apis/apps.openshift.io/v1/namespaces/shop/deploymentconfigs');
});

const healthy = (name: string, tag: string, extra: Partial<EnvironmentStatus> = {}): EnvironmentStatus => ({
  name,
  config: { repo: 'gitops', branch: 'main', file: `apps/x/overlays/${name}/kustomization.yaml`, head: 'a'.repeat(40) },
  declared: `ghcr.io/acme/x:${tag}`,
  running: { image: `ghcr.io/acme/x:${tag}`, source: 'kubectl', health: '2/2 available', healthy: true, rollout: { desired: 2, updated: 2, ready: 2, available: 2, generation: 1, observedGeneration: 1 } },
  drift: false,
  automation: [],
  ...extra,
});

test('fleetVerdict: unreadable before attention before ok', () => {
  const ok: FleetService = { name: 'cart', file: 'cart.yaml', environments: [healthy('production', 'main-1111111')] };
  const drifted: FleetService = { name: 'search', file: 'search.yaml', environments: [healthy('production', 'main-2222222', { drift: true })] };
  const unhealthy: FleetService = { name: 'orders', file: 'orders.yaml', environments: [healthy('production', 'main-3333333', { running: { ...healthy('p', 't').running!, healthy: false } })] };
  const noBranch: FleetService = { name: 'cart', file: 'cart.yaml', environments: [{ name: 'production', unreadable: diagnostic('HF202', 'branch release does not exist') }] };
  const noPolicy: FleetService = { file: 'legacy.yaml', environments: [], unreadable: diagnostic('HF111', 'spec is missing "environments"') };
  assert.is(fleetVerdict([ok]), 'ok');
  assert.is(fleetVerdict([ok, drifted]), 'attention');
  assert.is(fleetVerdict([unhealthy]), 'attention');
  assert.is(fleetVerdict([drifted, noBranch]), 'unreadable');
  assert.is(fleetVerdict([ok, noPolicy]), 'unreadable');
  assert.is(fleetVerdict([healthy('production', 't', { runningError: 'kubectl failed' })].map((e) => ({ name: 'x', file: 'x', environments: [e] }))), 'unreadable');
  assert.equal(fleetOrder([noPolicy, drifted, ok]).map((s) => s.name ?? s.file), ['cart', 'search', 'legacy.yaml']);
});

test('the table keeps its columns aligned with colour on and a hostile tag in a cell', () => {
  const services: FleetService[] = [
    { name: 'recommendations', file: 'r.yaml', environments: [healthy('staging', 'main-1234567'), healthy('production', 'main-89abcde', { drift: true, running: { ...healthy('p', 'main-0000000').running!, healthy: false, rollout: { desired: 3, updated: 1, available: 1, generation: 2, observedGeneration: 1 } } })] },
    { name: 'cart', file: 'c.yaml', environments: [healthy('production', 'main-\u001b[2Jx')] },
    { name: 'orders', file: 'o.yaml', environments: [{ name: 'production', unreadable: diagnostic('HF203', 'apps/orders/overlays/production/kustomization.yaml does not exist\nsecond line') }] },
    { file: 'services/legacy/hotfix.yaml', environments: [], unreadable: diagnostic('HF111', 'spec is missing "environments"', { file: 'services/legacy/hotfix.yaml', range: { start: { line: 5, col: 1 }, end: { line: 5, col: 5 } } }) },
  ];
  const text = printable(renderFleetTable(fleetOrder(services), styleFor({ isTTY: true }, {})));
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[\d+m/g, '').split('\n');
  const header = plain[0]!;
  const columns = ['ENV', 'DECLARED', 'RUNNING', 'DRIFT', 'ROLLOUT'].map((c) => header.indexOf(c));
  for (const row of plain.slice(1, 5).filter((l) => !/ HF\d{3} /.test(l))) for (const at of columns) assert.ok(row[at - 2] === ' ' && row[at - 1] === ' ', `a column starts at ${at} in ${JSON.stringify(row)}`);
  assert.match(plain.find((l) => l.includes('89abcde'))!, /DRIFT +1\/3 available, 1\/3 updated, generation 1\/2 seen/);
  assert.ok(text.includes('\\x1b[2Jx'), 'the escape shown, not obeyed');
  assert.match(plain.find((l) => l.startsWith('orders'))!, /^orders +production +HF203 apps\/orders\/overlays\/production\/kustomization\.yaml does not exist$/);
  assert.match(plain.find((l) => l.startsWith('services/'))!, /^services\/legacy\/hotfix\.yaml:5:1 +HF111 spec is missing "environments"$/);
  assert.is(plain.at(-2), '4 environments of 3 services: 1 drifted, 1 unhealthy, 1 unreadable; 1 policy not loaded.');
});

test.run();
