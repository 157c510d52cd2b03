import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { buildCommit, type CommitAction } from '../plan/build-commit.js';
import { commitObject, tagObject, type GitObject } from '../plan/git-objects.js';
import type { Action } from '../plan/types.js';
import { CatFileBatch } from '../state/git/cat-file.js';
import { MergeSimulator } from '../state/git/merge-simulation.js';
import { changedFiles, mergeBase, readFileAt } from '../state/git/read.js';
import { firstDifference } from './first-difference.js';
import { updateRefs, writeObjects } from './git-write.js';
import { refEffect } from './ref-effects.js';
import type { RehearsedObjects } from './rehearsed-objects.js';
import { repoPath } from './verify-preconditions.js';

export interface RunOptions {
  readonly moveRef: boolean;
  readonly checkpoint?: (point: string) => void;
  /** What the rehearsal made, placed instead of made again. */
  readonly rehearsed?: RehearsedObjects;
  /** A running object reader of the repository, the caller's to close: one for every action instead of one each. */
  readonly reader?: (repo: string) => CatFileBatch;
}

/**
 * Carries out one action. Every object is recomputed here and must get the planned id,
 * unless the rehearsal made and checked it already (`rehearsed`): then it is placed.
 * With `moveRef: false` (a branch checked out in a work tree) the objects are written but
 * the local branch stays; the plan's push moves the remote. Pushes are push-moved.ts's.
 */
export async function runAction(action: Exclude<Action, { kind: 'push' }>, repos: Readonly<Record<string, string>>, options: RunOptions = { moveRef: true }): Promise<void> {
  const at = options.checkpoint ?? (() => undefined);
  switch (action.kind) {
    case 'create-branch':
    case 'tag':
    case 'commit':
    case 'cherry-pick':
    case 'merge': {
      const repo = repoPath(repos, action.repo);
      const effect = refEffect(action)!;
      // What the rehearsal made and checked moments ago is placed, not made a second time.
      if (!(await options.rehearsed?.place(action.id, effect.to, repo))) await writeObjects(repo, await objectsFor(action, repo, options.reader));
      at('objects');
      if (options.moveRef) await updateRefs(repo, [{ ref: effect.ref, sha: effect.to, old: effect.from }]);
      at('ref');
      return;
    }
    case 'gate':
    case 'open-pull-request':
    case 'manual':
      return; // gates are checked by the caller; the others are for a person
  }
}

async function objectsFor(action: Exclude<Action, { kind: 'push' | 'gate' | 'open-pull-request' | 'manual' }>, repo: string, reader: RunOptions['reader']): Promise<GitObject[]> {
  switch (action.kind) {
    case 'create-branch':
      return [];
    case 'tag':
      return [tagObject({ target: action.target, name: action.tag, tagger: action.tagger, message: action.message })];
    case 'commit':
      return patchCommit(action, repo, reader);
    case 'cherry-pick': {
      // The pick's own parent is the merge base, as git cherry-pick has it.
      const { tree, diff } = await mergedTree(repo, async (s) => [`${action.pick}^`, await s.treeOf(action.parent), await s.treeOf(action.pick)], action.parent);
      expectTree(tree, action.tree, `cherry-pick of ${action.pick.slice(0, 7)}`);
      const files = await changedFiles(repo, action.pick);
      if (files.join('\n') !== action.files.join('\n')) throw unexpected(`the pick of ${action.pick.slice(0, 7)} changes ${files.join(', ') || 'no file'}, not ${action.files.join(', ') || 'no file'} as the plan shows`);
      if (diff !== action.diff) throw unexpected(`the pick of ${action.pick.slice(0, 7)} changes the hotfix branch otherwise than the diff the plan shows`);
      return [checked(commitObject({ tree, parents: [action.parent], author: action.author, committer: action.committer, message: action.message }), action.commit)];
    }
    case 'merge': {
      const base = await mergeBase(repo, action.parents[0], action.parents[1]);
      if (base !== action.base) throw unexpected(`the merge base of ${action.parents[0].slice(0, 7)} and ${action.parents[1].slice(0, 7)} is ${base?.slice(0, 12) ?? 'missing'}, not ${action.base.slice(0, 12)} as planned`);
      const { tree } = await mergedTree(repo, async (s) => [action.base, await s.treeOf(action.parents[0]), await s.treeOf(action.parents[1])]);
      expectTree(tree, action.tree, `merge into ${action.into}`);
      return [checked(commitObject({ tree, parents: [...action.parents], author: action.author, committer: action.author, message: action.message }), action.commit)];
    }
  }
}

/**
 * A merge with git's merge machinery, its objects written into the repository, and with
 * `diffFrom` what it changes from that commit (computed as the plan's diffs are, free of
 * the repository's attributes).
 */
async function mergedTree(repo: string, sides: (s: MergeSimulator) => Promise<[string, string, string]>, diffFrom?: string): Promise<{ tree: string; diff?: string }> {
  const simulator = await MergeSimulator.open(repo, 'repository');
  try {
    const [base, ours, theirs] = await sides(simulator);
    const result = await simulator.merge(base, ours, theirs);
    if (result.conflicts.length > 0) throw unexpected(`the merge now conflicts in ${result.conflicts.join(', ')}`);
    return { tree: result.tree, ...(diffFrom !== undefined ? { diff: await simulator.diff(diffFrom, result.tree) } : {}) };
  } finally {
    await simulator.close();
  }
}

/** A config commit: the plan's patches applied to the file at the real parent. */
async function patchCommit(action: CommitAction, repo: string, reader: RunOptions['reader']): Promise<GitObject[]> {
  const blobs = reader?.(repo) ?? new CatFileBatch(repo);
  try {
    const files = [];
    let trees = {};
    for (const change of action.changes) {
      const file = await readFileAt(repo, action.parent, change.path, blobs);
      trees = { ...file.trees, ...trees };
      files.push({ path: change.path, text: file.text, patches: change.patches });
    }
    const built = buildCommit({ id: action.id, repo: action.repo, branch: action.branch, purpose: action.purpose, parent: action.parent, trees, files, message: action.message, author: action.author, ...(action.reverts ? { reverts: action.reverts } : {}) });
    if (built.action.commit !== action.commit) throw unexpected(`the ${action.purpose} commit would be ${built.action.commit.slice(0, 12)}, not ${action.commit.slice(0, 12)} as planned`);
    // The id covers what is committed; the diffs, blob ids and patches shown beside it must be what built it.
    const shown = firstDifference(built.action.changes, action.changes, 'changes');
    if (shown) throw unexpected(`the ${action.purpose} commit's ${shown} is not what applying its patches to ${action.parent.slice(0, 7)} gives`);
    return built.objects;
  } finally {
    if (!reader) blobs.close();
  }
}

function expectTree(actual: string, planned: string, what: string): void {
  if (actual !== planned) throw unexpected(`the ${what} gives tree ${actual.slice(0, 12)}, not ${planned.slice(0, 12)} as planned`);
}

function checked(object: GitObject, planned: string): GitObject {
  if (object.id !== planned) throw unexpected(`the ${object.type} would be ${object.id.slice(0, 12)}, not ${planned.slice(0, 12)} as planned`);
  return object;
}

function unexpected(message: string): HotfixError {
  return new HotfixError([diagnostic('HF406', `${message}; nothing was written for it`)]);
}
