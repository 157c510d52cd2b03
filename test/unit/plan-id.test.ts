import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planTrailer, planTrailersIn, withTrailers } from '../../src/plan/commit-trailers.js';
import { commitObject } from '../../src/plan/git-objects.js';
import { planId, planWithOwnId, sealPlan, UNSEALED } from '../../src/plan/plan-id.js';
import type { Plan, PlanBody, PlanOutcome } from '../../src/plan/types.js';

const person = { name: 'Deploy Bot', email: 'deploy@example.com', date: '2026-12-03T10:00:00Z' };
const parent = 'a'.repeat(40);

/**
 * A pure planner of two chained commits and a push, as the real ones build them: each
 * message names the plan, so each id (and the second's parent) depends on it. `note` may
 * mention the first commit's id, to see which forms of it planId can set aside.
 */
function planner(note: (first: string) => string = () => 'no id here') {
  let made = 0;
  const plan = (self: string): PlanOutcome => {
    made += 1;
    const message = (subject: string) => withTrailers(`${subject}\n`, [planTrailer(self)]);
    const first = commitObject({ tree: 'b'.repeat(40), parents: [parent], author: person, committer: person, message: message('Revert "bump"') });
    const second = commitObject({ tree: 'c'.repeat(40), parents: [first.id], author: person, committer: person, message: message('Suspend automation') });
    const commit = (id: string, sha: string, parentSha: string, tree: string, subject: string) => ({ id, kind: 'commit' as const, repo: 'config', branch: 'rollback', purpose: 'revert' as const, parent: parentSha, commit: sha, tree, message: message(subject), author: person, committer: person, changes: [] });
    const body = {
      formatVersion: '2.0',
      actions: [
        commit('revert', first.id, parent, 'b'.repeat(40), 'Revert "bump"'),
        commit('suspend', second.id, first.id, 'c'.repeat(40), 'Suspend automation'),
        { id: 'push', kind: 'push', repo: 'config', remote: 'origin', url: 'https://example.com/config.git', refs: [{ ref: 'refs/heads/rollback', sha: second.id }], runHooks: false },
      ],
      notes: [note(first.id)],
    } as unknown as PlanBody;
    return { plan: sealPlan(body, self), diagnostics: [] };
  };
  return { plan, made: () => made };
}

test('planWithOwnId: every commit carries the id the plan is sealed with, and the id verifies against the body', () => {
  const p = planner();
  const outcome = planWithOwnId(p.plan);
  const plan = outcome.plan!;
  assert.is(p.made(), 2, 'made once to learn the id, once with it');
  assert.ok(plan.id !== UNSEALED);
  for (const action of plan.actions) if (action.kind === 'commit') assert.equal(planTrailersIn(action.message), [plan.id]);
  assert.is(planId(plan, plan.id), plan.id);
  // The commits really are made with the id in them: not the ids of the first making.
  const first = p.plan(UNSEALED).plan!;
  assert.is.not((plan.actions[0] as { commit: string }).commit, (first.actions[0] as { commit: string }).commit);
  assert.is(first.id, plan.id);
});

test('planId: a body changed in anything but the ids it sets aside hashes otherwise; another plan named in a trailer is hashed as written', () => {
  const plan = planWithOwnId(planner().plan).plan!;
  const edit = (change: (body: { actions: Array<Record<string, unknown>>; notes: string[] }) => void): string => {
    const copy = JSON.parse(JSON.stringify(plan)) as Plan & { actions: Array<Record<string, unknown>>; notes: string[] };
    change(copy);
    return planId(copy, plan.id);
  };
  assert.is.not(edit((b) => void (b.notes[0] = 'another note')), plan.id);
  assert.is.not(edit((b) => void (b.actions[0]!.parent = 'd'.repeat(40))), plan.id);
  // A commit that names an earlier plan (adopted from it): that id is part of what is hashed.
  const earlier = `sha256:${'1'.repeat(64)}`;
  assert.is.not(edit((b) => void (b.actions[0]!.message = String(b.actions[0]!.message).replace(plan.id, earlier))), plan.id);
  // The push pointed at the other made commit: the places of the made ids are hashed.
  assert.is.not(edit((b) => void ((b.actions[2]!.refs as Array<{ sha: string }>)[0]!.sha = String(b.actions[0]!.commit))), plan.id);
  // A format-1 body is hashed whole, as format 1 did.
  const v1 = { ...plan, formatVersion: '1.4' };
  assert.is.not(planId(v1, plan.id), plan.id);
});

test('planId: text that spells a placeholder cannot stand for what is set aside (a note naming a made commit, or the id itself)', () => {
  const plan = planWithOwnId(planner((first) => `apply makes ${first}`).plan).plan!;
  const spelled = (placeholder: string) => {
    const copy = JSON.parse(JSON.stringify(plan)) as Plan & { notes: string[] };
    copy.notes[0] = copy.notes[0]!.replace(/[0-9a-f]{40}$/, placeholder);
    return planId(copy, plan.id);
  };
  for (const placeholder of ['{made object 1}', '\\0made object 1\\0', '\0made object 1\0', '\u0000made object 1\u0000']) assert.is.not(spelled(placeholder), plan.id, JSON.stringify(placeholder));
});

test('planWithOwnId: an id the plan makes, abbreviated and run into other hex digits, cannot be set aside: HF393, no plan', () => {
  const outcome = planWithOwnId(planner((first) => `image main-${first.slice(0, 7)}20261203`).plan);
  assert.is(outcome.plan, undefined);
  assert.equal(outcome.diagnostics.map((d) => d.code), ['HF393']);
  // Whole, or abbreviated standing alone (a diff's index line, a deploy message), it can.
  assert.ok(planWithOwnId(planner((first) => `reverted as ${first}`).plan).plan);
  assert.ok(planWithOwnId(planner((first) => `reverted as ${first.slice(0, 7)}.`).plan).plan);
});

test('planWithOwnId: where the picks cannot carry the id, the plan is made with them naming none', () => {
  const seen: boolean[] = [];
  // As a planner whose picks change with the id: their abbreviation runs into other hex digits (as no recorded tag sets aside).
  const outcome = planWithOwnId((self, picksToo) => {
    seen.push(picksToo);
    return planner((first) => (picksToo ? `image main-${first.slice(0, 7)}20261203` : 'the picks name no plan')).plan(self);
  });
  assert.equal(seen, [true, true, false, false], 'twice with the picks, then twice without');
  assert.equal(outcome.plan!.notes, ['the picks name no plan']);
  assert.is(planId(outcome.plan!, outcome.plan!.id), outcome.plan!.id);
});

test.run();
