import { resolve } from 'node:path';
import type { Policy } from '../policy/types.js';
import type { TagRef } from '../state/git/read.js';
import type { RunningHotfixRequest } from '../state/hotfix/running-hotfix.js';

/**
 * How status and check release read the commit behind an image: the plan's way (the
 * policy's revisionFrom, the registry's labels unless --no-registry, the same decision).
 */
export async function runningHotfixRequest(policy: Policy, repos: Readonly<Record<string, string>>, options: { readonly noRegistry: boolean; readonly dockerConfig?: string | undefined; readonly cwd: string; readonly repo?: (name: string) => Promise<string>; readonly tags?: (path: string) => Promise<readonly TagRef[]> }): Promise<RunningHotfixRequest> {
  const [{ boundRepo }, { decideRevision }, { readImage }, { parseImageRef }] = await Promise.all([
    import('../state/git/bound-repo.js'),
    import('../plan/hotfix/decide-revision.js'),
    import('../state/registry/read-image.js'),
    import('../patch/image-ref.js'),
  ]);
  const registry = options.dockerConfig !== undefined ? { dockerConfig: resolve(options.cwd, options.dockerConfig) } : {};
  // A fleet's status checks each repository, and lists its tags, once for all its policies (options.repo, options.tags).
  const appPath = await (options.repo ?? ((name: string) => boundRepo(repos, name)))(policy.spec.app.repo);
  return {
    policy,
    appPath,
    ...(options.tags ? { tags: () => options.tags!(appPath) } : {}),
    readLabels: options.noRegistry ? undefined : async (image) => (await readImage(parseImageRef(image), registry))?.labels,
    decide: (answers) => {
      const decision = decideRevision(answers);
      return 'commit' in decision ? decision.commit : undefined;
    },
  };
}
