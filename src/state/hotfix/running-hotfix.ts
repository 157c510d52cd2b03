import type { Policy } from '../../policy/types.js';
import { branchTip } from '../git/branch-tip.js';
import type { TagRef } from '../git/read.js';
import { hotfixBase, readContainment, type ContainmentFacts } from './hotfix-changes.js';
import { imageRevisionAnswers, type LabelReader } from './image-revision.js';
import type { RevisionAnswer } from './revision-answers.js';

export interface ImageCommit {
  readonly image: string;
  readonly answers: readonly RevisionAnswer[];
  /** The commit the answers decide, when they do. */
  readonly commit?: string;
}

export interface RunningHotfix {
  readonly running: ImageCommit;
  /** Absent when the running commit is unknown. */
  readonly facts?: ContainmentFacts;
  /** Targets named that the app repository does not have. */
  readonly missing: readonly string[];
  /** The running commit shares no history with the mainline: not a hotfix of it, nothing to compare. */
  readonly unrelated?: true;
}

export interface RunningHotfixRequest {
  readonly policy: Policy;
  readonly appPath: string;
  readonly readLabels: LabelReader | undefined;
  /** The commit the answers decide (decideRevision), or undefined. */
  readonly decide: (answers: readonly RevisionAnswer[]) => string | undefined;
  /** The app repository's tags, where they are read once for many images (a fleet's status); else each image lists them. */
  readonly tags?: () => Promise<readonly TagRef[]>;
}

/** The commit an image was built from, read the way a hotfix plan reads the deployed one. */
export async function imageCommit(request: RunningHotfixRequest, image: string): Promise<ImageCommit> {
  const answers = await imageRevisionAnswers(request.policy, request.appPath, image, request.readLabels, await request.tags?.());
  const commit = request.decide(answers);
  return { image, answers, ...(commit ? { commit } : {}) };
}

/**
 * What the image running in an environment carries beyond the mainline it was cut from,
 * and what each target holds of it: branches by name (`main`), or images by reference.
 */
export async function gatherRunningHotfix(request: RunningHotfixRequest, runningImage: string, targets: ReadonlyArray<{ readonly branch: string } | ImageCommit>): Promise<RunningHotfix> {
  const running = await imageCommit(request, runningImage);
  if (!running.commit) return { running, missing: [] };
  const { appPath, policy } = request;
  const remote = policy.spec.git?.remote ?? 'origin';
  const found: Array<{ name: string; sha: string }> = [];
  const missing: string[] = [];
  for (const t of targets) {
    const name = 'branch' in t ? t.branch : t.image;
    const sha = 'branch' in t ? (await branchTip(appPath, t.branch, remote))?.sha : t.commit;
    if (sha) found.push({ name, sha });
    else missing.push(name);
  }
  const mainline = await branchTip(appPath, policy.spec.app.mainline, remote);
  if (!mainline) return { running, missing: [...missing, policy.spec.app.mainline] };
  const base = await hotfixBase(appPath, running.commit, mainline.ref);
  if (base === undefined) return { running, missing, unrelated: true };
  return { running, facts: await readContainment(appPath, base, running.commit, found), missing };
}
