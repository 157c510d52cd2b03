import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { buildCommit, type CommitAction } from '../plan/build-commit.js';
import { commitObject } from '../plan/git-objects.js';
import { rederivedBranch, type RederivableAction } from '../plan/rederive-rule.js';
import { CatFileBatch } from '../state/git/cat-file.js';
import { MergeSimulator } from '../state/git/merge-simulation.js';
import { FETCH_WHOLE_HISTORY, isAncestor, isShallow, mergeBase, readFileAt, resolveCommit } from '../state/git/read.js';
import { git } from '../state/git/run-git.js';
import { renderCheck } from '../state/render/render-check.js';
import type { RenderSpec } from '../plan/render-spec.js';
import { parseImageRef } from '../patch/image-ref.js';

type MergeAction = Extract<RederivableAction, { kind: 'merge' }>;

/** A merge-back whose hotfix commits (its second parent) apply has not made yet: it can be made again only once they are. */
export async function awaitsOwnCommits(action: RederivableAction, repo: string): Promise<boolean> {
  return action.kind === 'merge' && (await resolveCommit(repo, action.parents[1])) === undefined;
}

/** The commits `git log --oneline` lists of a moved branch, at most this many. */
const MOVED_SHOWN = 10;

/**
 * The reviewed action made again on `onto`, the head its branch moved to, when the change
 * comes out identical there (the rule rederive-rule.ts states in the plan); otherwise why
 * not, naming the commits that moved the branch (`moving`: how it is named, the base of the
 * pull request for a branch for review). Always from the sealed action, so a
 * re-derivation never builds on another. Writes nothing to the repository. `readIn` is
 * where the rule reads the commits: the rehearsal's stand-in of `repo` (rehearse.ts), which
 * also holds the hotfix commits a merge-back brings in before apply has made them.
 */
export async function rederive(sealed: RederivableAction, repo: string, onto: string, moving = rederivedBranch(sealed), readIn = repo): Promise<RederivableAction | { problem: string }> {
  const planned = sealed.kind === 'commit' ? sealed.parent : sealed.parents[0];
  const was = `${sealed.repo}: ${moving}, planned at ${planned.slice(0, 7)},`;
  // A shallow clone cuts the history the rule reads, where git answers ancestry and merge bases wrongly or fails.
  if (await isShallow(repo))
    throw new HotfixError([diagnostic('HF391', `${was} moved to ${onto.slice(0, 7)}, and ${repo} is a shallow clone, which cannot tell whether the new head descends from the plan's nor what the change is there; nothing was written for it. Fetch the whole history there (${FETCH_WHOLE_HISTORY}) and run apply again`)]);
  if (!(await isAncestor(readIn, planned, onto))) return { problem: `${was} was rewritten: its head ${onto.slice(0, 7)} does not descend from ${planned.slice(0, 7)}` };
  const again = sealed.kind === 'commit' ? await commitProblem(sealed, readIn, onto) : await mergeProblem(sealed, readIn, onto);
  if (typeof again === 'string') return { problem: `${was} moved to ${onto.slice(0, 7)} by ${await movedBy(readIn, planned, onto)}, and ${again}` };
  return again;
}

/** The commits that moved a branch, as `git log --oneline` names them, at most MOVED_SHOWN. */
async function movedBy(repo: string, from: string, to: string): Promise<string> {
  const { stdout } = await git(repo, ['log', '--format=%h %s', `--max-count=${MOVED_SHOWN + 1}`, '--end-of-options', `${from}..${to}`]);
  const lines = stdout.split('\n').filter(Boolean).map((line) => line.replace(/[\x00-\x1f\x7f]/g, ''));
  const shown = lines.slice(0, MOVED_SHOWN).map((l) => `${l.slice(0, l.indexOf(' '))} "${l.slice(l.indexOf(' ') + 1)}"`);
  return `${shown.join(', ')}${lines.length > MOVED_SHOWN ? ', and more' : ''} (git log --oneline ${from.slice(0, 12)}..${to.slice(0, 12)})`;
}

/**
 * The deploy commit again: the same patches on the file as it is at `onto`. The diff must
 * be the reviewed one line for line, hunk headers included; only its `index` line, which
 * names the blobs, may differ, and does only when the file changed elsewhere.
 */
