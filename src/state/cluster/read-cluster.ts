import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import type { ClusterRef } from '../../policy/types.js';
import type { ClusterState } from '../types.js';

type K8sObject = { kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; generation?: number }; spec?: any; status?: any; items?: K8sObject[] };

const KUBECTL_TIMEOUT_MS = 15_000;

/** The running image and rollout health, from a `kubectl get … -o json` file. */
export async function readClusterFile(file: string, ref: ClusterRef): Promise<ClusterState> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw unreadable(`cannot read --cluster-state ${file}: ${e.code ?? e.message}`);
  });
  return clusterStateFrom(parseJson(text, `--cluster-state ${file}`), ref, 'file');
}

/** The same, live through kubectl with the policy's context and namespace. */
export async function readClusterLive(ref: ClusterRef, kubectl = 'kubectl'): Promise<ClusterState> {
  const base = [...(ref.context ? ['--context', ref.context] : []), '--namespace', ref.namespace, '--request-timeout', '10s'];
  const workload = parseJson(await run(kubectl, [...base, 'get', ref.workload, '-o', 'json'], `get ${ref.workload}`), 'kubectl output') as K8sObject;
  const selector = Object.entries(workload.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(',');
  const pods = selector ? (parseJson(await run(kubectl, [...base, 'get', 'pods', '-l', selector, '-o', 'json'], `get pods -l ${selector}`), 'kubectl output') as K8sObject) : { items: [] };
  return clusterStateFrom({ kind: 'List', items: [workload, ...(pods.items ?? [])] }, ref, 'kubectl');
}

/** Pure: picks the workload and its pods out of kubectl JSON (one object or a List). */
export function clusterStateFrom(json: unknown, ref: ClusterRef, source: ClusterState['source']): ClusterState {
  const root = json as K8sObject;
  const objects: K8sObject[] = Array.isArray(root?.items) ? root.items : [root];
  const [kind, name] = ref.workload.split('/') as [string, string];
  const workload = objects.find((o) => o?.kind?.toLowerCase() === kind && o.metadata?.name === name);
  if (!workload) throw new HotfixError([diagnostic('HF206', `${ref.workload} is not in the cluster state (namespace ${ref.namespace})`)]);
  const containers: Array<{ name?: string; image?: string }> = workload.spec?.template?.spec?.containers ?? [];
  const container = containers.find((c) => c.name === ref.container);
  if (!container?.image) throw new HotfixError([diagnostic('HF206', `${ref.workload} has no container "${ref.container}" (it has ${containers.map((c) => c.name).join(', ') || 'none'})`)]);

  const labels: Record<string, string> = workload.spec?.selector?.matchLabels ?? {};
  const pods = objects.filter((o) => o?.kind === 'Pod' && Object.entries(labels).every(([k, v]) => o.metadata?.labels?.[k] === v));
  const imageIds = new Set(
    pods.flatMap((p) => ((p.status?.containerStatuses ?? []) as Array<{ name?: string; imageID?: string }>).filter((s) => s.name === ref.container).map((s) => /@(sha256:[a-f0-9]{64})$/.exec(s.imageID ?? '')?.[1]).filter((d): d is string => Boolean(d))),
  );
  const status = workload.status ?? {};
  return {
    source,
    workload: ref.workload,
    container: ref.container,
    image: container.image,
    // Pods mid-rollout may run two digests; only a single one is a fact.
    ...(imageIds.size === 1 ? { digest: [...imageIds][0]! } : {}),
    health: {
      generation: workload.metadata?.generation,
      observedGeneration: status.observedGeneration,
      replicas: status.replicas ?? workload.spec?.replicas,
      updated: status.updatedReplicas,
      ready: status.readyReplicas,
      available: status.availableReplicas,
    },
  };
}

function run(command: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: KUBECTL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const why = (error as { killed?: boolean }).killed ? `timed out after ${KUBECTL_TIMEOUT_MS / 1000}s` : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'kubectl is not installed' : stderr.trim().split('\n').pop() || error.message;
      reject(unreadable(`kubectl ${what} failed: ${why}`));
    });
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw unreadable(`${what} is not JSON (expected the output of kubectl get … -o json)`);
  }
}

function unreadable(message: string): HotfixError {
  return new HotfixError([diagnostic('HF205', message)]);
}
