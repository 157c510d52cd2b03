import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { declaredImage, findImage } from '../../patch/find-image.js';
import { formatImageRef } from '../../patch/image-ref.js';
import { baselineRules } from '../../policy/baseline-rules.js';
import type { Environment } from '../../policy/types.js';
import { CatFileBatch } from '../git/cat-file.js';
import { commitsBefore } from '../git/commit-log.js';
import { diffStat, readFileAt, type FileChangeCount } from '../git/read.js';
import { branchTip } from '../git/branch-tip.js';
import { walkDeployments } from '../git/walk-deployments.js';
import { declaredRevision } from '../declared-revision.js';
import { earlierBaselines, type EarlierBaselines } from './earlier-baselines.js';
import type { CommitInfo, FileAtRevision, LocalRefNames, PushRemote } from '../types.js';

export interface BaselineState {
  /** The environment whose config is the baseline (nop), and the one it is for (production). */
  readonly environment: string;
  readonly forEnvironment: string;
  readonly match: 'image' | 'time';
  /** The image the target runs now, and the commit of the target's config that deployed it. */
  readonly targetImage: string;
  readonly targetDeploying: CommitInfo;
  readonly branch: string;
  readonly head: string;
  /** Undefined when no commit qualifies (the version never ran there). */
  readonly baseline?: CommitInfo;
  /** The baseline environment's config file at the baseline (or at head, when there is none). */
  readonly file: FileAtRevision;
  /** What changed on the branch since the baseline: why today's config is not used. */
  readonly changedSince: readonly FileChangeCount[];
  /** The config repository's branches and tags, which the baseline branch must not clash with. */
  readonly refs: LocalRefNames;
  /** Branches named like a baseline branch: one an earlier apply of this hotfix made is adopted. */
  readonly earlier: EarlierBaselines;
}

/**
 * The config a hotfix of `target` is tested against (seed 002): the baseline environment's
 * branch as it was when the target's running version went live, not as it is today.
 * `image`: the last commit there that ran the target's image, no later than the commit that
 * deployed it to the target; `time`: the branch as of that commit. Read-only.
 */
export async function findBaseline(repo: string, target: Environment, base: Environment, image: string, refs: LocalRefNames, remote: string, push?: PushRemote): Promise<BaselineState> {
  const blobs = new CatFileBatch(repo);
  try {
    const valueIn = (text: string | undefined, env: Environment) => declaredImage(text, env.config.locator, image);
    // A CI runner's clone holds one of the two branches only as origin/…: only read here, so either serves.
    const targetHead = (await branchTip(repo, target.config.branch, remote))!.sha;
    const targetFile = await readFileAt(repo, targetHead, target.config.file, blobs);
    const targetImage = valueIn(targetFile.text, target) ?? formatImageRef(findImage(targetFile.text, target.config.locator, image).current);
    const walk = await walkDeployments({
      repo,
      head: targetHead,
      file: target.config.file,
      currentImage: targetImage,
      depth: 0,
      revisionAt: async (sha, newer) => declaredRevision(await blobs.read(`${sha}:${target.config.file}`), target.config.locator, image, newer),
    });
    const targetDeploying = walk.deployments[0]!.commit;

    const baseTip = await branchTip(repo, base.config.branch, remote);
    if (!baseTip) throw new HotfixError([diagnostic('HF202', `branch ${base.config.branch}, the baseline for ${target.name}, does not exist in ${base.config.repo} (${repo}), neither locally nor as ${remote}/${base.config.branch}`)]);
    const head = baseTip.sha;
    const match = base.baseline?.match ?? 'image';
    let baseline: CommitInfo | undefined;
    // When it went live: a pull request's commit counts from the merge that brought it to the branch.
    for await (const commit of commitsBefore(repo, head, (walk.deployments[0]!.landed ?? targetDeploying).committer.date)) {
      if (match === 'time' || valueIn(await blobs.read(`${commit.sha}:${base.config.file}`), base) === targetImage) {
        baseline = commit;
        break;
      }
    }
    const at = baseline?.sha ?? head;
    return {
      environment: base.name,
      forEnvironment: target.name,
      match,
      targetImage,
      targetDeploying,
      branch: base.config.branch,
      head,
      ...(baseline ? { baseline } : {}),
      file: await readFileAt(repo, at, base.config.file, blobs),
      changedSince: baseline ? await diffStat(repo, baseline.sha, head) : [],
      refs,
      // Where hotfix pushes to one URL, what is there now; a remote with several, git's push decides.
      earlier: await earlierBaselines(repo, baselineRules(base).branch, remote, push?.urls.length === 1 ? { url: push.urls[0]!, ...(push.branches ? { branches: push.branches } : {}) } : undefined),
    };
  } finally {
    blobs.close();
  }
}
