import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { declaredImage, findImage } from '../patch/find-image.js';
import type { Environment, Policy } from '../policy/types.js';
import { readClusterFor, type ClusterSource } from './cluster/read-cluster.js';
import { CatFileBatch } from './git/cat-file.js';
import { boundRepo } from './git/bound-repo.js';
import { changedFiles, listBranches, listRemotes, readFileAt, resolveCommit } from './git/read.js';
import { walkDeployments } from './git/walk-deployments.js';
import { readPushRemote } from './git/push-remote.js';
import { fluxObjectsAt } from './git/scan-flux.js';
import type { Deployment, FileAtRevision, FluxObject, RollbackState } from './types.js';

export interface RollbackStateRequest {
  readonly policy: Policy;
  readonly environment: Environment;
  readonly repos: Readonly<Record<string, string>>;
  /** How many deployments to read back at most (the target must be among them). */
  readonly depth: number;
  /** Stop early once a deployment satisfies this (the `--to` target was found). */
  readonly stopAt?: (deployment: Deployment) => boolean;
  readonly cluster: ClusterSource;
}

/** Reads everything a rollback plan relies on. Read-only. */
export async function gatherRollbackState(request: RollbackStateRequest): Promise<RollbackState> {
  const { environment: env, policy } = request;
  const repoName = env.config.repo;
  const repoPath = await boundRepo(request.repos, repoName);

  const head = await resolveCommit(repoPath, `refs/heads/${env.config.branch}`);
  if (!head) throw new HotfixError([diagnostic('HF202', `branch ${env.config.branch} does not exist in ${repoName} (${repoPath})`)]);

  const blobs = new CatFileBatch(repoPath);
  try {
    const config = await readFileAt(repoPath, head, env.config.file, blobs);
    const image = policy.spec.app.image;
    const valueIn = (text: string | undefined) => declaredImage(text, env.config.locator, image);
    const currentImage = valueIn(config.text);
    if (currentImage === undefined) findImage(config.text, env.config.locator, image); // throws the precise HF207/HF209

    // Independent of the history walk, so read alongside it: the Flux objects at head (git
    // grep, then each file through the same batch process), the refs, and the cluster.
    const flux = fluxAt(repoPath, head, blobs, env);
    const refs = Promise.all([listBranches(repoPath), listRemotes(repoPath), readClusterFor(env.cluster, request.cluster), readPushRemote(repoPath, policy)]);
    // Awaited below; a walk that fails first must not leave their failures unhandled.
    flux.catch(() => undefined);
    refs.catch(() => undefined);

    const walk = await walkDeployments({
      repo: repoPath,
      head,
      file: env.config.file,
      currentImage: currentImage!,
      depth: request.depth,
      ...(request.stopAt ? { stopAt: request.stopAt } : {}),
      valueAt: async (sha) => valueIn(await blobs.read(`${sha}:${env.config.file}`)),
    });
    const deploying = walk.deployments[0]!.commit;
    const [changed, parentText, commitText] = await Promise.all([
      changedFiles(repoPath, deploying.sha),
      deploying.parents[0] ? blobs.read(`${deploying.parents[0]}:${env.config.file}`) : Promise.resolve(undefined),
      blobs.read(`${deploying.sha}:${env.config.file}`),
    ]);

    const { objects, files } = await flux;
    const [branches, remotes, cluster, pushRemote] = await refs;
    return {
      repoName,
      repoPath,
      branch: env.config.branch,
      head,
      config,
      deployments: walk.deployments,
      historyComplete: walk.complete,
      deploying: { changedFiles: changed, ...(parentText !== undefined ? { parentText } : {}), commitText: commitText ?? config.text },
      ...(cluster ? { cluster } : {}),
      flux: objects,
      fluxFiles: files,
      branches,
      remotes,
      ...(pushRemote ? { pushRemote } : {}),
    };
  } finally {
    blobs.close();
  }
}

/**
 * The Flux image automation objects at `head`, and, read whole, the files a rollback may
 * patch: those holding an ImageUpdateAutomation (suspended) or the ImagePolicy the policy
 * names (pinned). Any other Flux file is read only as far as its Flux objects.
 */
async function fluxAt(repo: string, head: string, blobs: CatFileBatch, env: Environment): Promise<{ objects: FluxObject[]; files: Record<string, FileAtRevision> }> {
  const objects = await fluxObjectsAt(repo, head, blobs);
  const pinned = env.automation?.flux?.imagePolicy;
  const patchable = objects.filter((o) => o.kind === 'ImageUpdateAutomation' || (o.kind === 'ImagePolicy' && `${o.namespace}/${o.name}` === pinned));
  const files: Record<string, FileAtRevision> = {};
  for (const file of new Set(patchable.map((o) => o.file))) files[file] = await readFileAt(repo, head, file, blobs);
  return { objects, files };
}
