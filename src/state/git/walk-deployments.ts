import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import type { Deployment } from '../types.js';
import { fileHistory } from './read.js';

export interface DeploymentWalk {
  readonly repo: string;
  readonly head: string;
  readonly file: string;
  /** The image the file declares at head. */
  readonly currentImage: string;
  /** How many earlier deployments to read at most. */
  readonly depth: number;
  /** Stop early once a deployment satisfies this. */
  readonly stopAt?: (deployment: Deployment) => boolean;
  /** The image the file declares at a commit, or undefined when it declares none. */
  readonly valueAt: (sha: string) => Promise<string | undefined>;
}

/**
 * Walks the file's history newest first, grouping commits into runs of the same image
 * value; the oldest commit of a run is the one that deployed that value. Stops once it
 * has `depth` earlier deployments (or `stopAt` holds), so cost follows how far back the
 * answer is, not history length.
 */
export async function walkDeployments(walk: DeploymentWalk): Promise<{ deployments: Deployment[]; complete: boolean }> {
  const deployments: Deployment[] = [];
  let runValue = walk.currentImage;
  let runStart: Deployment['commit'] | undefined;
  for await (const commit of fileHistory(walk.repo, walk.head, walk.file)) {
    const value = await walk.valueAt(commit.sha);
    if (value === runValue) {
      runStart = commit;
      continue;
    }
    if (runStart) {
      deployments.push({ image: runValue, commit: runStart });
      const last = deployments[deployments.length - 1]!;
      if (deployments.length > walk.depth || (deployments.length > 1 && walk.stopAt?.(last))) return { deployments, complete: false };
    }
    if (value === undefined) return { deployments, complete: true };
    runValue = value;
    runStart = commit;
  }
  if (runStart) deployments.push({ image: runValue, commit: runStart });
  if (deployments.length === 0) throw new HotfixError([diagnostic('HF208', `no commit in the history of ${walk.file} on ${walk.head.slice(0, 7)} set ${walk.currentImage}`)]);
  return { deployments, complete: true };
}
