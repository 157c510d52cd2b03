import type { Policy } from '../policy/types.js';
import type { ClusterState } from '../state/types.js';
import { describeHealth } from './rollback/cluster-checks.js';
import { PLAN_FORMAT_VERSION, type DeployedSummary, type Override, type PlanBody, type PlanContext, type PlanRequest, type Precondition } from './types.js';

/**
 * What every plan says about itself: format, the rules it lifts (first, so the JSON shows
 * them before anything else), tool, the approvals `apply --pr` requires of a plan of `kind`,
 * time, policy, bindings. Pure.
 */
export function planFrame(policy: Policy, context: PlanContext, overrides: readonly Override[] = [], kind?: PlanRequest['kind']): Pick<PlanBody, 'formatVersion' | 'overrides' | 'tool' | 'approvals' | 'createdAt' | 'policy' | 'repos'> {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    ...(overrides.length > 0 ? { overrides } : {}),
    tool: { name: 'hotfix', version: context.toolVersion },
    ...(kind ? { approvals: requiredApprovals(policy, kind) } : {}),
    createdAt: context.now,
    policy: { name: policy.metadata.name, file: context.policyFile },
    repos: context.repos,
  };
}

/** The schema's default (1) where the policy has no section for the kind. */
export function requiredApprovals(policy: Policy, kind: PlanRequest['kind']): number {
  return (kind === 'rollback' ? policy.spec.rollback?.approvals : policy.spec.hotfix?.approvals) ?? 1;
}

/** The facts every plan relies on besides its refs and files: the running image, the policy, the tool. */
export function closingPreconditions(environment: string, cluster: ClusterState | undefined, context: PlanContext): Precondition[] {
  return [
    ...(cluster ? [{ kind: 'running-image' as const, environment, image: cluster.image, ...(cluster.digest ? { digest: cluster.digest } : {}) }] : []),
    { kind: 'policy', file: context.policyFile, sha256: context.policyHash },
    { kind: 'tool', version: context.toolVersion },
  ];
}

/** The `cluster` part of a plan's header, when the cluster was read. */
export function clusterSummary(cluster: ClusterState | undefined): Pick<DeployedSummary, 'cluster'> {
  return cluster ? { cluster: { image: cluster.image, ...(cluster.digest ? { digest: cluster.digest } : {}), source: cluster.source, health: describeHealth(cluster) } } : {};
}
