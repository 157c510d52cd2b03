import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './temp-dir.js';

/**
 * A loopback Kubernetes API server holding fixed objects, enough for real kubectl to `get`
 * a Deployment by name and list Pods by label, so the cluster adapter is tested against
 * the kubectl users have rather than a stub of it.
 *
 * It serves legacy discovery only. kubectl 1.26+ asks for aggregated discovery through the
 * Accept header (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,…,
 * application/json`); a plain `application/json` answer makes it fall back to reading
 * `/api/v1` and `/apis/GROUP/VERSION`, as it does with an older server.
 */

export interface FakeKubeApi {
  readonly url: string;
  /** A kubeconfig whose context `prod` points at this server, without credentials. */
  readonly kubeconfig: string;
  /**
   * Environment for kubectl: KUBECONFIG, and KUBECACHEDIR so discovery is cached in a temp
   * dir rather than in ~/.kube/cache (kubectl older than 1.27 needs `--cache-dir` for that).
   */
  readonly env: Readonly<Record<string, string>>;
  /** `METHOD /path?query` of every request, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

interface Resource {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly name: string;
  readonly singularName: string;
  readonly kind: string;
  readonly shortNames: readonly string[];
  readonly namespaced: boolean;
}

/** What the fake serves; another kind is one line here (and objects of that kind). */
const RESOURCES: readonly Resource[] = [
  { group: '', version: 'v1', name: 'namespaces', singularName: 'namespace', kind: 'Namespace', shortNames: ['ns'], namespaced: false },
  { group: '', version: 'v1', name: 'pods', singularName: 'pod', kind: 'Pod', shortNames: ['po'], namespaced: true },
  { group: 'apps', version: 'v1', name: 'deployments', singularName: 'deployment', kind: 'Deployment', shortNames: ['deploy'], namespaced: true },
];

interface StoredObject {
  readonly kind?: unknown;
  readonly metadata?: { readonly name?: unknown; readonly namespace?: unknown; readonly labels?: Readonly<Record<string, unknown>> };
}

/** `objects` are served as given; the Namespaces they are in are made up unless given too. */
export async function startFakeKubeApi(objects: readonly unknown[]): Promise<FakeKubeApi> {
  requireKubectl();
  const stored = withNamespaces(objects as readonly StoredObject[]);
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const url = new URL(request.url ?? '/', 'http://fake');
    if (request.method !== 'GET') return sendStatus(response, 405, 'MethodNotAllowed', `the fake Kubernetes API only serves GET, not ${request.method}`);
    const answer = discovery(url.pathname) ?? resourceRequest(stored, url, response);
    if (answer !== undefined) send(response, 200, answer);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = tempDir('hotfix-kube-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: url } }],
      users: [{ name: 'fake', user: {} }],
      contexts: [{ name: 'prod', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'prod',
    }),
  );
  return {
    url,
    kubeconfig,
    env: { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') },
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/**
 * The kubectl tests need kubectl, and a skipped test would pass unseen, so its absence is
 * an error that says how to install it. On Debian, `kubectl` comes from Kubernetes' own
 * apt repository; Debian's archive has it as `apt-get install -y kubernetes-client` (1.20).
 */
export function requireKubectl(): void {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
  } catch (error) {
    throw new Error(`kubectl is needed by this test and was not found or did not run (${String(error)}). Install it: apt-get install -y kubernetes-client`);
  }
}

function discovery(path: string): unknown {
  const groups = [...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => `${r.group}/${r.version}`))];
  if (path === '/version')
    return { major: '1', minor: '32', gitVersion: 'v1.32.0-fake', gitCommit: 'fake', gitTreeState: 'clean', buildDate: '2021-01-01T00:00:00Z', goVersion: 'go1.23.0', compiler: 'gc', platform: 'linux/amd64' };
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
  if (path === '/apis')
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map((groupVersion) => {
        const [name, version] = groupVersion.split('/');
        return { name, versions: [{ groupVersion, version }], preferredVersion: { groupVersion, version } };
      }),
    };
  const groupVersion = path === '/api/v1' ? 'v1' : path.startsWith('/apis/') ? path.slice('/apis/'.length) : undefined;
  if (groupVersion === undefined || (groupVersion !== 'v1' && !groups.includes(groupVersion))) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: RESOURCES.filter((r) => apiVersionOf(r) === groupVersion).map((r) => ({
      name: r.name,
      singularName: r.singularName,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: ['get', 'list'],
      shortNames: r.shortNames,
      categories: ['all'],
    })),
  };
}

/** GET one object or a list; answers errors itself and then returns undefined. */
function resourceRequest(objects: readonly StoredObject[], url: URL, response: ServerResponse): unknown {
  const match = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
  const resource = match && RESOURCES.find((r) => apiVersionOf(r) === (match[1] ?? match[2]) && r.name === match[4]);
  const namespace = match?.[3];
  if (!match || !resource || (namespace !== undefined && !resource.namespaced))
    return sendStatus(response, 404, 'NotFound', 'the server could not find the requested resource');
  // Without a namespace, a namespaced resource is listed across all of them (`kubectl get -A`).
  const candidates = objects.filter((o) => o.kind === resource.kind && (namespace === undefined || o.metadata?.namespace === namespace));
  const name = match[5];
  if (name !== undefined) {
    const found = candidates.find((o) => o.metadata?.name === name);
    if (found) return found;
    const qualified = resource.group === '' ? resource.name : `${resource.name}.${resource.group}`;
    return sendStatus(response, 404, 'NotFound', `${qualified} "${name}" not found`, { name, group: resource.group, kind: resource.name });
  }
  const selector = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
  if (selector === undefined) return sendStatus(response, 400, 'BadRequest', `the fake Kubernetes API takes only k=v label selectors, not ${url.searchParams.get('labelSelector')}`);
  const items = candidates.filter((o) => [...selector].every(([key, value]) => o.metadata?.labels?.[key] === value));
  return { apiVersion: apiVersionOf(resource), kind: `${resource.kind}List`, metadata: { resourceVersion: '1' }, items };
}

/** kubectl asks for the namespace when a get finds nothing, to say which of the two is missing. */
function withNamespaces(objects: readonly StoredObject[]): StoredObject[] {
  const given = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name));
  const implied = new Set(objects.map((o) => o.metadata?.namespace).filter((ns): ns is string => typeof ns === 'string' && !given.has(ns)));
  const namespaces = [...implied].map((name) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  }));
  return [...objects, ...namespaces];
}

/** `a=b,c==d` as pairs; undefined for what the fake does not understand (`!=`, `in`, `!a`…). */
function parseLabelSelector(selector: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  for (const term of selector.split(',').filter((t) => t !== '')) {
    const match = /^([^=!\s]+)==?([^=!\s]*)$/.exec(term.trim());
    if (!match) return undefined;
    pairs.set(match[1] ?? '', match[2] ?? '');
  }
  return pairs;
}

function apiVersionOf(resource: Resource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

function send(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** A Status object, as the API server sends with every error; kubectl prints its message. */
function sendStatus(response: ServerResponse, code: number, reason: string, message: string, details?: object): undefined {
  send(response, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
  return undefined;
}
