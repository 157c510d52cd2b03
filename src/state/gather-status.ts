import { findImage } from '../patch/find-image.js';
import { formatImageRef } from '../patch/image-ref.js';
import type { Environment } from '../policy/types.js';
import { readClusterFor, type ClusterSource } from './cluster/read-cluster.js';
import { readFileAt } from './git/read.js';
import type { AutomationScan, ClusterState, FluxObject } from './types.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { WorkloadReader } from './cluster/namespace-reads.js';
import { currentDeployment, type CurrentDeployment } from './status/current-deployment.js';
import { SharedRepoReads } from './status/shared-repo-reads.js';
import { HotfixError } from '../diagnostics/errors.js';

export interface EnvironmentFacts {
  readonly environment: string;
  readonly head: string;
  readonly declared: string;
  readonly cluster?: ClusterState;
  /** Why the cluster could not be read, when it could not, and the code of that why. */
  readonly clusterError?: string;
  readonly clusterErrorCode?: DiagnosticCode;
  readonly flux: readonly FluxObject[];
  readonly automation: AutomationScan;
  /** The config file's text at head. */
  readonly configText: string;
  /** The commit that deployed `declared`, when the history was asked for (single-policy status). */
  readonly deployed?: CurrentDeployment;
}

/** Reads what one environment declares and runs. Read-only. */
export async function gatherEnvironmentFacts(env: Environment, image: string, repos: Readonly<Record<string, string>>, cluster: ClusterSource, remote = 'origin'): Promise<EnvironmentFacts> {
  const reads = new SharedRepoReads(repos);
  try {
    return await readEnvironmentFacts(env, image, reads, { read: (ref) => readClusterFor(ref, cluster), close: async () => undefined }, { remote });
  } finally {
    reads.close();
  }
}

/** The same with reads shared among environments: a fleet's status reads each repository and namespace once. */
export async function readEnvironmentFacts(env: Environment, image: string, reads: SharedRepoReads, workload: WorkloadReader, options: { history?: boolean; remote?: string } = {}): Promise<EnvironmentFacts> {
  const repo = await reads.repo(env.config.repo);
  const remote = options.remote ?? 'origin';
  const head = await reads.head(repo, env.config.branch, remote);
  if (!head) throw new HotfixError([diagnostic('HF202', `branch ${env.config.branch} does not exist in ${env.config.repo} (${repo}), neither locally nor as ${remote}/${env.config.branch}`)]);
  const config = await readFileAt(repo, head, env.config.file, reads.objects(repo));
  const declared = formatImageRef(findImage(config.text, env.config.locator, image).current);
  const [{ flux, automation }, running, deployed] = await Promise.all([
    reads.automationAt(repo, head),
    readClusterOrReason(env, workload),
    options.history ? currentDeployment(repo, head, env, image, declared, reads.objects(repo)) : undefined,
  ]);
  return { environment: env.name, head, declared, flux, automation, configText: config.text, ...running, ...(deployed && { deployed }) };
}

/** Status shows what it can: an unreadable cluster is reported, not fatal. */
async function readClusterOrReason(env: Environment, workload: WorkloadReader): Promise<Pick<EnvironmentFacts, 'cluster' | 'clusterError' | 'clusterErrorCode'>> {
  try {
    const cluster = await workload.read(env.cluster);
    return cluster ? { cluster } : {};
  } catch (error) {
    if (!(error instanceof HotfixError)) return { clusterError: String(error), clusterErrorCode: 'HF205' };
    return { clusterError: error.diagnostics.map((d) => d.message).join('; '), clusterErrorCode: error.diagnostics[0]!.code };
  }
}
