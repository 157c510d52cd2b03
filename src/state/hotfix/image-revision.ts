import { HotfixError } from '../../diagnostics/errors.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { Policy } from '../../policy/types.js';
import { listTags, resolveCommit, type TagRef } from '../git/read.js';
import { revisionAnswers, type RevisionAnswer } from './revision-answers.js';

/** Reads an image's config labels; undefined when the image is not in the registry. */
export type LabelReader = (image: string) => Promise<Readonly<Record<string, string>> | undefined>;

/**
 * What each of the policy's revision sources says about the commit `image` was built from:
 * the same reading for the image a hotfix starts from, the one an environment runs and a
 * release about to go out.
 */
export async function imageRevisionAnswers(policy: Policy, appPath: string, image: string, readLabels: LabelReader | undefined, tags?: readonly TagRef[]): Promise<RevisionAnswer[]> {
  const labels = await labelsOrReason(policy, image, readLabels);
  const hotfixTag = policy.spec.hotfix?.imageTag;
  return revisionAnswers({ app: policy.spec.app, ...(hotfixTag !== undefined ? { hotfixTag } : {}), image, labels, tags: tags ?? (await listTags(appPath)), resolve: (name) => resolveCommit(appPath, name) });
}

/** Labels, or why they could not be read: a registry that cannot be asked is a finding, not a failure. */
async function labelsOrReason(policy: Policy, image: string, readLabels: LabelReader | undefined): Promise<Readonly<Record<string, string>> | { unavailable: string }> {
  if (!policy.spec.app.revisionFrom.includes('label')) return { unavailable: 'not asked (revisionFrom does not list label)' };
  if (!readLabels) return { unavailable: 'the registry was not asked (--no-registry)' };
  try {
    const labels = await readLabels(image);
    return labels ?? { unavailable: `${parseImageRef(image).name}:${parseImageRef(image).tag ?? ''} is not in the registry` };
  } catch (error) {
    return { unavailable: error instanceof HotfixError ? error.diagnostics.map((d) => d.message).join('; ') : String(error) };
  }
}
