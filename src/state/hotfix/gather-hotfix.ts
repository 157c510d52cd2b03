import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { findImage } from '../../patch/find-image.js';
import { formatImageRef } from '../../patch/image-ref.js';
import type { Environment, Policy } from '../../policy/types.js';
import { readClusterFor, type ClusterSource } from '../cluster/read-cluster.js';
import { CatFileBatch } from '../git/cat-file.js';
import { MergeSimulator } from '../git/merge-simulation.js';
import { boundRepo } from '../git/bound-repo.js';
import { readRemotes } from '../git/push-remote.js';
import { branchTip, trackedOnly } from '../git/branch-tip.js';
import { readRemoteTips, type RemoteTips } from '../git/remote-tips.js';
import { commitInfo, commitsWithMessages } from '../git/commit-log.js';
import { changedFiles, isAncestor, listBranches, listTags, mergeBase, readFileAt, resolveCommit } from '../git/read.js';
import { localRefNames } from '../git/local-ref-names.js';
import { deployVia, mergeBackVia } from '../../policy/via.js';
import type { ClusterState, CommitInfo, FileAtRevision, PushRemote, LocalRefNames } from '../types.js';
import { findBaseline, type BaselineState } from './find-baseline.js';
import { assertFullHistory } from './full-history.js';
import { imageRevisionAnswers, type LabelReader } from './image-revision.js';
import type { RevisionAnswer } from './revision-answers.js';
import { readEarlierHotfixes, type EarlierHotfixes } from './earlier-hotfix.js';
import { readReviewTips, type ReviewTip } from './review-tips.js';

export interface PickState {
  readonly input: string;
  readonly commit?: CommitInfo & { readonly message: string };
  readonly onMainline: boolean;
  readonly files: readonly string[];
}

export interface MergeBackState {
  readonly branch: string;
  /** Undefined when the branch does not exist. */
  readonly head?: string;
  /** Where head was read: the local branch, else (a fresh clone) the push remote's remote-tracking branch. */
  readonly ref?: string;
  readonly base?: string;
  readonly tree?: string;
  readonly conflicts: readonly string[];
}

export interface HotfixState {
  readonly app: { readonly repoName: string; readonly repoPath: string; readonly mainline: string; readonly mainlineHead: string; readonly refs: LocalRefNames; readonly remotes: readonly string[]; readonly pushRemote?: PushRemote };
  readonly deployed: { readonly image: string; readonly source: 'command line' | 'cluster' | 'config'; readonly digest?: string };
  readonly revision: readonly RevisionAnswer[];
  /** The deployed commit as decided from the answers, when they decide it. */
  readonly base?: CommitInfo;
  readonly picks: readonly PickState[];
  /**
   * The tree after each pick, until the first conflict; `empty` when the pick left the tree as
   * it was (its change is there already); `diff`, what the pick changes on the hotfix branch
   * (treeDiff from the tree before it; empty for a conflicting pick).
   */
  readonly steps: readonly { readonly pick: string; readonly tree: string; readonly conflicts: readonly string[]; readonly empty: boolean; readonly diff: string }[];
  readonly merges: readonly MergeBackState[];
  /** ref: where head was read, the local branch, else (a fresh clone) the push remote's remote-tracking branch. */
  readonly config: { readonly repoName: string; readonly repoPath: string; readonly branch: string; readonly head: string; readonly ref: string; readonly file: FileAtRevision; readonly refs: LocalRefNames; readonly remotes: readonly string[]; readonly pushRemote?: PushRemote };
  readonly cluster?: ClusterState;
  /** The baseline environment's config of the running version's time, when one takes a baseline for the target. */
  readonly baseline?: BaselineState;
  /** Branches named like a hotfix of the deployed commit, made before (an earlier or interrupted apply), when the picks apply cleanly. */
  readonly earlier?: EarlierHotfixes;
  /** The push remote's branches and tags, when the policy pushes and the remote answered: what a fresh clone may not have fetched. */
  readonly remoteTips?: RemoteTips;
  /** Branches named like the ones this hotfix pushes for review, made before (git.via pull-request). */
  readonly reviewTips?: { readonly config: readonly ReviewTip[]; readonly app: readonly ReviewTip[] };
}

