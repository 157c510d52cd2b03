import { createHash } from 'node:crypto';
import type { Plan, PlanBody, PlanOutcome } from './types.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { plannedTag } from './tag-at-gate.js';

/** JSON with object keys sorted at every level: the same data always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** What the commits of a plan carry before its id is known (planWithOwnId). */
export const UNSEALED = `sha256:${'0'.repeat(64)}`;

/**
 * sha256 of the canonical JSON of the body, where (format 2) the commits the plan makes
 * name it in a `Hotfix-Plan:` trailer: `self`, the id claimed, is written there as one
 * placeholder, and what the plan derives from the objects it makes (whose content holds that
 * trailer, directly or through a parent) as their place in the plan: the ids of its commits
 * and tag objects, whole or as 7-digit abbreviations standing alone (a deploy message), and,
 * where a file it changes names such a commit, the hotfix image tag CI names after the
 * hotfix head (gate.tagFromHead) and the trees and new blobs that hold it (madeObjects). Each is a hash of fields the body shows beside it, or the tag's
 * recorded template filled with the gate's revision; plan-consistency and the rehearsal
 * recompute them before apply writes anything, so setting them aside hides nothing. Any
 * other value of the trailer (an earlier plan's, in a commit adopted from it) is hashed as
 * written. Placeholders hold a raw NUL, which canonical JSON never does (JSON.stringify
 * writes \u0000), so no text a body carries (a note, a pull request's body) can pose as one.
 */
export function planId(body: PlanBody, self: string = UNSEALED): string {
  const { id: _ignored, ...rest } = body as Plan;
  let json = canonicalJson(rest);
  if (Number(String(body.formatVersion).split('.')[0]) >= 2) {
    json = json.split(`Hotfix-Plan: ${self}`).join('Hotfix-Plan: \0this plan\0');
    headTags(body).forEach((tag, i) => (json = json.split(tag).join(`\0hotfix image tag ${i + 1}\0`)));
    const made = madeObjects(body);
    made.forEach((object, i) => (json = json.split(object).join(`\0made object ${i + 1}\0`)));
    made.forEach((object, i) => (json = json.replace(new RegExp(`(?<![0-9a-f])${object.slice(0, 7)}(?![0-9a-f])`, 'g'), `\0made object ${i + 1}, abbreviated\0`)));
  }
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/**
 * The ids of the commits and tag objects the plan makes, in the order it makes them, and
 * where a file it changes names one of them (a hotfix image tag that names the head), the
 * trees and changed files' new blobs too: those are checked by the rehearsal, not by show,
 * so they are set aside only where they must be.
 */
function madeObjects(body: PlanBody): string[] {
  const contentNamesCommits = headTags(body).length > 0;
  const ids: unknown[] = actionsOf(body).flatMap((a) => {
    const contents = contentNamesCommits && (a.kind === 'commit' || a.kind === 'merge' || a.kind === 'cherry-pick') ? [a.tree, ...(a.kind === 'commit' && Array.isArray(a.changes) ? (a.changes as ReadonlyArray<{ after?: unknown } | null>).map((c) => c?.after) : [])] : [];
    return a.kind === 'commit' || a.kind === 'merge' || a.kind === 'cherry-pick' ? [a.commit, ...contents] : a.kind === 'tag' ? [a.object] : [];
  });
  return [...new Set(ids)].filter((id): id is string => typeof id === 'string' && /^[0-9a-f]{40}$/.test(id));
}

/** The image tags CI names after a commit the plan makes, longest first (one may hold another). */
function headTags(body: PlanBody): string[] {
  const tags = actionsOf(body).flatMap((a) => (a.kind === 'gate' && typeof a.tagFromHead === 'string' && typeof a.image === 'string' && (a.tagAtGate === undefined || typeof a.tagAtGate === 'string') ? [plannedTag(a)] : []));
  return [...new Set(tags)].filter((tag) => tag.length > 0).sort((a, b) => b.length - a.length);
}

/** The actions of any body, a hand-edited one too (read-plan checks the schema after the id). */
function actionsOf(body: PlanBody): PlanBody['actions'] {
  return Array.isArray(body.actions) ? body.actions.filter((a) => typeof a === 'object' && a !== null) : [];
}

export function sealPlan(body: PlanBody, self: string = UNSEALED): Plan {
  return { ...body, id: planId(body, self) };
}

/**
 * A plan whose commits carry its own id: made once with UNSEALED in their trailers, which
 * gives the id, then again with that id, which must give the same id (planId sets both
 * aside alike). `plan` must be pure. First with the picks carrying it too; where the hotfix
 * image names the head in a form planId cannot set aside (an abbreviation run into other
 * hex digits, outside the recorded tag), the two makings differ, and the plan is made with
 * the picks naming no plan (the planner says so in a note). HF393 if even that differs: a
 * bug, never a plan whose commits name another.
 */
export function planWithOwnId(plan: (self: string, picksToo: boolean) => PlanOutcome): PlanOutcome {
  let last: { first: string; second: string | undefined } | undefined;
  for (const picksToo of [true, false]) {
    const first = plan(UNSEALED, picksToo);
    if (!first.plan) return first;
    const second = plan(first.plan.id, picksToo);
    if (second.plan?.id === first.plan.id) return second;
    last = { first: first.plan.id, second: second.plan?.id };
  }
  return { diagnostics: [diagnostic('HF393', `the plan's commits could not carry its id ${last!.first.slice(0, 19)}…: made again with it, the plan came out as ${last!.second?.slice(0, 19) ?? 'no plan'}…; this is a bug in hotfix: report it with the plan command and its --debug output`)] };
}
