import { commitIn, matchTemplate } from '../../policy/template.js';
import { CatFileBatch } from '../git/cat-file.js';
import { commitInfo } from '../git/commit-log.js';
import { isAncestor, mergeBase, readFileAt } from '../git/read.js';
import type { FileAtRevision, Person } from '../types.js';
import { git } from '../git/run-git.js';

/** A file a commit changes against its first parent: blob ids before and after (absent: added or deleted). */
export interface TipChange {
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
}

/**
 * A branch named like one a hotfix of this deployed commit pushes for review (git.via
 * pull-request), made before by an earlier or interrupted apply: where it is here and on
 * the push remote, and the commit at its tip, read so that the planner can adopt it when it
 * is the commit the plan would push, or say how it differs.
 */
export interface ReviewTip {
  readonly branch: string;
  readonly local?: string;
  readonly remote?: string;
  /** The commit at the local tip, else at the remote's when this clone has that object. */
  readonly commit?: {
    readonly sha: string;
    readonly parents: readonly string[];
    readonly tree: string;
    readonly author: Person;
    readonly committer: Person;
    /** The raw message, byte for byte as stored. */
    readonly message: string;
    readonly changes: readonly TipChange[];
    /** The given branches whose head holds its first parent: the base of a pull request that moved on since. */
    readonly baseIn: readonly string[];
    /** A merge's base with the deployed commit; a deploy's patched file at its first parent, to make the same commit there. */
    readonly mergeBase?: string;
    readonly file?: FileAtRevision;
  };
}

/**
 * The local and remote branches the review template could have given this deployed commit
 * (the commit and the environment in the name must be these; a {date} of any day matches),
 * each read once. Read-only.
 */
export async function readReviewTips(repo: string, template: string, deployed: { readonly sha: string; readonly env: string }, local: readonly string[], remote: Readonly<Record<string, string>>, heads: Readonly<Record<string, string>>, file?: string): Promise<ReviewTip[]> {
  const ours = (name: string) => {
    const values = matchTemplate(template, name);
    const commit = commitIn(values);
    return values !== undefined && (commit === undefined || deployed.sha.startsWith(commit)) && (values.env === undefined || values.env === deployed.env);
  };
  const names = [...new Set([...local, ...Object.keys(remote)])].filter(ours).sort();
  const tips: ReviewTip[] = [];
  for (const branch of names) {
    const localTip = local.includes(branch) ? (await git(repo, ['rev-parse', '--verify', '--end-of-options', `refs/heads/${branch}^{commit}`])).stdout.trim() : undefined;
    const remoteTip = Object.hasOwn(remote, branch) ? remote[branch] : undefined;
    const commit = await readTip(repo, localTip ?? remoteTip!, heads, deployed.sha, file);
    tips.push({ branch, ...(localTip ? { local: localTip } : {}), ...(remoteTip ? { remote: remoteTip } : {}), ...(commit ? { commit } : {}) });
  }
  return tips;
}

async function readTip(repo: string, sha: string, heads: Readonly<Record<string, string>>, deployed: string, file: string | undefined): Promise<ReviewTip['commit']> {
  // A remote's tip this clone never fetched is not here to compare.
  const raw = await git(repo, ['cat-file', 'commit', sha], { okCodes: [128] });
  if (raw.code !== 0) return undefined;
  const split = raw.stdout.indexOf('\n\n');
  const headers = raw.stdout.slice(0, split).split('\n');
  const message = raw.stdout.slice(split + 2);
  const tree = headers.find((h) => h.startsWith('tree '))!.slice(5);
  const parents = headers.filter((h) => h.startsWith('parent ')).map((h) => h.slice(7));
  const first = parents[0];
  const changes = first === undefined ? [] : await changesAgainst(repo, first, sha);
  const baseIn: string[] = [];
  if (first !== undefined) for (const [branch, head] of Object.entries(heads)) if (await isAncestor(repo, first, head)) baseIn.push(branch);
  const { author, committer } = await commitInfo(repo, sha);
  const base = parents.length === 2 ? await mergeBase(repo, first!, deployed) : undefined;
  const blobs = file !== undefined && first !== undefined ? new CatFileBatch(repo) : undefined;
  const at = blobs ? await readFileAt(repo, first!, file!, blobs).catch(() => undefined).finally(() => blobs.close()) : undefined;
  return { sha, parents, tree, author, committer, message, changes, baseIn, ...(base ? { mergeBase: base } : {}), ...(at ? { file: at } : {}) };
}

const ZERO = /^0+$/;

async function changesAgainst(repo: string, parent: string, sha: string): Promise<TipChange[]> {
  const { stdout } = await git(repo, ['diff-tree', '-r', '-z', '--no-renames', '--end-of-options', parent, sha]);
  const fields = stdout.split('\0');
  const out: TipChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [, , before, after] = fields[i]!.split(' ');
    out.push({ path: fields[i + 1]!, ...(before && !ZERO.test(before) ? { before } : {}), ...(after && !ZERO.test(after) ? { after } : {}) });
  }
  return out;
}
