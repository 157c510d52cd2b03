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
/** More than a review could gather: a list this long came from somewhere else (an edited journal). */
const MAX_APPROVERS = 50;

/** `Approved-by: alice (octo-org/deploy#42)`, one per approver, as the approval the journal keeps names them. */
export function approvedByTrailers(approval: ApprovalRecord): string[] {
  const approvers = [...new Set(approval.approvers)];
  if (approvers.length > MAX_APPROVERS)
    throw new HotfixError([diagnostic('HF524', `the approval names ${approvers.length} approvers, more than the ${MAX_APPROVERS} apply writes into Approved-by trailers; nothing was written`)]);
  const bad = [...approvers.filter((a) => !LOGIN.test(a)), ...(REQUEST.test(approval.pullRequest) ? [] : [approval.pullRequest])];
  if (bad.length > 0)
    throw new HotfixError([diagnostic('HF524', `the forge's approval names ${bad.map((b) => JSON.stringify(b).slice(0, 80)).join(', ')}, which is not a user name or pull request apply writes into an Approved-by trailer; nothing was written`)]);
  return approvers.map((login) => `Approved-by: ${login} (${approval.pullRequest})`);
}

/** The approvers a commit or tag message names for this pull request, as approvedByTrailers writes them, in order. */
export function approversIn(message: string, pullRequest: string): string[] {
  const named = [...message.matchAll(/^Approved-by: (\S+) \((\S+)\)$/gm)].filter(([, login, request]) => request === pullRequest && LOGIN.test(login!));
  return [...new Set(named.map(([, login]) => login!))];
}

/**
 * The plan with every commit and tag object it makes carrying `Approved-by:` trailers after
 * its other ones, as Gerrit adds Reviewed-by when it submits: `git log` then names who
 * approved what reached the branch. A commit's id covers its message, so each such commit
 * gets a new id, and so does every commit after it that names it as a parent; the trees,
 * diffs and everything else reviewed stay as they are. Later parents, tag targets and
 * pushes name the new ids, and so do messages, pull request words and commands for a
 * person (whole, or as 7-digit abbreviations standing alone, as planId finds them); names
 * and file content never change (renamed). Left as planned: the commits a gate's revision is or descends from (the picks of
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
    // What the gate builds is exactly as planned, its words included: its id covers them.
    if (isBuilt(planned, built)) return planned;
    const action = renamed(planned, ids);
    const made = signedAction(action, trailers);
    const [before, after] = [madeId(planned), madeId(made)];
    if (before !== undefined && after !== undefined && before !== after) {
      ids.set(before, after);
      signed.set(planned.id, { planned: before, applied: after });
    }
    return made;
  });
  // Each action names only what comes before it, so one pass in order renames every reference.
  return { plan: { ...plan, actions }, signed };
}

function signedAction(action: Action, trailers: readonly string[]): Action {
  switch (action.kind) {
    case 'cherry-pick': {
      const message = withTrailers(action.message, trailers);
      return { ...action, message, commit: commitObject({ tree: action.tree, parents: [action.parent], author: action.author, committer: action.committer, message }).id };
    }
    case 'commit': {
      const message = withTrailers(action.message, trailers);
      // As buildCommit makes it, which the rehearsal and apply run again: the author commits.
      return { ...action, message, commit: commitObject({ tree: action.tree, parents: [action.parent], author: action.author, committer: action.author, message }).id };
    }
    case 'merge': {
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

const isBuilt = (action: Action, built: ReadonlySet<string>): boolean => (action.kind === 'commit' || action.kind === 'merge' || action.kind === 'cherry-pick') && built.has(action.commit);

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

/** Fields that hold one commit or tag object id: renamed where the value is a planned id. */
const ID_FIELDS = new Set(['parent', 'parents', 'base', 'target', 'sha', 'revision', 'from', 'head']);
/** Words for people and git that may name a made commit, whole or abbreviated: renamed inside. */
const TEXT_FIELDS = new Set(['message', 'title', 'body', 'commands']);

/**
 * The action with each planned id in `ids` replaced by its new one: where a field holds an
 * id, and inside a message, a pull request's words or a person's commands (whole, or as a
 * 7-digit abbreviation standing alone, as planId finds them). Nothing else: names of
 * branches, refs and remotes, URLs and file content (which the rehearsal rebuilds from the
 * patches) stay as reviewed, even where one reads like an abbreviation.
 */
function renamed<T>(value: T, ids: ReadonlyMap<string, string>, field = ''): T {
  if (ids.size === 0) return value;
  if (typeof value === 'string') {
    if (ID_FIELDS.has(field)) return (ids.get(value) ?? value) as T;
    if (!TEXT_FIELDS.has(field)) return value;
    let text: string = value;
    for (const [before, after] of ids) {
      text = text.replace(new RegExp(`(?<![0-9a-f])${before}(?![0-9a-f])`, 'g'), after);
      text = text.replace(new RegExp(`(?<![0-9a-f])${before.slice(0, 7)}(?![0-9a-f])`, 'g'), after.slice(0, 7));
    }
    return text as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => renamed(v, ids, field)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, ids, k)])) as T;
  return value;
}
