import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { ClusterState, RollbackState } from '../../state/types.js';

/** Drift between what the config declares and what runs, and rollout health. Pure. */
export function driftAndHealth(state: RollbackState, declared: string, allowDrift: boolean): Diagnostic[] {
  const cluster = state.cluster;
  if (!cluster) return [];
  const out: Diagnostic[] = [];
  const running = parseImageRef(cluster.image);
  const wanted = parseImageRef(declared);
  const drift = running.name !== wanted.name || running.tag !== wanted.tag || (wanted.digest !== undefined && cluster.digest !== undefined && wanted.digest !== cluster.digest);
  if (drift && !allowDrift)
    out.push(diagnostic('HF303', `${cluster.workload} runs ${cluster.image} but ${state.config.path} declares ${declared}; pass --allow-drift to plan anyway`));
  const h = cluster.health;
  const unfinished = (h.observedGeneration ?? 0) < (h.generation ?? 0) || (h.updated ?? 0) < (h.replicas ?? 0) || (h.available ?? 0) < (h.replicas ?? 0);
  if (unfinished) out.push(diagnostic('HF311', `rollout of ${cluster.workload} is not complete: ${describeHealth(cluster)}`));
  return out;
}

export function describeHealth(cluster: ClusterState): string {
  const h = cluster.health;
  const generation = h.generation !== undefined ? `, generation ${h.observedGeneration ?? '?'}/${h.generation} observed` : '';
  return `${h.available ?? 0}/${h.replicas ?? 0} available, ${h.updated ?? 0} updated${generation}`;
}
