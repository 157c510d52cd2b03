import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { findImage, type ImageField } from '../patch/find-image.js';
import { markerOnLine } from '../patch/find-flux-markers.js';
import type { Environment, Policy } from '../policy/types.js';
import { readClusterFor, type ClusterSource } from './cluster/read-cluster.js';
import { CatFileBatch } from './git/cat-file.js';
import { boundRepo } from './git/bound-repo.js';
import { localRefNames } from './git/local-ref-names.js';
import { changedFiles, readFileAt } from './git/read.js';
import { branchTip } from './git/branch-tip.js';
import { walkDeployments } from './git/walk-deployments.js';
import { revisionReader } from './revision-reader.js';
import { readRemotes } from './git/push-remote.js';
import { fluxObjectsAt, imagePoliciesNamed } from './git/scan-flux.js';
import { automationLines } from './git/automation-lines.js';
import type { AutomationScan, Deployment, FileAtRevision, FluxObject, RollbackState } from './types.js';
import { scanAutomation } from './git/scan-automation.js';
import { posix } from 'node:path';
import { patchesOf } from '../kustomize/kustomize-graph.js';
import { selectionPatches } from '../kustomize/selection-patches.js';
import { argocdOverrideFiles } from '../kustomize/argocd-overrides.js';
import { renderImagePolicies } from './render/render-image-policies.js';
import { parseImageRef } from '../patch/image-ref.js';

export interface RollbackStateRequest {
  readonly policy: Policy;
  readonly environment: Environment;
  readonly repos: Readonly<Record<string, string>>;
  /** How many deployments to read back at most (the target must be among them). */
  readonly depth: number;
  /** Which earlier deployments count towards `depth` (rolled-back ones do not). */
  readonly counts?: (deployment: Deployment, currentImage: string) => boolean;
  /** Stop early once a deployment satisfies this (the `--to` target was found). */
  readonly stopAt?: (deployment: Deployment) => boolean;
  /** What the `--to` target must have written into the file (see walkDeployments). */
  readonly writtenAs?: string;
  readonly cluster: ClusterSource;
}

/** Reads everything a rollback plan relies on. Read-only. */
export async function gatherRollbackState(request: RollbackStateRequest): Promise<RollbackState> {
  const { environment: env, policy } = request;
  const repoName = env.config.repo;
  const repoPath = await boundRepo(request.repos, repoName);

  const blobs = new CatFileBatch(repoPath);
  try {
    // The rollback is a branch of its own and a pull request, so a branch held only as origin/… serves as the local one.
    const remote = policy.spec.git?.remote ?? 'origin';
    const tip = await branchTip(repoPath, env.config.branch, remote, blobs);
    if (!tip) throw new HotfixError([diagnostic('HF202', `branch ${env.config.branch} does not exist in ${repoName} (${repoPath}), neither locally nor as ${remote}/${env.config.branch}`)]);
    const head = tip.sha;

    const config = await readFileAt(repoPath, head, env.config.file, blobs);
    const image = policy.spec.app.image;
    const revisions = revisionReader((sha) => blobs.read(`${sha}:${env.config.file}`), env.config.locator, image);
    const declared = revisions.of(config.text);
    const currentImage = declared.kind === 'image' ? declared.image : undefined;
    if (currentImage === undefined) findImage(config.text, env.config.locator, image); // throws the precise HF207/HF209

    // Independent of the history walk, so read alongside it: the Flux objects at head (git
    // grep, then each file through the same batch process), the refs, and the cluster.
    const flux = automationAt(repoPath, head, blobs, env, policy.spec.app.image, declared.kind === 'image' ? policiesMarking(config.text, declared.fields) : []);
    const refs = Promise.all([localRefNames(repoPath), readRemotes(repoPath, policy), readClusterFor(env.cluster, request.cluster)]);
    // Awaited below; a walk that fails first must not leave their failures unhandled.
    flux.catch(() => undefined);
    refs.catch(() => undefined);

    const walk = await walkDeployments({
      repo: repoPath,
      head,
      file: env.config.file,
      currentImage: currentImage!,
      depth: request.depth,
      ...(request.counts ? { counts: request.counts } : {}),
      ...(request.stopAt ? { stopAt: request.stopAt } : {}),
      ...(request.writtenAs ? { writtenAs: request.writtenAs } : {}),
      revisionAt: revisions.at,
    });
    const deploying = walk.deployments[0]!.commit;
    const [changed, parentText, commitText] = await Promise.all([
      changedFiles(repoPath, deploying.sha, deploying.parents[0]),
      deploying.parents[0] ? blobs.read(`${deploying.parents[0]}:${env.config.file}`) : Promise.resolve(undefined),
      blobs.read(`${deploying.sha}:${env.config.file}`),
    ]);

    const { objects, files, automation } = await flux;
    const [localRefs, { names: remotes, push: pushRemote }, cluster] = await refs;
    return {
      repoName,
      repoPath,
      branch: env.config.branch,
      head,
      ref: tip.ref,
      config,
      deployments: walk.deployments,
      historyComplete: walk.complete,
      historyEnd: walk.end,
      deploying: {
        changedFiles: changed,
        ...(parentText !== undefined ? { parentText } : {}),
        commitText: commitText ?? config.text,
        // The walk has read it: the plan need not parse the 28 KB of a large file again.
        ...(commitText !== undefined && revisions.fieldsAt(deploying.sha) !== undefined ? { commitFields: revisions.fieldsAt(deploying.sha)! } : {}),
      },
      ...(cluster ? { cluster } : {}),
      flux: objects,
      fluxFiles: files,
      automation,
      refs: localRefs,
      remotes,
      ...(pushRemote ? { pushRemote } : {}),
    };
  } finally {
    blobs.close();
  }
}

