import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import type { ImageField } from '../../patch/image-field.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { DeclaredRevision } from '../declared-revision.js';
import type { Deployment, HistoryWalkEnd } from '../types.js';
import { everWritten, fileBeginning } from './ever-written.js';
import { firstParentHistory, mergedHistory, type CommitWithBody } from './commit-log.js';
import { commonGitDir, isShallow } from './read.js';
import { namesCommit, rolledBackCommits } from './rolled-back-commits.js';

export interface DeploymentWalk {
  readonly repo: string;
  readonly head: string;
  readonly file: string;
  /** The image the file declares at head. */
  readonly currentImage: string;
  /** How many earlier deployments that `counts` to read at most. */
  readonly depth: number;
  /** Which earlier deployments count towards `depth` (all when left out). */
  readonly counts?: (deployment: Deployment, currentImage: string) => boolean;
  /** Stop early once a deployment satisfies this. */
  readonly stopAt?: (deployment: Deployment) => boolean;
  /**
   * What a deployment `stopAt` accepts must have written into the file (the `--to` tag):
   * when no revision ever held it, the walk stops at the current deployment.
   */
  readonly writtenAs?: string;
  /** What the file declares at a commit; `newer`: the fields of the later revision, read by path where the locator finds nothing. */
  readonly revisionAt: (sha: string, newer?: readonly ImageField[]) => Promise<DeclaredRevision>;
}

export interface WalkResult {
  /** Newest first: [0] is deployed now. */
  readonly deployments: Deployment[];
  readonly complete: boolean;
  readonly end: HistoryWalkEnd;
}

/**
 * Walks the file's history on the branch's first-parent line, newest first, grouping commits
 * into runs of the same image value; the oldest commit of a run deployed that value (a merge
 * is attributed to the pull request's commit that set the value). Revisions that do not parse
 * are stepped over; a revision whose marker comment alone changed continues its run. Stops
 * once it has `depth` earlier deployments that count (or `stopAt` holds), so cost follows how
 * far back the answer is, not history length. A shallow clone that ends before the answer is
 * HF235, naming the fix.
 */
export async function walkDeployments(walk: DeploymentWalk): Promise<WalkResult> {
  if (walk.writtenAs !== undefined && !(await isShallow(walk.repo))) {
    const [written, first] = await Promise.all([everWritten(walk.repo, walk.head, walk.file, walk.writtenAs), fileBeginning(walk.repo, walk.head, walk.file)]);
    if (!written) {
      // Nothing older can match: what is deployed now is all the plan needs, and the search
      // covered the whole history, as git's pickaxe read every commit of it.
      const { deployments, end } = await walkDeployments({ ...walk, depth: 0, writtenAs: undefined });
      return { deployments, complete: true, end: { kind: 'first-commit', ...(first !== undefined && { commit: first }), skipped: end.skipped } };
    }
  }
  const deployments: Deployment[] = [];
  const skipped: HistoryWalkEnd['skipped'][number][] = [];
  /** Commit ids later deployments rolled back, and which deployment did. */
  const rolledBack = new Map<string, string>();
  let counted = 0;
  let runImage = walk.currentImage;
  let runStart: CommitWithBody | undefined;
  let runFields: readonly ImageField[] | undefined;
  let last: CommitWithBody | undefined;

  const close = async (): Promise<boolean> => {
    const deployment = await deploymentOf(walk, runStart!, runImage, rolledBack);
    deployments.push(deployment);
    for (const id of deployment.rollsBack ?? []) rolledBack.set(id, deployment.commit.sha);
    if (deployments.length === 1) return walk.depth === 0;
    if (walk.counts?.(deployment, walk.currentImage) ?? true) counted++;
    return counted >= walk.depth || walk.stopAt?.(deployment) === true;
  };
  const result = (kind: HistoryWalkEnd['kind'], commit?: string): WalkResult => ({
    deployments,
    complete: kind !== 'limit',
    end: { kind, ...(commit !== undefined && { commit }), skipped },
  });

  for await (const entry of firstParentHistory(walk.repo, walk.head, walk.file)) {
    last = entry;
    const revision = await walk.revisionAt(entry.commit.sha, runFields);
    if (revision.kind === 'unreadable') {
      skipped.push({ sha: entry.commit.sha, subject: entry.commit.subject, reason: revision.reason });
      continue;
    }
    const value = revision.kind === 'image' && (!revision.byPath || sameName(revision.image, runImage)) ? revision : undefined;
    if (value?.image === runImage) {
      runStart = entry;
      runFields = value.fields;
      continue;
    }
    if (runStart && (await close())) return result('limit');
    if (value === undefined) {
      if (deployments.length === 0) break;
      return result('not-declared', entry.commit.sha);
    }
    runImage = value.image;
    runStart = entry;
    runFields = value.fields;
  }
  if (last && runStart && (await shallowBoundary(walk.repo, last.commit.sha))) {
    const what = deployments.length === 0 ? `the commit that deployed ${runImage}` : 'the earlier deployments a rollback needs';
    throw new HotfixError([
      diagnostic('HF235', `the repository is a shallow clone: the history of ${walk.file} ends at ${last.commit.sha.slice(0, 7)} (${last.commit.committer.date}), before ${what}; fetch the whole history with git fetch --unshallow (in GitHub Actions: actions/checkout with fetch-depth: 0)`),
    ]);
  }
  if (runStart) await close();
  if (deployments.length === 0) throw new HotfixError([diagnostic('HF208', `no commit in the history of ${walk.file} on ${walk.head.slice(0, 7)} set ${walk.currentImage}`)]);
  return result('first-commit', last?.commit.sha);
}

