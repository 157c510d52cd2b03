import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { fsErrorWords } from '../../diagnostics/fs-error-words.js';
import type { ClusterRef } from '../../policy/types.js';
import { startFailure } from '../start-failure.js';
import type { ClusterState } from '../types.js';
import { programOnPath } from '../program-path.js';

/**
 * Bounds each kubectl run as a whole (its own --request-timeout covers only API requests,
 * not an auth plugin or a wrapper that hangs); HOTFIX_KUBECTL_TIMEOUT_MS overrides it.
 */
export function kubectlTimeoutMs(): number {
  const given = Number(process.env.HOTFIX_KUBECTL_TIMEOUT_MS);
  return Number.isInteger(given) && given > 0 ? given : 15_000;
}

/** As much as kubectl's output is let fill (maxBuffer below). */
export const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Where the cluster is read from: a saved kubectl output, kubectl itself, or not at all. */
export type ClusterSource = { readonly file: string } | 'live' | 'none';

/** The running image of an environment's workload, read as the command line asked. */
export async function readClusterFor(ref: ClusterRef | undefined, source: ClusterSource): Promise<ClusterState | undefined> {
  if (source === 'none' || !ref) return undefined;
  return source === 'live' ? readClusterLive(ref) : readClusterFile(source.file, ref);
}

/** The running image and rollout health, from a `kubectl get … -o json` file. */
export async function readClusterFile(file: string, ref: ClusterRef): Promise<ClusterState> {
  return clusterStateFrom(await readClusterJson(file), ref, 'file');
}

/** A `kubectl get … -o json` file, parsed; what it holds is checked where it is used. */
export async function readClusterJson(file: string): Promise<unknown> {
  const cannot = (why: string) => unreadable(`cannot read --cluster-state ${file}: ${why}`);
  // A FIFO would block the read forever and a device never end: only a regular file is read.
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    throw cannot(fsErrorWords(e));
  });
  if (!info.isFile()) throw cannot('not a regular file');
  if (info.size > MAX_OUTPUT_BYTES) throw cannot(`it is ${info.size} bytes, more than kubectl output of one workload`);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw cannot(fsErrorWords(e));
  });
  return parseJson(text, `--cluster-state ${file}`);
}

/** The same, live through kubectl with the policy's context and namespace. */
export async function readClusterLive(ref: ClusterRef, kubectl = 'kubectl'): Promise<ClusterState> {
  const workload = await kubectlGet(ref, [ref.workload], kubectl);
  const selector = Object.entries(selectorOf(isObject(workload) ? workload : {})).map(([k, v]) => `${k}=${v}`).join(',');
  const pods = selector ? await kubectlGet(ref, ['pods', '-l', selector], kubectl) : undefined;
  return clusterStateFrom({ kind: 'List', items: [workload, ...list(field(pods, 'items'))] }, ref, 'kubectl');
}

/** `kubectl get WHAT -o json` in the context and namespace of `ref`, parsed. */
export async function kubectlGet(ref: Pick<ClusterRef, 'context' | 'namespace'>, what: readonly string[], kubectl = 'kubectl'): Promise<unknown> {
  const base = [...(ref.context ? ['--context', ref.context] : []), '--namespace', ref.namespace, '--request-timeout', '10s'];
  return parseJson(await run(kubectl, [...base, 'get', ...what, '-o', 'json'], `get ${what.join(' ')}`), 'kubectl output');
}

/** Pure: picks the workload and its pods out of kubectl JSON (one object or a List). */
export function clusterStateFrom(json: unknown, ref: ClusterRef, source: ClusterState['source']): ClusterState {
  // The file or kubectl may hold anything: every field is read for the type it must have.
  if (!isObject(json) || (Object.hasOwn(json, 'items') && !Array.isArray(json.items)))
    throw unreadable(`the ${source === 'file' ? '--cluster-state file' : 'kubectl output'} is not kubectl JSON: expected one object, or a List whose items are objects`);
  const objects = Array.isArray(json.items) ? json.items.filter(isObject) : [json];
  const [kind, name] = ref.workload.split('/') as [string, string];
  const workload = objects.find((o) => text(o.kind)?.toLowerCase() === kind && text(field(o, 'metadata', 'name')) === name);
  if (!workload) throw new HotfixError([diagnostic('HF206', `${ref.workload} is not in the cluster state (namespace ${ref.namespace})`)]);
  const containers = list(field(workload, 'spec', 'template', 'spec', 'containers')).filter(isObject);
  const container = containers.find((c) => c.name === ref.container);
  if (!container) throw new HotfixError([diagnostic('HF206', `${ref.workload} has no container "${ref.container}" (it has ${containers.map((c) => text(c.name)).filter(Boolean).join(', ') || 'none'})`)]);
  const image = text(container.image);
  if (!image) throw unreadable(`${ref.workload}'s container "${ref.container}" has ${container.image === '' ? 'an empty image' : container.image === undefined ? 'no image' : `an image that is ${kindOf(container.image)}, not a string`}: not what kubectl prints`);

  const labels = selectorOf(workload);
  const pods = objects.filter((o) => o.kind === 'Pod' && Object.entries(labels).every(([k, v]) => field(o, 'metadata', 'labels', k) === v));
  const imageIds = new Set(
    pods.flatMap((p) =>
      list(field(p, 'status', 'containerStatuses'))
        .filter(isObject)
        .filter((s) => s.name === ref.container)
        .map((s) => /@(sha256:[a-f0-9]{64})$/.exec(text(s.imageID) ?? '')?.[1])
        .filter((d): d is string => Boolean(d)),
    ),
  );
  const status = (key: string) => count(field(workload, 'status', key));
  return {
    source,
    workload: ref.workload,
    container: ref.container,
    image,
    // Pods mid-rollout may run two digests; only a single one is a fact.
    ...(imageIds.size === 1 ? { digest: [...imageIds][0]! } : {}),
    health: {
      generation: count(field(workload, 'metadata', 'generation')),
      observedGeneration: status('observedGeneration'),
      replicas: status('replicas') ?? count(field(workload, 'spec', 'replicas')),
      updated: status('updatedReplicas'),
      ready: status('readyReplicas'),
      available: status('availableReplicas'),
    },
  };
}

/** The workload's `spec.selector.matchLabels`, string values only. */
function selectorOf(workload: Json): Record<string, string> {
  const labels = field(workload, 'spec', 'selector', 'matchLabels');
  return isObject(labels) ? Object.fromEntries(Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a path of own properties, or undefined where the path is not there. */
function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = isObject(at) && Object.hasOwn(at, key) ? at[key] : undefined;
  return at;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** What a JSON value is, for a message: "a number", "null", "a list". */
function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function count(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

function run(command: string, args: string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timeout = kubectlTimeoutMs();
    execFile(programOnPath(command), args, { timeout, maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).syscall?.startsWith('spawn')) return reject(startFailure(error, command, { purpose: 'read the cluster; or give --cluster-state FILE' }));
      const why = (error as { killed?: boolean }).killed ? `timed out after ${timeout / 1000}s` : stderr.trim().split('\n').pop() || error.message;
      reject(unreadable(`kubectl ${what} failed: ${why}`));
    });
  });
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw unreadable(`${what} is not JSON (expected the output of kubectl get … -o json)`);
  }
}

export function unreadable(message: string): HotfixError {
  return new HotfixError([diagnostic('HF205', message)]);
}
