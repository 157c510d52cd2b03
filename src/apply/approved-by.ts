import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { withTrailers } from '../plan/commit-trailers.js';
import { commitObject, tagObject } from '../plan/git-objects.js';
import type { Action, Plan } from '../plan/types.js';
import type { ApprovalRecord } from './approval-record.js';

/** A commit or tag object made again with the approvers in its message: the planned id and the one apply writes. */
export interface Signed {
  readonly planned: string;
  readonly applied: string;
}

// What GitHub logins and GitLab usernames are made of (a GitHub App's account ends in [bot]),
// and how apply --pr names a pull or merge request: nothing else goes into a commit message.
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,253}[A-Za-z0-9_])?(?:\[bot\])?$/;
const REQUEST = /^[A-Za-z0-9._/-]{1,400}[#!][0-9]{1,12}$/;

/** `Approved-by: alice (octo-org/deploy#42)`, one per approver, as the approval the journal keeps names them. */
export function approvedByTrailers(approval: ApprovalRecord): string[] {
  const bad = [...approval.approvers.filter((a) => !LOGIN.test(a)), ...(REQUEST.test(approval.pullRequest) ? [] : [approval.pullRequest])];
  if (bad.length > 0)
    throw new HotfixError([diagnostic('HF524', `the forge's approval names ${bad.map((b) => JSON.stringify(b).slice(0, 80)).join(', ')}, which is not a user name or pull request apply writes into an Approved-by trailer; nothing was written`)]);
  return approval.approvers.map((login) => `Approved-by: ${login} (${approval.pullRequest})`);
}

/**
 * The plan with every commit and tag object it makes carrying `Approved-by:` trailers after
 * its other ones, as Gerrit adds Reviewed-by when it submits: `git log` then names who
 * approved what reached the branch. A commit's id covers its message, so each such commit
 * gets a new id, and so does every commit after it that names it as a parent; the trees,
 * diffs and everything else reviewed stay as they are. The pushes, pull requests and notes
 * name the new ids (whole, or as 7-digit abbreviations standing alone, as planId finds
 * them). Left as planned: the commits a gate's revision is or descends from (the picks of
 * a hotfix), since CI builds and checks exactly those and the image tag may name the head.
 * The plan keeps its id: it is the reviewed plan as apply carries it out, and its journal.
 * Pure; the rehearsal recomputes every object before anything is written.
 */
export function withApprovers(plan: Plan, approval: ApprovalRecord | undefined): { readonly plan: Plan; readonly signed: ReadonlyMap<string, Signed> } {
  const trailers = approval ? approvedByTrailers(approval) : [];
  if (trailers.length === 0) return { plan, signed: new Map() };
  const built = builtAtGates(plan.actions);
  const ids = new Map<string, string>();
  const signed = new Map<string, Signed>();
  const actions = plan.actions.map((planned): Action => {
    const action = renamed(planned, ids);
    const made = signedAction(action, trailers, built);
    const [before, after] = [madeId(planned), madeId(made)];
    if (before !== undefined && after !== undefined && before !== after) {
      ids.set(before, after);
      signed.set(planned.id, { planned: before, applied: after });
    }
    return made;
  });
  const { id, ...rest } = plan;
  return { plan: { ...renamed({ ...rest, actions }, ids), id }, signed };
}

function signedAction(action: Action, trailers: readonly string[], built: ReadonlySet<string>): Action {
  switch (action.kind) {
    case 'cherry-pick': {
      if (built.has(action.commit)) return action;
      const message = withTrailers(action.message, trailers);
      return { ...action, message, commit: commitObject({ tree: action.tree, parents: [action.parent], author: action.author, committer: action.committer, message }).id };
    }
    case 'commit': {
      if (built.has(action.commit)) return action;
      const message = withTrailers(action.message, trailers);
      // As buildCommit makes it, which the rehearsal and apply run again: the author commits.
      return { ...action, message, commit: commitObject({ tree: action.tree, parents: [action.parent], author: action.author, committer: action.author, message }).id };
    }
    case 'merge': {
      if (built.has(action.commit)) return action;
      const message = withTrailers(action.message, trailers);
      return { ...action, message, commit: commitObject({ tree: action.tree, parents: action.parents, author: action.author, committer: action.author, message }).id };
    }
    case 'tag': {
      const message = withTrailers(action.message, trailers);
      return { ...action, message, object: tagObject({ target: action.target, name: action.tag, tagger: action.tagger, message }).id };
    }
    default:
      return action;
  }
}

const madeId = (action: Action): string | undefined => (action.kind === 'commit' || action.kind === 'merge' || action.kind === 'cherry-pick' ? action.commit : action.kind === 'tag' ? action.object : undefined);

/** The commits the plan makes that a gate's revision is, or descends from through the plan's own commits. */
function builtAtGates(actions: readonly Action[]): Set<string> {
  const parents = new Map<string, readonly string[]>();
  for (const a of actions) {
    if (a.kind === 'commit' || a.kind === 'cherry-pick') parents.set(a.commit, [a.parent]);
    else if (a.kind === 'merge') parents.set(a.commit, a.parents);
  }
  const built = new Set<string>();
  const visit = (id: string): void => {
    if (built.has(id) || !parents.has(id)) return;
    built.add(id);
    parents.get(id)!.forEach(visit);
  };
  for (const a of actions) if (a.kind === 'gate') visit(a.revision);
  return built;
}

/**
 * What a file holds, which the rehearsal rebuilds from the patches and must find as shown:
 * never renamed, so a hex word in a config file that happens to read like an abbreviated
 * id stays as reviewed.
 */
const CONTENT = new Set(['changes', 'diff', 'files']);

/** The value with each planned id in `ids` replaced by its new one, whole and as a 7-digit abbreviation standing alone, outside file content. */
function renamed<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (ids.size === 0) return value;
  if (typeof value === 'string') {
    let text: string = value;
    for (const [before, after] of ids) {
      text = text.replace(new RegExp(`(?<![0-9a-f])${before}(?![0-9a-f])`, 'g'), after);
      text = text.replace(new RegExp(`(?<![0-9a-f])${before.slice(0, 7)}(?![0-9a-f])`, 'g'), after.slice(0, 7));
    }
    return text as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => renamed(v, ids)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, CONTENT.has(k) ? v : renamed(v, ids)])) as T;
  return value;
}
