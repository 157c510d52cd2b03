import { git } from '../git/run-git.js';
import { isAncestor, mergeBase } from '../git/read.js';

/** One commit a hotfix adds to the commit it was cut from. */
export interface HotfixCommit {
  readonly sha: string;
  readonly subject: string;
  /** `git patch-id --stable` of its change; undefined when it changes nothing. */
  readonly patchId?: string;
  /** The commit it was cherry-picked from, as its `(cherry picked from commit …)` line says. */
  readonly origin?: string;
}

/** What a running commit carries that the mainline it was cut from did not have. */
export interface HotfixChanges {
  /** The mainline commit the hotfix was cut from. */
  readonly base: string;
  readonly head: string;
  readonly commits: readonly HotfixCommit[];
  /** The patch-id of base..head as one change: what a squash of the hotfix branch has. */
  readonly squashPatchId?: string;
}

/** What a branch or commit holds of one hotfix, read from git for the pure decision. */
export interface TargetContents {
  readonly name: string;
  readonly sha: string;
  /** Hotfix commits and their origins that are ancestors of the target. */
  readonly ancestors: readonly string[];
  /** Patch-ids of the target's own commits since its merge base with the hotfix head. */
  readonly patchIds: readonly string[];
  /** What those commits say they were cherry-picked from (`git cherry-pick -x`), conflicts resolved or not. */
  readonly pickedFrom: readonly string[];
}

// Diff settings fixed so that a patch-id never depends on the user's config. No context
// lines (-U0): a change picked onto a branch whose neighbouring lines moved on (a setting
// changed two lines away) is still the same lines removed and added, so still the same id.
const DIFF = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '-U0', '-p'];

/**
 * The mainline commit `head` was cut from: where they fork, or, once the hotfix was merged
 * into the mainline, the newest commit of the mainline's first-parent line that `head`
 * has (the merge's first parent side). A head on that line is no hotfix: it is its own base.
 */
export async function hotfixBase(repo: string, head: string, mainline: string): Promise<string | undefined> {
  const fork = await mergeBase(repo, head, mainline);
  if (fork === undefined || fork !== head) return fork;
  const { stdout } = await git(repo, ['rev-list', '--first-parent', mainline, '--not', head, '--']);
  const ahead = stdout.split('\n').filter(Boolean);
  if (ahead.length === 0) return head;
  const { stdout: parent } = await git(repo, ['rev-parse', '--verify', '--quiet', `${ahead.at(-1)}^1`]);
  return parent.trim();
}

async function readHotfixChanges(repo: string, base: string, head: string): Promise<HotfixChanges> {
  if (base === head) return { base, head, commits: [] };
  const { stdout } = await git(repo, ['log', '--no-merges', '--reverse', '--format=%H%x00%s%x00%B%x00', `${base}..${head}`, '--']);
  const records = stdout.split('\0');
  const listed: Array<{ sha: string; subject: string; origin?: string }> = [];
  for (let i = 0; i + 2 < records.length; i += 3) {
    const origin = /\(cherry picked from commit ([0-9a-f]{40})\)/.exec(records[i + 2]!)?.[1];
    listed.push({ sha: records[i]!.trim(), subject: records[i + 1]!, ...(origin ? { origin } : {}) });
  }
  if (listed.length === 0) return { base, head, commits: [] };
  const ids = await patchIds(repo, [`${base}..${head}`]);
  const squash = (await git(repo, ['patch-id', '--stable'], { input: (await git(repo, ['diff', ...DIFF, base, head, '--'])).stdout })).stdout.split(' ')[0];
  return {
    base,
    head,
    commits: listed.map((c) => ({ ...c, ...(ids.has(c.sha) ? { patchId: ids.get(c.sha)! } : {}) })),
    ...(squash ? { squashPatchId: squash } : {}),
  };
}

/** What `target` holds of the hotfix: which of its commits it has, and its own changes since they forked. */
async function readTargetContents(repo: string, name: string, target: string, changes: HotfixChanges): Promise<TargetContents> {
  const candidates = [...new Set(changes.commits.flatMap((c) => [c.sha, ...(c.origin ? [c.origin] : [])]))];
  const ancestors: string[] = [];
  for (const sha of candidates) if (await isAncestor(repo, sha, target).catch(() => false)) ancestors.push(sha);
  const fork = await mergeBase(repo, target, changes.head);
  if (fork === target) return { name, sha: target, ancestors, patchIds: [], pickedFrom: [] };
  const own = fork ? [target, '--not', fork] : [target];
  const ids = await patchIds(repo, own);
  const { stdout } = await git(repo, ['log', '--no-merges', '--format=%B', ...own, '--']);
  const pickedFrom = [...stdout.matchAll(/\(cherry picked from commit ([0-9a-f]{40})\)/g)].map((m) => m[1]!);
  return { name, sha: target, ancestors, patchIds: [...new Set(ids.values())], pickedFrom: [...new Set(pickedFrom)] };
}

/** Commit → patch-id of each non-merge commit of the range; commits that change nothing have none. */
export async function patchIds(repo: string, range: readonly string[]): Promise<Map<string, string>> {
  const log = await git(repo, ['log', '--no-merges', ...DIFF, '--format=commit %H', ...range, '--']);
  const { stdout } = await git(repo, ['patch-id', '--stable'], { input: log.stdout });
  const out = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const [id, sha] = line.split(' ');
    if (id && sha) out.set(sha, id);
  }
  return out;
}

export interface ContainmentFacts {
  readonly changes: HotfixChanges;
  readonly targets: readonly TargetContents[];
}

/** The hotfix base..head and what each target (a branch or commit, by name and id) holds of it. */
export async function readContainment(repo: string, base: string, head: string, targets: ReadonlyArray<{ readonly name: string; readonly sha: string }>): Promise<ContainmentFacts> {
  const changes = await readHotfixChanges(repo, base, head);
  const contents: TargetContents[] = [];
  for (const t of targets) contents.push(await readTargetContents(repo, t.name, t.sha, changes));
  return { changes, targets: contents };
}
