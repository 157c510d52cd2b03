import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFleetScenario, type FleetScenario } from '../../fixtures/fleet-scenario.js';
import type { ClusterSnapshotOptions } from '../../fixtures/cluster-snapshot.js';
import { countingShim } from '../helpers/counting-shim.js';
import { startFakeKubeApi, type FakeKubeApi } from '../helpers/fake-kube-api.js';
import { runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// `hotfix status --policy DIR` over a monorepo of 12 services in 3 team namespaces, every one
// deployed from one GitOps repository, production read live by real kubectl from the fake
// API server. Work is proved bounded by counting requests and processes, never by time.
const s: FleetScenario = await buildFleetScenario(tempDir('hotfix-fleet-'), { services: 12, namespaces: 3 });

interface Counted extends CliResult {
  readonly requests: readonly string[];
  readonly git: readonly string[];
  readonly kubectl: readonly string[];
}

/** status against a fake API server holding the fleet's objects (edited per service), with git and kubectl counted. */
async function status(args: readonly string[], edit: Readonly<Record<string, Partial<ClusterSnapshotOptions>>> = {}, dir = s.policiesDir): Promise<Counted> {
  const api: FakeKubeApi = await startFakeKubeApi(s.clusterObjects(edit));
  const git = countingShim('git');
  const kubectl = countingShim('kubectl');
  try {
    const r = await runCliAsync(['status', '--policy', dir, '--repo', `app=${s.appRepo}`, '--repo', `gitops=${s.configRepo}`, '--no-registry', ...args], {
      cwd: s.root,
      env: { ...api.env, HOME: tempDir(), PATH: git.path(kubectl.path()) },
    });
    return { ...r, requests: [...api.requests], git: git.invocations().map((line) => line.replace(/^(-c \S+ )+/, '')), kubectl: kubectl.invocations() };
  } finally {
    await api.close();
  }
}

/** The processes whose command line holds `text`. */
function runningWith(text: string): string[] {
  const cmdline = (pid: string) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return ''; // ended meanwhile
    }
  };
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p) && cmdline(p).includes(text));
}

const lists = (requests: readonly string[], resource: string) => requests.filter((r) => new RegExp(`^GET /(api|apis/apps)/v1/namespaces/[^/]+/${resource}(\\?|$)`).test(r));

test('12 services in 3 namespaces: one kubectl for the context, one list of Deployments and one of Pods per namespace, each repository read once, one table in service then environment order', async () => {
  const r = await status(['--detailed-exitcode']);
  // payments runs a hotfix build main lacks: exit 2, and nothing else needs attention.
  assert.is(r.code, 2, r.stderr + r.stdout);
  assert.equal(r.kubectl.map((line) => line.replace(/=\S+$/, '=…')), ['--context prod proxy --unix-socket=…'], 'one kubectl proxy, the lists made through it');
  // The proxy is gone with its socket's directory once status has exited.
  const socket = r.kubectl[0]!.split('=').pop()!;
  assert.is(existsSync(dirname(socket)), false);
  assert.is(runningWith(socket).length, 0, 'no kubectl proxy left running');
  assert.equal(lists(r.requests, 'deployments').map((q) => q.split('/')[5]).sort(), ['team-a', 'team-b', 'team-c']);
  assert.is(lists(r.requests, 'pods').length, 3);
  assert.is(r.requests.filter((q) => /\/deployments\/[^/?]+/.test(q)).length, 0, 'no get of a single workload');
  // The config repository is grepped and listed once for all 24 environments, each
  // repository checked once and read through one cat-file.
  const count = (prefix: string) => r.git.filter((line) => line.startsWith(prefix)).length;
  assert.is(count('grep'), 1, r.git.join('\n'));
  assert.is(count('ls-tree -r'), 1);
  assert.is(count('rev-parse --is-shallow-repository'), 2, 'the repository check, once per repository');
  assert.is(r.git.filter((line) => line === 'cat-file --batch').length, 1, 'one object reader, in the config repository');
  assert.is(r.git.filter((line) => line.startsWith('for-each-ref') && line.endsWith(' refs/tags')).length, 1, 'the app repository\'s tags listed once for 24 images');

  const lines = r.stdout.trimEnd().split('\n');
  const header = lines[0]!;
  assert.match(header, /^SERVICE +ENV +DECLARED +RUNNING +DRIFT +ROLLOUT +AUTOMATION +HOTFIX$/);
  const rows = lines.slice(1, 25);
  const services = [...s.services].map((x) => x.name).sort();
  assert.equal(rows.filter((l) => !l.startsWith(' ')).map((l) => l.split(/ +/)[0]), services, 'services in name order');
  assert.equal(rows.map((l) => l.slice(header.indexOf('ENV')).split(' ')[0]), services.flatMap(() => ['staging', 'production']), 'environments in the policy\'s order');
  // Aligned: every column starts where its header does.
  for (const column of ['DECLARED', 'DRIFT', 'HOTFIX']) for (const row of rows) assert.is.not(row[header.indexOf(column)], ' ', `${column} of ${row}`);
  const payments = s.services.find((x) => x.name === 'payments')!;
  assert.match(lines.find((l) => l.includes(payments.tags.production))!, /NOT in main/);
  assert.match(lines.at(-1)!, /^24 environments of 12 services: 1 with a hotfix not merged back\.$/);
});

