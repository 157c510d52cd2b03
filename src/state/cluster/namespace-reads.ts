import type { ClusterRef } from '../../policy/types.js';
import { boundedWork } from '../bounded-work.js';
import type { ClusterState } from '../types.js';
import { clusterStateFrom, kubectlGet, readClusterJson, type ClusterSource } from './read-cluster.js';

/** The running image of one workload, or undefined where the cluster is not read. */
export type WorkloadReader = (ref: ClusterRef | undefined) => Promise<ClusterState | undefined>;

/** kubectl runs at once at most: each is a process of its own, and its requests wait on the API server. */
const KUBECTL_AT_ONCE = 4;

/** The resource kubectl lists for each workload kind a policy may name, qualified by group so no CRD of the same plural is taken for it. */
const RESOURCES: Readonly<Record<string, string>> = {
  deployment: 'deployments.apps',
  statefulset: 'statefulsets.apps',
  daemonset: 'daemonsets.apps',
  deploymentconfig: 'deploymentconfigs.apps.openshift.io',
};

/** One kubectl per context and namespace: what it lists, for the workloads named there. */
export interface NamespaceList {
  readonly context?: string;
  readonly namespace: string;
  /** `kubectl get` resources, the pods last (their digests). */
  readonly resources: readonly string[];
}

/** Pure: the lists that cover `refs`, one per (context, namespace), in the order first named. */
export function namespaceLists(refs: readonly ClusterRef[]): NamespaceList[] {
  const lists = new Map<string, { context?: string; namespace: string; kinds: Set<string> }>();
  for (const ref of refs) {
    const key = namespaceKey(ref);
    const list = lists.get(key) ?? { ...(ref.context ? { context: ref.context } : {}), namespace: ref.namespace, kinds: new Set<string>() };
    list.kinds.add(RESOURCES[ref.workload.split('/')[0]!.toLowerCase()] ?? ref.workload.split('/')[0]!);
    lists.set(key, list);
  }
  return [...lists.values()].map(({ kinds, ...where }) => ({ ...where, resources: [...[...kinds].sort(), 'pods'] }));
}

/**
 * Reads the workloads of many environments as few times as their places allow: live, one
 * `kubectl get deployments.apps,…,pods` per (context, namespace), at most four at once,
 * instead of a get of each workload and its pods; from a file, the file once. Each list is
 * asked for when a workload in it first is, and every workload there is picked out of it
 * (clusterStateFrom). A list that fails fails every workload in it, each with the same why.
 */
export function namespaceReads(refs: readonly ClusterRef[], source: ClusterSource, kubectl = 'kubectl'): WorkloadReader {
  if (source === 'none') return async () => undefined;
  const bounded = boundedWork(KUBECTL_AT_ONCE);
  const lists = new Map(namespaceLists(refs).map((list) => [namespaceKey(list), list]));
  const read = new Map<string, Promise<unknown>>();
  let file: Promise<unknown> | undefined;
  const listOf = (ref: ClusterRef): Promise<unknown> => {
    if (source !== 'live') return (file ??= readClusterJson(source.file)).then((json) => inNamespace(json, ref.namespace));
    const key = namespaceKey(ref);
    let answer = read.get(key);
    const list = lists.get(key) ?? namespaceLists([ref])[0]!;
    if (!answer) read.set(key, (answer = bounded(() => kubectlGet(list, [list.resources.join(',')], kubectl))));
    return answer;
  };
  return async (ref) => (ref ? clusterStateFrom(await listOf(ref), ref, source === 'live' ? 'kubectl' : 'file') : undefined);
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
