import { findImage } from '../patch/find-image.js';
import { formatImageRef } from '../patch/image-ref.js';
import type { Environment } from '../policy/types.js';
import { readClusterFor, type ClusterSource } from './cluster/read-cluster.js';
import { CatFileBatch } from './git/cat-file.js';
import { boundRepo } from './git/bound-repo.js';
import { readFileAt, resolveCommit } from './git/read.js';
import { fluxObjectsAt } from './git/scan-flux.js';
import type { AutomationScan, ClusterState, FluxObject } from './types.js';
import { scanAutomation } from './git/scan-automation.js';
import { automationLines } from './git/automation-lines.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';

export interface EnvironmentFacts {
  readonly environment: string;
  readonly head: string;
  readonly declared: string;
  readonly cluster?: ClusterState;
  /** Why the cluster could not be read, when it could not. */
  readonly clusterError?: string;
  readonly flux: readonly FluxObject[];
  readonly automation: AutomationScan;
  /** The config file's text at head. */
  readonly configText: string;
}

/** Reads what one environment declares and runs. Read-only. */
export async function gatherEnvironmentFacts(env: Environment, image: string, repos: Readonly<Record<string, string>>, cluster: ClusterSource): Promise<EnvironmentFacts> {
  const repo = await boundRepo(repos, env.config.repo);
  const head = await resolveCommit(repo, `refs/heads/${env.config.branch}`);
  if (!head) throw new HotfixError([diagnostic('HF202', `branch ${env.config.branch} does not exist in ${env.config.repo} (${repo})`)]);
  const blobs = new CatFileBatch(repo);
  try {
    const config = await readFileAt(repo, head, env.config.file, blobs);
    const declared = formatImageRef(findImage(config.text, env.config.locator, image).current);
    const lines = automationLines(repo, head);
    const [flux, automation] = await Promise.all([lines.then(({ kinds }) => fluxObjectsAt(repo, head, blobs, kinds)), scanAutomation(repo, head, blobs, lines)]);
    const running = await readClusterOrReason(env, cluster);
    return { environment: env.name, head, declared, flux, automation, configText: config.text, ...running };
  } finally {
    blobs.close();
  }
}

/** Status shows what it can: an unreadable cluster is reported, not fatal. */
async function readClusterOrReason(env: Environment, source: ClusterSource): Promise<{ cluster?: ClusterState; clusterError?: string }> {
  try {
    const cluster = await readClusterFor(env.cluster, source);
    return cluster ? { cluster } : {};
  } catch (error) {
    return { clusterError: error instanceof HotfixError ? error.diagnostics.map((d) => d.message).join('; ') : String(error) };
  }
}