test('--format json: full commit ids, the rollout as numbers, the hotfix by commit', async () => {
  const r = await status(['--format', 'json', '--env', 'production'], { cart: { replicas: 4, available: 1, updated: 2, generation: 3, observedGeneration: 2 } });
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.services.map((x: any) => x.name), [...s.services].map((x) => x.name).sort());
  for (const service of out.services) {
    const [env] = service.environments;
    const fixture = s.services.find((x) => x.name === service.name)!;
    assert.is(service.environments.length, 1);
    assert.is(env.name, 'production');
    assert.match(env.config.head, /^[0-9a-f]{40}$/);
    assert.is(env.declared, `${fixture.image}:${fixture.tags.production}`);
    assert.is(env.hotfix.commit, fixture.commits.production, 'the full id of the commit the tag names');
  }
  const cart = out.services.find((x: any) => x.name === 'cart').environments[0];
  assert.equal(cart.running.rollout, { desired: 4, updated: 2, ready: 1, available: 1, generation: 3, observedGeneration: 2 });
  assert.is(cart.running.healthy, false);
  const payments = out.services.find((x: any) => x.name === 'payments').environments[0];
  assert.is(payments.hotfix.contained, false);
  assert.equal(payments.hotfix.changes.map((c: any) => c.sha), [s.services.find((x) => x.name === 'payments')!.commits.production]);
});

test('what cannot be read is a row with its code, the rest is still shown, and --detailed-exitcode is 1', async () => {
  const dir = tempDir('hotfix-fleet-policies-');
  for (const x of s.services.slice(0, 6)) {
    mkdirSync(join(dir, x.name));
    writeFileSync(join(dir, x.name, 'hotfix.yaml'), readFileSync(join(s.policiesDir, x.name, 'hotfix.yaml'), 'utf8').replace(x.name === 'cart' ? 'branch: main, file: apps/cart/overlays/production' : '\0', 'branch: release, file: apps/cart/overlays/production'));
  }
  mkdirSync(join(dir, 'legacy'));
  writeFileSync(join(dir, 'legacy', 'hotfix.yaml'), 'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\nmetadata:\n  name: legacy\nspec:\n  app:\n    repo: app\n    image: ghcr.io/acme/legacy\n    tagFormat: "main-{sha7}"\n  environments:\n    - name: production\n      config: { repo: gitops, branch: main, file: apps/legacy/kustomization.yaml, locator: { kustomizeImage: ghcr.io/acme/legacy } }\n      clusterr: {}\n');
  // accounts names a context the kubeconfig lacks; search an OpenShift DeploymentConfig, a kind
  // this cluster does not serve; checkout's Deployment is gone from the cluster; catalog drifts.
  const edit = (name: string, from: string, to: string) => writeFileSync(join(dir, name, 'hotfix.yaml'), readFileSync(join(dir, name, 'hotfix.yaml'), 'utf8').replace(from, to));
  edit('accounts', 'context: prod,', 'context: prod-eu,');
  edit('search', 'workload: deployment/search', 'workload: deploymentconfig/search');
  const r = await status(['--env', 'production', '--detailed-exitcode'], { checkout: { workload: 'deployment/checkout-old' }, catalog: { image: 'ghcr.io/acme/catalog:main-0000000' } }, dir);
  assert.is(r.code, 1, r.stderr + r.stdout);
  const line = (start: string) => r.stdout.split('\n').find((l) => l.startsWith(start)) ?? '';
  assert.match(line('cart'), /HF202 branch release does not exist in gitops/);
  assert.match(line('checkout'), /HF206 deployment\/checkout is not in the cluster state \(namespace team-a\)/);
  assert.match(line(join(dir, 'legacy', 'hotfix.yaml')), /^\S+legacy\/hotfix\.yaml:\d+:\d+ +HF1\d\d .*clusterr/, r.stdout);
  assert.match(line('catalog'), /DRIFT/);
  assert.match(line('accounts'), /HF205 kubectl proxy failed: error: context "prod-eu" does not exist/);
  assert.match(line('search'), /HF205 kubectl proxy: GET \/apis\/apps\.openshift\.io\/v1\/namespaces\/team-b\/deploymentconfigs failed: the server could not find the requested resource \(HTTP 404\)/);
  assert.match(line('payments'), /hotfix-\w+ +none +2\/2 available/, 'the Deployments of search\'s namespace are read all the same');
  assert.equal(r.stdout.split('\n').filter((l) => / HF\d{3} /.test(l)).length, 5, 'one line each');
  assert.is(r.stderr, '');
});

test('--env naming no environment of the fleet, and a directory without a policy, are refused', async () => {
  const r = await status(['--env', 'prod']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /HF302/);
  assert.match(r.stderr, /did you mean "production"/);
  const empty = await status([], {}, join(s.configRepo, 'apps'));
  assert.is(empty.code, 1);
  assert.match(empty.stderr, /none of the 48 YAML files there is a policy +\[HF237\]/);
  assert.is(empty.kubectl.length, 0);
});

test('--cluster-state of `kubectl get deployments,pods -A -o json`: each workload is looked for in its own namespace, the file read once', async () => {
  const checkout = s.services.find((x) => x.name === 'checkout')!;
  // Another team's Deployment of the same name, running another tag, in the same file.
  const imposter = s.clusterObjects({ checkout: { namespace: 'team-z', image: `${checkout.image}:main-0000000` } }).filter((o) => o.metadata.namespace === 'team-z');
  const file = join(tempDir('hotfix-fleet-state-'), 'all-namespaces.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [...imposter, ...s.clusterObjects()] }));
  const r = await status(['--cluster-state', file, '--env', 'production', '--format', 'json', '--detailed-exitcode']);
  assert.is(r.code, 2, r.stderr);
  assert.is(r.kubectl.length, 0);
  const env = JSON.parse(r.stdout).services.find((x: any) => x.name === 'checkout').environments[0];
  assert.is(env.running.image, `${checkout.image}:${checkout.tags.production}`);
  assert.is(env.running.source, 'file');
  assert.is(env.drift, false);
});

test.run();