export interface HotfixStateRequest {
  readonly policy: Policy;
  readonly environment: Environment;
  readonly repos: Readonly<Record<string, string>>;
  readonly picks: readonly string[];
  /** --deployed: take this image as the running one. */
  readonly deployedImage?: string;
  readonly cluster: ClusterSource;
  /** Reads the image's config labels; throws when the registry cannot be asked. */
  readonly readLabels?: LabelReader;
  /** The deployed commit the answers decide, or undefined (the planner says why). */
  readonly decide: (answers: readonly RevisionAnswer[]) => string | undefined;
}

/** Reads everything a hotfix plan relies on, and predicts the picks and merges. Read-only. */
export async function gatherHotfixState(request: HotfixStateRequest): Promise<HotfixState> {
  const { policy, environment: env } = request;
  const app = policy.spec.app;
  const appPath = await boundRepo(request.repos, app.repo);
  const configPath = await boundRepo(request.repos, env.config.repo);
  await assertFullHistory(appPath, app.repo);

  const remote = policy.spec.git?.remote ?? 'origin';
  // Only read (which picks are on it): a clone with HEAD detached at a tag has it as origin/main.
  const mainlineHead = (await branchTip(appPath, app.mainline, remote))?.sha;
  if (!mainlineHead) throw new HotfixError([diagnostic('HF202', `mainline ${app.mainline} does not exist in ${app.repo} (${appPath}), neither locally nor as ${remote}/${app.mainline}`)]);
  const configTip = await branchTip(configPath, env.config.branch, remote);
  if (!configTip) throw new HotfixError([diagnostic('HF202', `branch ${env.config.branch} does not exist in ${env.config.repo} (${configPath}), neither locally nor as ${remote}/${env.config.branch}`)]);
  const configHead = configTip.sha;

  const blobs = new CatFileBatch(configPath);
  const config = await readFileAt(configPath, configHead, env.config.file, blobs).finally(() => blobs.close());
  const cluster = await readClusterFor(env.cluster, request.cluster);
  const deployed = request.deployedImage
    ? { image: request.deployedImage, source: 'command line' as const }
    : cluster
      ? { image: cluster.image, source: 'cluster' as const, ...(cluster.digest ? { digest: cluster.digest } : {}) }
      : { image: formatImageRef(findImage(config.text, env.config.locator, app.image).current), source: 'config' as const };

  const [tags, branches, { names: appRemotes, push: appRemote }, { names: configRemotes, push: configRemote }, configRefs] = await Promise.all([listTags(appPath), listBranches(appPath), readRemotes(appPath, policy), readRemotes(configPath, policy), configRefNames(configPath, policy, env)]);
  const revision = await imageRevisionAnswers(policy, appPath, deployed.image, request.readLabels, tags);
  const baseSha = request.decide(revision);
  const picks: PickState[] = [];
  const shas = await Promise.all(request.picks.map((input) => resolveCommit(appPath, input)));
  // The base and every pick read by one git.
  const commits = await commitsWithMessages(appPath, [...(baseSha ? [baseSha] : []), ...shas.filter((sha): sha is string => sha !== undefined)]);
  const base = baseSha ? (commits.get(baseSha)?.commit ?? (await commitInfo(appPath, baseSha))) : undefined;
  for (const [index, input] of request.picks.entries()) {
    const sha = shas[index];
    if (!sha) {
      picks.push({ input, onMainline: false, files: [] });
      continue;
    }
    const { commit, message } = commits.get(sha)!;
    const [files, onMainline] = await Promise.all([changedFiles(appPath, sha), isAncestor(appPath, sha, mainlineHead)]);
    picks.push({ input, commit: { ...commit, message }, onMainline, files });
  }

  const steps: HotfixState['steps'][number][] = [];
  const merges: MergeBackState[] = [];
  let earlier: EarlierHotfixes | undefined;
  if (base && picks.every((p) => p.commit && p.commit.parents.length === 1)) {
    const simulator = await MergeSimulator.open(appPath, 'temporary');
    try {
      let tree = await simulator.treeOf(base.sha);
      for (const pick of picks) {
        const result = await simulator.merge(pick.commit!.parents[0]!, tree, await simulator.treeOf(pick.commit!.sha));
        const diff = result.conflicts.length > 0 ? '' : await simulator.diff(tree, result.tree);
        steps.push({ pick: pick.commit!.sha, tree: result.tree, conflicts: result.conflicts, empty: result.tree === tree, diff });
        if (result.conflicts.length > 0) break;
        tree = result.tree;
      }
      const mergeBacks = [...(policy.spec.hotfix?.release ? [policy.spec.hotfix.release] : []), ...(policy.spec.hotfix?.mergeBack ?? [])];
      if (steps.every((s) => s.conflicts.length === 0)) {
        for (const branch of mergeBacks) merges.push(await mergeBack(appPath, simulator, branch, base.sha, tree, remote));
        if (policy.spec.hotfix) earlier = await readEarlierHotfixes(appPath, policy.spec.hotfix.branch, { sha: base.sha, env: env.name }, { local: branches, tracked: await trackedOnly(appPath, remote, branches), remote }, picks.map((p) => p.commit!.sha), mergeBacks);
      }
    } finally {
      await simulator.close();
    }
  }

  const remoteTips = base && appRemote?.urls.length === 1 ? await readRemoteTips(appPath, appRemote.urls[0]!) : undefined;
  const git = policy.spec.git;
  const reviewTips =
    base && git
      ? {
          config: deployVia(policy, env) === 'pull-request' ? await readReviewTips(configPath, git.deployBranch, { sha: base.sha, env: env.name }, configRefs.branches, configRemote?.branches ?? {}, { [env.config.branch]: configHead }, env.config.file) : [],
          app: mergeBackVia(policy) === 'pull-request' ? await readReviewTips(appPath, git.mergeBackBranch, { sha: base.sha, env: env.name }, branches, appRemote?.branches ?? {}, Object.fromEntries(merges.flatMap((m) => (m.head ? [[m.branch, m.head]] : [])))) : [],
        }
      : undefined;

  const baseEnv = policy.spec.environments.find((e) => e.baselineFor === env.name);
  const baseline = baseEnv ? await baselineFor(request.repos, env, baseEnv, app.image, remote, configRemote) : undefined;

  return {
    ...(baseline ? { baseline } : {}),
    app: { repoName: app.repo, repoPath: appPath, mainline: app.mainline, mainlineHead, refs: { branches, tags: tags.map((t) => t.name) }, remotes: appRemotes, ...(appRemote ? { pushRemote: appRemote } : {}) },
    deployed,
    revision,
    ...(base ? { base } : {}),
    picks,
    steps,
    merges,
    config: { repoName: env.config.repo, repoPath: configPath, branch: env.config.branch, head: configHead, ref: configTip.ref, file: config, refs: configRefs, remotes: configRemotes, ...(configRemote ? { pushRemote: configRemote } : {}) },
    ...(cluster ? { cluster } : {}),
    ...(earlier ? { earlier } : {}),
    ...(remoteTips ? { remoteTips } : {}),
    ...(reviewTips ? { reviewTips } : {}),
  };
}

