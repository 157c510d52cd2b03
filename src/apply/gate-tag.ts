import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { buildCommit, type CommitAction } from '../plan/build-commit.js';
import type { Action, Plan } from '../plan/types.js';
import { imageTagProblem, matchTemplate } from '../policy/template.js';
import { CatFileBatch } from '../state/git/cat-file.js';
import { readFileAt } from '../state/git/read.js';
import { repoPath, type Facts } from './verify-preconditions.js';

/** The tag a gate decided, as the journal keeps it, and the commits made with it instead of the planned ones. */
export interface GateTagRecord {
  readonly action: string;
  readonly pattern: string;
  readonly tag: string;
  /** The tags of the list that fitted the pattern when the gate passed, newest first. */
  readonly fitting: readonly string[];
  /** The commits made with the tag instead of the planned ones. */
  readonly made?: readonly { readonly action: string; readonly planned: string; readonly applied: string }[];
}

type Gate = Extract<Action, { kind: 'gate' }>;

/**
 * The plan with the gate's tag decided: the gate waits for that exact image from now on,
 * and each deploy commit that takes its tag from the gate is made again on its own parent
 * with the tag in place of the pattern, which must give the reviewed diff and message with
 * only the pattern's undecided parts filled in (the rule tag-at-gate.ts states); every push
 * of the planned commit pushes the one made. HF437 where the tag does not fit or the diff
 * would differ otherwise. Which commits take the tag is the sealed plan's word: one made
 * again on a moved branch is the same action. Writes nothing.
 */
export async function withGateTag(plan: Plan, record: GateTagRecord, repos: Facts['repos'], sealed: Plan = plan): Promise<{ readonly plan: Plan; readonly remade: ReadonlyMap<string, { planned: string; applied: string }> }> {
  const gate = plan.actions.find((a): a is Gate => a.kind === 'gate' && a.id === record.action);
  const takers = new Set(sealed.actions.flatMap((a) => (a.kind === 'commit' && a.tagFromGate?.gate === record.action ? [a.id] : [])));
  const refuse = (why: string) => new HotfixError([diagnostic('HF437', `the tag decided at ${record.action}, ${record.tag}, ${why}; nothing was written for it. Make and review the plan again`)]);
  if (!gate || gate.tagAtGate !== record.pattern) throw refuse(`is for a gate of pattern ${record.pattern}, which this plan does not have`);
  if (imageTagProblem(record.tag) !== undefined || matchTemplate(record.pattern, record.tag) === undefined) throw refuse(`does not fit ${record.pattern}`);
  const remade = new Map<string, { planned: string; applied: string }>();
  const actions: Action[] = [];
  for (const action of plan.actions) {
    if (action === gate) {
      const { tagAtGate: _decided, ...exact } = gate;
      actions.push({ ...exact, image: `${gate.image.slice(0, -record.pattern.length)}${record.tag}` });
    } else if (action.kind === 'commit' && takers.has(action.id)) {
      const made = await withTag(action, record, repoPath(repos, action.repo));
      if (typeof made === 'string') throw refuse(made);
      remade.set(action.id, { planned: action.commit, applied: made.commit });
      actions.push(made);
    } else actions.push(action);
  }
  const swap = (sha: string) => [...remade.values()].find((r) => r.planned === sha)?.applied ?? sha;
  const pushed = actions.map((a) => (a.kind === 'push' ? { ...a, refs: a.refs.map((r) => ({ ...r, sha: swap(r.sha) })) } : a.kind === 'open-pull-request' ? pullRequestWithTags(a, [record]) : a));
  return { plan: { ...plan, actions: pushed }, remade };
}

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;

/** A pull request's title and body with the tags the gates decided in place of their patterns: the subject of the commit it carries, as made. */
export function pullRequestWithTags(action: PullRequest, records: readonly GateTagRecord[]): PullRequest {
  const fill = (text: string) => withTags(text, records);
  return { ...action, title: fill(action.title), ...(action.body !== undefined ? { body: fill(action.body) } : {}) };
}

/** The text with each decided tag in place of its pattern. */
export function withTags(text: string, records: readonly GateTagRecord[]): string {
  return records.reduce((t, r) => t.replaceAll(r.pattern, r.tag), text);
}

/** The deploy commit with the decided tag, on the same parent; or why it is not the reviewed one with that tag. */
async function withTag(sealed: CommitAction, record: GateTagRecord, repo: string): Promise<CommitAction | string> {
  const fill = (text: string) => text.replaceAll(record.pattern, record.tag);
  const blobs = new CatFileBatch(repo);
  try {
    const files = [];
    let trees = {};
    for (const change of sealed.changes) {
      const file = await readFileAt(repo, sealed.parent, change.path, blobs).catch((error: unknown) => {
        if (error instanceof HotfixError) return undefined;
        throw error;
      });
      if (!file) return `cannot be written: ${change.path} is not in ${sealed.parent.slice(0, 7)}`;
      trees = { ...file.trees, ...trees };
      files.push({ path: change.path, text: file.text, patches: change.patches.map((p) => ({ ...p, ops: p.ops.map((op) => ('value' in op && typeof op.value === 'string' && op.op !== 'test' ? { ...op, value: fill(op.value) } : op)) })) });
    }
    let built;
    try {
      const { id, repo: name, branch, purpose, parent, author } = sealed;
      built = buildCommit({ id, repo: name, branch, purpose, parent, trees, files, message: fill(sealed.message), author, ...(sealed.render ? { render: { ...sealed.render, image: fill(sealed.render.image) } } : {}) });
    } catch (error) {
      if (!(error instanceof HotfixError)) throw error;
      return `cannot be written into ${sealed.changes.map((c) => c.path).join(', ')} (${error.diagnostics[0]?.message ?? 'the edit fails'})`;
    }
    const differing = sealed.changes.filter((change, i) => withoutIndex(fill(change.diff)) !== withoutIndex(built.action.changes[i]!.diff)).map((c) => c.path);
    if (differing.length > 0) return `would make a diff of ${differing.join(', ')} that differs from the reviewed one in more than ${record.pattern}'s undecided parts`;
    return { ...built.action, ...(sealed.rederive ? { rederive: sealed.rederive } : {}) };
  } finally {
    blobs.close();
  }
}

const withoutIndex = (diff: string) => diff.replace(/^index [^\n]*\n/m, '');
