import type { DiagnosticCode } from '../diagnostics/codes.js';
import { parseImageRef } from '../patch/image-ref.js';
import { commitIn, matchTemplate } from '../policy/template.js';
import type { Environment, Policy } from '../policy/types.js';
import type { EnvironmentFacts } from '../state/gather-status.js';
import type { ClusterState, Deployment } from '../state/types.js';
import { automationFound } from './automation/guard.js';
import type { FoundAutomation } from './automation/engine.js';
import { describeHealth } from './rollback/cluster-checks.js';
import type { HotfixContainment } from './hotfix/hotfix-containment.js';

export interface EnvironmentStatus {
  readonly name: string;
  readonly config: { readonly repo: string; readonly branch: string; readonly file: string; readonly head: string };
  readonly declared: string;
  /** The app commit the declared tag names, when the tag format tells. */
  readonly commit?: { readonly sha: string; readonly source: 'tag' };
  readonly running?: { readonly image: string; readonly digest?: string; readonly source: 'kubectl' | 'file'; readonly health: string; readonly healthy: boolean; readonly rollout: Rollout };
  readonly runningError?: string;
  /** The code of runningError's finding (HF205 unreadable, HF206 no such workload). */
  readonly runningErrorCode?: DiagnosticCode;
  /** null when the cluster was not read. */
  readonly drift: boolean | null;
  /** Every engine found that writes this environment's config or proposes changes to it. */
  readonly automation: readonly FoundAutomation[];
  /** The commit that deployed `declared` (one policy's status; a fleet's leaves it out), or why it is not known. */
  readonly deployed?: DeployedStatus | { readonly unknown: string };
  /** The hotfix changes it runs and whether the mainline and each merge-back branch hold them (with the app repository bound). */
  readonly hotfix?: HotfixContainment;
}

/** When and by what commit the declared value reached the config branch. */
export interface DeployedStatus {
  /** The commit that set the value (inside a merged pull request, its commit). */
  readonly commit: string;
  readonly subject: string;
  /** When it was deployed: the merge's date where a merge brought it in (what rollback.maxAge measures), else the commit's. */
  readonly date: string;
  /** The merge on the branch's first-parent line that brought the commit in, when that is another commit. */
  readonly landed?: { readonly commit: string; readonly subject: string };
  /** Commits it says it rolls back (`This reverts commit …`): the environment runs a rollback. */
  readonly rollsBack?: readonly string[];
}

/** The workload's rollout as numbers, for machines: what `health` says in words. */
export interface Rollout {
  readonly desired?: number;
  readonly updated?: number;
  readonly ready?: number;
  readonly available?: number;
  readonly generation?: number;
  readonly observedGeneration?: number;
}

/**
 * What `status --detailed-exitcode` answers, as `terraform plan -detailed-exitcode` does:
 * `unreadable` when the cluster was asked and could not be read, `attention` when an
 * environment drifts from its config, rolls out unhealthy, or runs a hotfix change the
 * mainline or a merge-back branch lacks, else `ok`.
 */
export function statusVerdict(statuses: readonly EnvironmentStatus[]): 'ok' | 'attention' | 'unreadable' {
  if (statuses.some((s) => s.runningError !== undefined)) return 'unreadable';
  return statuses.some((s) => attentionOf(s).length > 0) ? 'attention' : 'ok';
}

/** What in one environment asks for a person's attention; empty when nothing does. */
export function attentionOf(s: EnvironmentStatus): Array<'drift' | 'unhealthy' | 'hotfix not merged back'> {
  return [
    ...(s.drift === true ? (['drift'] as const) : []),
    ...(s.running?.healthy === false ? (['unhealthy'] as const) : []),
    ...(s.hotfix !== undefined && s.hotfix.changes.length > 0 && !s.hotfix.contained ? (['hotfix not merged back'] as const) : []),
  ];
}

/** Pure: what one environment's facts mean. */
export function environmentStatus(policy: Policy, env: Environment, facts: EnvironmentFacts): EnvironmentStatus {
  const declared = parseImageRef(facts.declared);
  const sha = declared.tag !== undefined ? commitIn(matchTemplate(policy.spec.app.tagFormat, declared.tag)) : undefined;
  const cluster = facts.cluster;
  const running = cluster ? parseImageRef(cluster.image) : undefined;
  const h = cluster?.health;
  return {
    name: env.name,
    config: { repo: env.config.repo, branch: env.config.branch, file: env.config.file, head: facts.head },
    declared: facts.declared,
    ...(sha ? { commit: { sha, source: 'tag' as const } } : {}),
    ...(cluster
      ? {
          running: {
            image: cluster.image,
            ...(cluster.digest ? { digest: cluster.digest } : {}),
            source: cluster.source,
            health: describeHealth(cluster),
            healthy: (h?.observedGeneration ?? 0) >= (h?.generation ?? 0) && (h?.available ?? 0) >= (h?.replicas ?? 0) && (h?.updated ?? 0) >= (h?.replicas ?? 0),
            rollout: rolloutOf(cluster.health),
          },
        }
      : {}),
    ...(facts.clusterError ? { runningError: facts.clusterError, ...(facts.clusterErrorCode ? { runningErrorCode: facts.clusterErrorCode } : {}) } : {}),
    drift: running ? running.name !== declared.name || running.tag !== declared.tag : null,
    automation: automationFound(env, policy.spec.app.image, { config: { path: env.config.file, text: facts.configText }, flux: facts.flux, automation: facts.automation }),
    ...(facts.deployed && { deployed: 'unknown' in facts.deployed ? facts.deployed : deployedStatus(facts.deployed.deployment) }),
  };
}

function deployedStatus(d: Deployment): DeployedStatus {
  return {
    commit: d.commit.sha,
    subject: d.commit.subject,
    date: (d.landed ?? d.commit).committer.date,
    ...(d.landed && { landed: { commit: d.landed.sha, subject: d.landed.subject } }),
    ...(d.rollsBack && { rollsBack: d.rollsBack }),
  };
}

function rolloutOf(h: ClusterState['health'] | undefined): Rollout {
  const fields = { desired: h?.replicas, updated: h?.updated, ready: h?.ready, available: h?.available, generation: h?.generation, observedGeneration: h?.observedGeneration };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