/**
 * Merging the hotfix head into a branch: the hotfix's history is the deployed commit's
 * plus the picks, so the merge base is the branch's merge base with the deployed commit.
 */
async function mergeBack(repo: string, simulator: MergeSimulator, branch: string, deployed: string, hotfixTree: string, remote: string): Promise<MergeBackState> {
  const tip = await branchTip(repo, branch, remote);
  if (!tip) return { branch, conflicts: [] };
  const { sha: head, ref } = tip;
  const base = await mergeBase(repo, head, deployed);
  if (!base) return { branch, head, ref, conflicts: [] };
  const result = await simulator.merge(base, await simulator.treeOf(head), hotfixTree);
  return { branch, head, ref, base, tree: result.tree, conflicts: result.conflicts };
}

/** The config repository's names, which only a deploy branch made for review needs (none are read otherwise). */
async function configRefNames(repo: string, policy: Policy, env: Environment): Promise<LocalRefNames> {
  return deployVia(policy, env) === 'pull-request' ? localRefNames(repo) : { branches: [], tags: [] };
}

async function baselineFor(repos: HotfixStateRequest['repos'], target: Environment, base: Environment, image: string, remote: string, push: PushRemote | undefined): Promise<BaselineState> {
  if (base.config.repo !== target.config.repo)
    throw new HotfixError([diagnostic('HF202', `${base.name} takes a baseline for ${target.name}, so their configs must be branches of one repository (${base.config.repo} ≠ ${target.config.repo})`)]);
  const repo = await boundRepo(repos, base.config.repo);
  return findBaseline(repo, target, base, image, await localRefNames(repo), remote, push);
}
