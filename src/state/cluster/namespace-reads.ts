import type { ClusterRef } from '../../policy/types.js';
import { boundedWork } from '../bounded-work.js';
import { remembered } from '../remembered.js';
import type { ClusterState } from '../types.js';
import { KubectlProxy } from './kubectl-proxy.js';
import { clusterStateFrom, readClusterJson, type ClusterSource } from './read-cluster.js';

/** The running image of one workload, or undefined where the cluster is not read. */
export interface WorkloadReader {
  read(ref: ClusterRef | undefined): Promise<ClusterState | undefined>;
  /** Ends what reading started (the kubectl proxies). */
  close(): Promise<void>;
}

/** Lists asked of the API server at once: enough to overlap its answers, few enough not to crowd it. */
const LISTS_AT_ONCE = 4;

/** Where the API serves each workload kind a policy may name (group/version, plural). */
const API: Readonly<Record<string, { readonly prefix: string; readonly plural: string }>> = {
  deployment: { prefix: '/apis/apps/v1', plural: 'deployments' },
  statefulset: { prefix: '/apis/apps/v1', plural: 'statefulsets' },
  daemonset: { prefix: '/apis/apps/v1', plural: 'daemonsets' },
  deploymentconfig: { prefix: '/apis/apps.openshift.io/v1', plural: 'deploymentconfigs' },
};

/** What one (context, namespace) is read by: a list of each workload kind named there, and of the pods (their digests), last. */
export interface NamespaceList {
  readonly context?: string;
  readonly namespace: string;
  /** API paths to GET. */
  readonly paths: readonly string[];
}

/** Pure: the lists that cover `refs`, one set per (context, namespace), in the order first named. */
export function namespaceLists(refs: readonly ClusterRef[]): NamespaceList[] {
  const lists = new Map<string, { context?: string; namespace: string; kinds: Set<string> }>();
  for (const ref of refs) {
    const key = namespaceKey(ref);
    const list = lists.get(key) ?? { ...(ref.context ? { context: ref.context } : {}), namespace: ref.namespace, kinds: new Set<string>() };
    list.kinds.add(ref.workload.split('/')[0]!.toLowerCase());
    lists.set(key, list);
  }
  return [...lists.values()].map(({ kinds, ...where }) => {
    const ns = `/namespaces/${encodeURIComponent(where.namespace)}`;
    // The schema names the kinds there are; another would only be a workload not found (HF206).
    const paths = [...kinds].sort().flatMap((kind) => (API[kind] ? [`${API[kind].prefix}${ns}/${API[kind].plural}`] : []));
    return { ...where, paths: [...paths, `/api/v1${ns}/pods`] };
  });
}

/**
 * Reads the workloads of many environments as few times as their places allow: live, one
 * `kubectl proxy` per context and, through it, one list of each workload kind and one of
 * pods per namespace, at most four lists at once, instead of a kubectl get of each workload
 * and its pods; from a file, the file once. A namespace is read when a workload in it first
 * is, and every workload there is picked out of what it holds (clusterStateFrom). A read
 * that fails fails every workload it covers, each with the same why.
 */
export function namespaceReads(refs: readonly ClusterRef[], source: ClusterSource, kubectl = 'kubectl'): WorkloadReader {
  if (source === 'none') return { read: async () => undefined, close: async () => undefined };
  if (source !== 'live') {
    let file: Promise<unknown> | undefined;
    return { read: async (ref) => (ref ? clusterStateFrom(inNamespace(await (file ??= readClusterJson(source.file)), ref.namespace), ref, 'file') : undefined), close: async () => undefined };
  }
  const bounded = boundedWork(LISTS_AT_ONCE);
  const lists = new Map(namespaceLists(refs).map((list) => [namespaceKey(list), list]));
  const proxies = new Map<string, Promise<KubectlProxy>>();
  const read = new Map<string, Promise<unknown>>();
  const proxyFor = (context: string | undefined) => remembered(proxies, context ?? '', () => KubectlProxy.start(context, kubectl));
  const listOf = (ref: ClusterRef) =>
    remembered(read, namespaceKey(ref), async () => {
      const list = lists.get(namespaceKey(ref)) ?? namespaceLists([ref])[0]!;
      const proxy = await proxyFor(ref.context);
      const answers = await Promise.all(list.paths.map((path) => bounded(() => proxy.get(path, `GET ${path}`))));
      return { kind: 'List', items: answers.flatMap(itemsWithKind) };
    });
  return {
    read: async (ref) => (ref ? clusterStateFrom(await listOf(ref), ref, 'kubectl') : undefined),
    close: async () => {
      const started = await Promise.allSettled(proxies.values());
      await Promise.all(started.map((p) => (p.status === 'fulfilled' ? p.value.close() : undefined)));
    },
  };
}

/** The API server leaves `kind` out of a list's items (`kubectl get` puts it back): each gets its list's, DeploymentList's Deployment. */
function itemsWithKind(list: unknown): unknown[] {
  const { kind, items } = (typeof list === 'object' && list !== null ? list : {}) as { kind?: unknown; items?: unknown };
  if (!Array.isArray(items)) return [];
  const itemKind = typeof kind === 'string' ? kind.replace(/List$/, '') : undefined;
  return items.map((item) => (typeof item === 'object' && item !== null && !Array.isArray(item) && itemKind !== undefined ? { kind: itemKind, ...item } : item));
}

function namespaceKey(ref: Pick<ClusterRef, 'context' | 'namespace'>): string {
  return `${ref.context ?? ''}\0${ref.namespace}`;
}

/**
 * A file of `kubectl get … -A -o json` holds every namespace's objects: a workload is looked
 * for among its namespace's only (objects that say no namespace are kept, as a one-workload
 * file may be trimmed by hand). What is not a List is left for clusterStateFrom to judge.
 */
function inNamespace(json: unknown, namespace: string): unknown {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { items?: unknown }).items)) return json;
  const items = (json as { items: unknown[] }).items.filter((item) => {
    const ns = typeof item === 'object' && item !== null ? (item as { metadata?: { namespace?: unknown } }).metadata?.namespace : undefined;
    return typeof ns !== 'string' || ns === namespace;
  });
  return { ...json, items };
}