/**
 * The image automation at `head`, and, read whole, the files a rollback may patch: those
 * holding an ImageUpdateAutomation (suspended), the ImagePolicy the policy names or a marker
 * in the config file refers to (pinned), and the annotated objects that name this image
 * (locked, restricted). Any other file is read only as far as its automation objects.
 */
async function automationAt(repo: string, head: string, blobs: CatFileBatch, env: Environment, image: string, markedOnImage: readonly string[]): Promise<{ objects: FluxObject[]; files: Record<string, FileAtRevision>; automation: AutomationScan }> {
  const lines = automationLines(repo, head);
  const automation = await scanAutomation(repo, head, blobs, lines);
  const named = env.automation?.flux?.imagePolicy;
  const marked = new Set(automation.markers.filter((m) => m.file === env.config.file).map((m) => m.policy.split(':')[1]));
  // Of the hundreds of ImagePolicies a monorepo holds, a rollback may pin only the one the
  // policy names or a marker on the image's lines names (flux-v2.ts): only those are parsed.
  const wanted = [...markedOnImage, ...(named ? [named.slice(named.lastIndexOf('/') + 1)] : [])];
  const objects = await fluxObjectsAt(repo, head, blobs, (await lines).kinds, imagePoliciesNamed(wanted));
  const imageName = parseImageRef(image).name;
  // An overlay's patch of such an object (its tag filter, say) names no image but is edited too.
  const naming = new Set(automation.annotated.filter((o) => JSON.stringify([o.annotations, o.containers]).includes(imageName)).map((o) => `${o.kind}/${o.name}`));
  // A strategic merge patch reads like the ImagePolicy it patches, but is not one.
  const patchFiles = new Set(automation.kustomizations.flatMap(patchesOf));
  const pinnable = objects.filter((o) => o.kind === 'ImagePolicy' && !patchFiles.has(o.file) && (`${o.namespace}/${o.name}` === named || marked.has(o.name)));
  // A kustomize patch that sets such a policy's selection is where a pin may have to be written.
  const selectionPatchFiles = pinnable.flatMap((p) => selectionPatches(p, automation.kustomizations).flatMap(({ kustomization, patch }) => (patch.file ? [posix.join(posix.dirname(kustomization), patch.file)] : [])));
  const patchable = [
    ...objects.filter((o) => o.kind === 'ImageUpdateAutomation' || pinnable.includes(o)).map((o) => o.file),
    ...selectionPatchFiles,
    ...automation.annotated.filter((o) => o.kind === 'ImageUpdater' || naming.has(`${o.kind}/${o.name}`)).map((o) => o.file),
    // Argo CD renders these over the config file: the plan reads which image they set.
    ...argocdOverrideFiles(env.config.file, automation.writeBackFiles, automation.kustomizations),
  ];
  const files: Record<string, FileAtRevision> = {};
  for (const file of new Set(patchable)) files[file] = await readFileAt(repo, head, file, blobs);
  // Only a pin needs what Flux really sees, and only there is kubectl run.
  const pins = (env.automation?.onRollback ?? env.automation?.flux?.onRollback) === 'pin';
  const rendered = pins ? await renderImagePolicies(repo, head, pinnable, automation.kustomizations) : [];
  return { objects, files, automation: rendered.length > 0 ? { ...automation, rendered } : automation };
}

/** The names of the ImagePolicies that markers on the image's lines refer to (`ns:name[:field]`). */
function policiesMarking(text: string, fields: readonly ImageField[]): string[] {
  return fields.flatMap((f) => markerOnLine(text, f.line)?.split(':')[1] ?? []);
}