function sameName(a: string, b: string): boolean {
  return parseImageRef(a).name === parseImageRef(b).name;
}

/**
 * The deployment a run's oldest first-parent commit made. A merge is attributed to the
 * commit of the merged branch that set the value, when the value before it is the one the
 * branch had; otherwise (several bumps in one pull request, a value set while merging) to
 * the merge itself.
 */
async function deploymentOf(walk: DeploymentWalk, entry: CommitWithBody, image: string, rolledBack: ReadonlyMap<string, string>): Promise<Deployment> {
  const inner = entry.commit.parents.length > 1 ? await mergedCommit(walk, entry, image) : undefined;
  const commit = inner?.commit ?? entry.commit;
  const rollsBack = [...new Set([...rolledBackCommits(entry.body), ...(inner ? rolledBackCommits(inner.body) : [])])];
  const by = [...rolledBack].find(([id]) => namesCommit(id, commit.sha) || namesCommit(id, entry.commit.sha))?.[1];
  return {
    image,
    commit,
    ...(inner && { landed: entry.commit }),
    ...(rollsBack.length > 0 && { rollsBack }),
    ...(by !== undefined && { rolledBackBy: by }),
  };
}

async function mergedCommit(walk: DeploymentWalk, merge: CommitWithBody, image: string): Promise<CommitWithBody | undefined> {
  const firstParent = merge.commit.parents[0]!;
  let candidate: CommitWithBody | undefined;
  for await (const entry of mergedHistory(walk.repo, merge.commit.sha, firstParent, walk.file)) {
    const revision = await walk.revisionAt(entry.commit.sha);
    if (revision.kind === 'unreadable') continue;
    if (revision.kind !== 'image' || revision.image !== image) break;
    candidate = entry;
  }
  if (!candidate) return undefined;
  const [before, branchBefore] = await Promise.all([
    candidate.commit.parents[0] ? walk.revisionAt(candidate.commit.parents[0]) : Promise.resolve({ kind: 'absent' } as const),
    walk.revisionAt(firstParent),
  ]);
  const imageOf = (r: DeclaredRevision) => (r.kind === 'image' ? r.image : r.kind);
  return imageOf(before) === imageOf(branchBefore) ? candidate : undefined;
}

/** Whether `sha` is where a shallow clone's history was cut (git lists those commits in `shallow`). */
async function shallowBoundary(repo: string, sha: string): Promise<boolean> {
  const shallow = await readFile(join(await commonGitDir(repo), 'shallow'), 'utf8').catch(() => '');
  return shallow.split('\n').includes(sha);
}
