import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { scratchDir } from '../scratch-dir.js';
import { commonGitDir } from './read.js';
import { putCommit } from './loose-object.js';
import { objectView } from './object-view.js';
import { remembered } from '../remembered.js';
import { closeResolver, resolveByBatch } from './revision-resolver.js';
import { git } from './run-git.js';
import { treeDiff } from './tree-diff.js';

export interface MergeResult {
  /** The merged tree; present even with conflicts (with conflict markers in it). */
  readonly tree: string;
  readonly conflicts: readonly string[];
}

/** The throwaway side commit of `tree` on `base`: fixed bytes (identity, date, message), so one tree on one base is one commit. */
const sideCommit = (tree: string, base: string) => `tree ${tree}\nparent ${base}\nauthor hotfix <hotfix@localhost> 0 +0000\ncommitter hotfix <hotfix@localhost> 0 +0000\n\nhotfix merge side\n`;

/**
 * Three-way merges of trees with git's own merge machinery (merge-ort), without a work
 * tree or an index. git 2.39's `merge-tree --write-tree` has no `--merge-base`, so the base
 * is imposed by merging two throwaway commits whose only parent is the base.
 *
 * git runs in an object view of the repository (object-view.ts): no attribute, merge
 * driver or config of the repository or the user takes part, so a merge is git's own
 * text merge wherever it runs, and no program a repository names is started.
 * With `temporary` storage every object goes to a scratch object directory that reads the
 * repository's as an alternate: planning writes nothing to the repository. Apply uses
 * `repository` storage so the merged trees it commits exist there.
 */
export class MergeSimulator {
  /**
   * Side commits made and trees read, by what they were made or read from: a plan or apply
   * merges the same hotfix tree into several branches (and apply rehearses first), and each
   * git started costs more than the lookup. Both are facts of this simulator's store.
   */
  private readonly sides = new Map<string, Promise<string>>();
  private readonly trees = new Map<string, Promise<string>>();

  private constructor(
    private readonly repo: string,
    private readonly env: Readonly<Record<string, string>>,
    /** Where new objects go: the scratch object directory, or the repository's. */
    private readonly objects: string,
    private readonly scratch: string,
  ) {}

  static async open(repo: string, storage: 'temporary' | 'repository'): Promise<MergeSimulator> {
    const objects = join(await commonGitDir(repo), 'objects');
    if (storage === 'repository') {
      const scratch = await scratchDir('hotfix-merge-', 'merging', 'HF422');
      return new MergeSimulator(repo, await objectView(join(scratch, 'git'), objects), objects, scratch);
    }
    const scratch = await scratchDir('hotfix-objects-', 'simulating merges', 'HF224');
    return new MergeSimulator(repo, await objectView(join(scratch, 'git'), join(scratch, 'objects'), objects), join(scratch, 'objects'), scratch);
  }

  /** Merges `theirs` into `ours` as if their common ancestor were `base` (a commit). */
  async merge(base: string, ours: string, theirs: string): Promise<MergeResult> {
    // Written straight into the object directory: two git processes per merge cost more than the merge.
    const side = (tree: string) => remembered(this.sides, `${base} ${tree}`, async () => putCommit(this.objects, sideCommit(await this.fullId(tree, 'tree'), await this.fullId(base, 'commit'))));
    const [oursCommit, theirsCommit] = [await side(ours), await side(theirs)];
    const { code, stdout } = await git(this.repo, ['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', oursCommit, theirsCommit], { env: this.env, okCodes: [1] });
    const [tree, ...conflicts] = stdout.split('\0').filter(Boolean);
    return { tree: tree!, conflicts: code === 1 ? [...new Set(conflicts)] : [] };
  }

  /** What `to` changes from `from` (trees or commits), as treeDiff gives it: it reads the scratch objects too. */
  diff(from: string, to: string): Promise<string> {
    return treeDiff(this.repo, from, to, this.env);
  }

  /**
   * The id of the object of the type a commit's header names that a revision (`abc^`, an id,
   * a tag) peels to, as commit-tree would take it; rev-parse's failure where it is none. Asked
   * of the running resolver, which treeOf starts anyway.
   */
  private async fullId(revision: string, type: 'tree' | 'commit'): Promise<string> {
    return (await resolveByBatch(this.repo, `${revision}^{${type}}`, this.env))?.id ?? (await git(this.repo, ['rev-parse', '--verify', '--end-of-options', `${revision}^{${type}}`], { env: this.env })).stdout.trim();
  }

  /** The tree a commit points at. */
  treeOf(commit: string): Promise<string> {
    // rev-parse where the resolver finds no tree: its failure is the one to report.
    return remembered(this.trees, commit, async () => (await resolveByBatch(this.repo, `${commit}^{tree}`, this.env))?.id ?? (await git(this.repo, ['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`], { env: this.env })).stdout.trim());
  }

  async close(): Promise<void> {
    closeResolver(this.repo, this.env);
    await rm(this.scratch, { recursive: true, force: true });
  }
}

