import { HotfixError } from '../diagnostics/errors.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { environmentStatus, type EnvironmentStatus } from '../plan/environment-status.js';
import { fleetOrder, type FleetEnvironment, type FleetService } from '../plan/fleet-status.js';
import { hotfixContainment, mergeBackBranches } from '../plan/hotfix/hotfix-containment.js';
import type { PolicyOfFleet } from '../policy/load-policies.js';
import type { Environment, Policy } from '../policy/types.js';
import { boundedWork } from '../state/bounded-work.js';
import { namespaceReads, type WorkloadReader } from '../state/cluster/namespace-reads.js';
import type { ClusterSource } from '../state/cluster/read-cluster.js';
import { readEnvironmentFacts } from '../state/gather-status.js';
import { gatherRunningHotfix } from '../state/hotfix/running-hotfix.js';
import { SharedRepoReads } from '../state/status/shared-repo-reads.js';
import { prepareLocators } from './prepare-locators.js';
import { runningHotfixRequest } from './running-hotfix-request.js';

export interface FleetRequest {
  readonly policies: readonly PolicyOfFleet[];
  /** Each policy's environments to show: all of them, or those --env names. */
  readonly environments: (policy: Policy) => readonly Environment[];
  readonly repos: Readonly<Record<string, string>>;
  readonly cluster: ClusterSource;
  readonly noRegistry: boolean;
  readonly dockerConfig?: string | undefined;
  readonly cwd: string;
  /**
   * Walk each config file's history to the commit that deployed what it declares: one
   * policy's status shows it; a fleet's table has no place for it and reads hundreds of files.
   */
  readonly history?: boolean;
}

/** Environments whose hotfix containment is read at once: each starts several git processes in the app repository. */
const CONTAINMENT_AT_ONCE = 4;

/**
 * What every environment of every policy declares and runs, reading each repository once
 * (SharedRepoReads) and the cluster once per context and namespace (namespaceReads). An
 * environment that cannot be read is a row saying why, never the end of the run.
 */
export async function gatherFleetStatus(request: FleetRequest): Promise<FleetService[]> {
  const chosen = request.policies.map((p) => ({ ...p, environments: request.environments(p.policy) })).filter((p) => p.environments.length > 0);
  const reads = new SharedRepoReads(request.repos);
  const workload = namespaceReads(request.cluster);
  const containment = boundedWork(CONTAINMENT_AT_ONCE);
  try {
    for (const { policy } of chosen) await prepareLocators(policy);
    const services = await Promise.all(
      chosen.map(async ({ file, policy, environments }) => {
        // Whether what runs is in the mainline and every merge-back branch needs the app repository: shown when it is bound.
        const hotfixes = Object.hasOwn(request.repos, policy.spec.app.repo) ? hotfixReader(policy, request, reads) : undefined;
        const rows = await Promise.all(environments.map((env) => environmentRow(policy, env, reads, workload, request.history === true, hotfixes && ((image) => containment(() => hotfixes.then((read) => read(image)))))));
        return { name: policy.metadata.name, file, environments: rows };
      }),
    );
    return fleetOrder(services);
  } finally {
    reads.close();
    await workload.close();
  }
}

async function environmentRow(policy: Policy, env: Environment, reads: SharedRepoReads, workload: WorkloadReader, history: boolean, hotfix: ((image: string) => Promise<EnvironmentStatus['hotfix']>) | undefined): Promise<FleetEnvironment> {
  try {
    const status = environmentStatus(policy, env, await readEnvironmentFacts(env, policy.spec.app.image, reads, workload, { history, remote: policy.spec.git?.remote ?? 'origin' }));
    return hotfix ? { ...status, hotfix: await hotfix(status.running?.image ?? status.declared) } : status;
  } catch (error) {
    if (!(error instanceof HotfixError)) throw error;
    return { name: env.name, unreadable: oneFinding(error.diagnostics) };
  }
}

/** A row has one line for why: the first finding, with the others' count. */
function oneFinding(diagnostics: readonly Diagnostic[]): Diagnostic {
  const [first] = diagnostics;
  if (!first) return diagnostic('HF204', 'could not be read, for a reason that was not given');
  return diagnostics.length === 1 ? first : { ...first, message: `${first.message} (and ${diagnostics.length - 1} more)` };
}

async function hotfixReader(policy: Policy, request: FleetRequest, reads: SharedRepoReads) {
  const running = await runningHotfixRequest(policy, request.repos, { noRegistry: request.noRegistry, dockerConfig: request.dockerConfig, cwd: request.cwd, repo: (name) => reads.repo(name), tags: (path) => reads.tags(path) });
  const targets = mergeBackBranches(policy).map((branch) => ({ branch }));
  return async (image: string) => hotfixContainment(await gatherRunningHotfix(running, image, targets));
}