async function commitProblem(sealed: CommitAction, repo: string, onto: string): Promise<CommitAction | string> {
  const blobs = new CatFileBatch(repo);
  try {
    const files = [];
    let trees = {};
    for (const change of sealed.changes) {
      const file = await readFileAt(repo, onto, change.path, blobs).catch((error: unknown) => {
        if (error instanceof HotfixError) return undefined;
        throw error;
      });
      if (!file) return `${change.path} is gone there`;
      trees = { ...file.trees, ...trees };
      files.push({ path: change.path, text: file.text, patches: change.patches });
    }
    let built;
    try {
      built = buildCommit({ id: sealed.id, repo: sealed.repo, branch: sealed.branch, purpose: sealed.purpose, parent: onto, trees, files, message: sealed.message, author: sealed.author, ...(sealed.render ? { render: sealed.render } : {}) });
    } catch (error) {
      if (!(error instanceof HotfixError)) throw error;
      return `the plan's edit no longer applies to ${sealed.changes.map((c) => c.path).join(', ')} there (the value it replaces changed)`;
    }
    const differing = sealed.changes.filter((change, i) => withoutIndex(change.diff) !== withoutIndex(built.action.changes[i]!.diff)).map((c) => c.path);
    if (differing.length > 0) return `${differing.join(', ')} changed at or near the lines the plan patches, so the diff would not be the reviewed one`;
    const rendered = sealed.render ? await renderProblem(sealed.render, repo, onto, built.texts) : undefined;
    if (rendered) return rendered;
    return { ...built.action, ...(sealed.rederive ? { rederive: sealed.rederive } : {}) };
  } finally {
    blobs.close();
  }
}

const withoutIndex = (diff: string) => diff.replace(/^index [^\n]*\n/m, '');

/**
 * The same diff can deploy something else on the new head: another file there (a base that
 * renames the image, a patch that pins it) may win over it. The plan's render check, run
 * again on the new head with the patched files, must still find the hotfix image running.
 */
async function renderProblem(render: RenderSpec, repo: string, onto: string, texts: Readonly<Record<string, string>>): Promise<string | undefined> {
  const named = render.workload !== undefined && render.container !== undefined ? { workload: render.workload, container: render.container } : {};
  const files = Object.entries(texts).map(([path, text]) => ({ path, text }));
  const result = await renderCheck({ repo, commit: onto, files, renderDir: render.dir, image: render.image, ...named }).catch((error: unknown) => {
    if (error instanceof HotfixError) return error.diagnostics[0]?.message ?? 'kubectl kustomize failed';
    throw error;
  });
  const dir = render.dir || '.';
  if (typeof result === 'string') return `the plan's render check of ${dir} could not be made there (${result})`;
  if (result.ok) return undefined;
  return `kubectl kustomize ${dir} there would run ${result.image ?? `no container of ${parseImageRef(render.image).name}`}${result.winner ? ` (set in ${result.winner})` : ''}, not ${render.image}`;
}

/** The merge-back again on `onto`: still clean, and bringing in exactly what it brought in at `parents[0]`. */
async function mergeProblem(sealed: MergeAction, repo: string, onto: string): Promise<MergeAction | string> {
  const tip = sealed.parents[1];
  const [planned, now] = [await commitsBetween(repo, sealed.parents[0], tip), await commitsBetween(repo, onto, tip)];
  if (planned.join('\n') !== now.join('\n')) {
    const gone = planned.filter((c) => !now.includes(c));
    return `the merge of ${sealed.from} there would bring in ${now.length} commit${now.length === 1 ? '' : 's'}, not the ${planned.length} it brings in as planned${gone.length > 0 ? ` (${gone.map((c) => c.slice(0, 7)).join(', ')} ${gone.length === 1 ? 'is' : 'are'} there already)` : ''}`;
  }
  const base = await mergeBase(repo, onto, tip);
  if (!base) return `${sealed.from} and the new head have no common commit`;
  const simulator = await MergeSimulator.open(repo, 'temporary');
  try {
    const result = await simulator.merge(base, await simulator.treeOf(onto), await simulator.treeOf(tip));
    if (result.conflicts.length > 0) return `merging ${sealed.from} there conflicts in ${result.conflicts.join(', ')}`;
    const commit = commitObject({ tree: result.tree, parents: [onto, tip], author: sealed.author, committer: sealed.author, message: sealed.message });
    return { ...sealed, parents: [onto, tip], base, tree: result.tree, commit: commit.id };
  } finally {
    await simulator.close();
  }
}

/** `git rev-list from..to`, sorted: which commits a merge of `to` into `from` brings in. */
async function commitsBetween(repo: string, from: string, to: string): Promise<string[]> {
  const { stdout } = await git(repo, ['rev-list', '--end-of-options', `${from}..${to}`]);
  return stdout.split('\n').filter(Boolean).sort();
}
