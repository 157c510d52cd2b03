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

/** The API paths that hold a workload and its pods: the list of its kind in its namespace, and the namespace's pods (their digests). */
export function listPaths(ref: ClusterRef): { readonly workloads?: string; readonly pods: string } {
  const ns = `/namespaces/${encodeURIComponent(ref.namespace)}`;
  const api = API[ref.workload.split('/')[0]!.toLowerCase()];
  // The schema names the kinds there are; another would only be a workload not found (HF206).
  return { ...(api ? { workloads: `${api.prefix}${ns}/${api.plural}` } : {}), pods: `/api/v1${ns}/pods` };
}

/**
 * Reads the workloads of many environments as few times as their places allow: live, one
 * `kubectl proxy` per context and, through it, one list of each workload kind and one of
 * pods per namespace, at most four lists at once, instead of a kubectl get of each workload
 * and its pods; from a file, the file once. A list is asked for when a workload first needs
 * it, and every workload there is picked out of what it holds (clusterStateFrom). A list
 * that fails (a kind the cluster does not serve, a namespace the user may not list) fails
 * the workloads it covers, each with the same why, and no others.
 */
export function namespaceReads(source: ClusterSource, kubectl = 'kubectl'): WorkloadReader {
  if (source === 'none') return { read: async () => undefined, close: async () => undefined };
  if (source !== 'live') {
    let file: Promise<unknown> | undefined;
    return { read: async (ref) => (ref ? clusterStateFrom(inNamespace(await (file ??= readClusterJson(source.file)), ref.namespace), ref, 'file') : undefined), close: async () => undefined };
  }
  const bounded = boundedWork(LISTS_AT_ONCE);
  const proxies = new Map<string, Promise<KubectlProxy>>();
  const lists = new Map<string, Promise<unknown[]>>();
  const proxyFor = (context: string | undefined) => remembered(proxies, context ?? '', () => KubectlProxy.start(context, kubectl));
  const list = (context: string | undefined, path: string) =>
    remembered(lists, `${context ?? ''}\0${path}`, async () => {
      const proxy = await proxyFor(context);
      return itemsWithKind(await bounded(() => proxy.get(path, `GET ${path}`)));
    });
  return {
    read: async (ref) => {
      if (!ref) return undefined;
      const { workloads, pods } = listPaths(ref);
      const items = await Promise.all([...(workloads ? [list(ref.context, workloads)] : []), list(ref.context, pods)]);
      return clusterStateFrom({ kind: 'List', items: items.flat() }, ref, 'kubectl');
    },
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
