import { createHash } from 'node:crypto';
import type { Plan, PlanBody, PlanOutcome } from './types.js';
import { diagnostic } from '../diagnostics/diagnostic.js';

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
 * placeholder, and the ids of the objects the plan makes (whose content holds that trailer,
 * directly or through a parent) as their place in the plan. Those ids are hashes of fields
 * the body shows beside them, recomputed by apply before it writes anything (plan-consistency,
 * rehearsal), so setting them aside hides nothing; any other value of the trailer (an earlier
 * plan's, in a commit adopted from it) is hashed as written.
 */
export function planId(body: PlanBody, self: string = UNSEALED): string {
  const { id: _ignored, ...rest } = body as Plan;
  let json = canonicalJson(rest);
  if (Number(body.formatVersion.split('.')[0]) >= 2) {
    // Placeholders hold a raw NUL, which canonical JSON never does (JSON.stringify writes
    // \u0000): no text a body carries (a note, a pull request's body) can pose as one.
    json = json.split(`Hotfix-Plan: ${self}`).join('Hotfix-Plan: \0this plan\0');
    madeObjects(body).forEach((object, i) => (json = json.split(object).join(`\0made object ${i + 1}\0`)));
  }
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/** The ids of the commits and tag objects the plan makes, in the order it makes them. */
function madeObjects(body: PlanBody): string[] {
  return body.actions.flatMap((a) => (a.kind === 'commit' || a.kind === 'merge' || a.kind === 'cherry-pick' ? [a.commit] : a.kind === 'tag' ? [a.object] : []));
}

export function sealPlan(body: PlanBody, self: string = UNSEALED): Plan {
  return { ...body, id: planId(body, self) };
}

/**
 * A plan whose commits carry its own id: made once with UNSEALED in their trailers, which
 * gives the id, then again with that id, which must give the same id (planId sets both
 * aside alike). `plan` must be pure. The second making differs only if an id the plan makes
 * appears in it abbreviated, which planId cannot set aside: HF393, never a plan whose
 * commits name another.
 */
export function planWithOwnId(plan: (self: string) => PlanOutcome): PlanOutcome {
  const first = plan(UNSEALED);
  if (!first.plan) return first;
  const second = plan(first.plan.id);
  if (second.plan?.id === first.plan.id) return second;
  return { diagnostics: [diagnostic('HF393', `the plan's commits could not carry its id ${first.plan.id.slice(0, 19)}…: made again with it, the plan came out as ${second.plan?.id.slice(0, 19) ?? 'no plan'}…; this is a bug in hotfix: report it with the plan command and its --debug output`)] };
}
