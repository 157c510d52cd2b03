// The attacks the fidelity checks exist for, one by one, through the built CLI: a plan edited
// and re-sealed so that what `show` prints is not what apply would write. Each is refused
// by apply with its code and nothing written; where a repository is not needed to see it,
// `show` refuses it too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { resealed } from '../helpers/hostile-plans.js';
import { applyPlan, gitOut, planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { runCli, runCliAsync } from '../helpers/run-cli.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

let registry: TestRegistry;
let rollback: { s: GitopsScenario; plan: Plan };
let hotfix: { h: GatedHotfix; plan: Plan };

test.before(async () => {
  registry = await startTestRegistry();
  const s = await scenario();
  rollback = { s, plan: planRollback(s, ['--reason', 'bad release']).plan! };
  const h = await gatedHotfix(registry.host, 11);
  hotfix = { h, plan: JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan };
});

test.after(async () => {
  await registry.stop();
});

function save(dir: string, content: string): string {
  const file = join(dir, `attack-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  return file;
}

/** The refs of every repository the plan names, its paths taken from `root`, where it was made. */
const repoRefs = (plan: Plan, root: string) => Object.values(plan.repos).map((path) => refs(resolve(root, path)));

test('a diff that shows one tag while the edit writes another: show prints the edit, apply refuses (HF416) and writes nothing', () => {
  const { s, plan } = rollback;
  const evil = 'main-0000000';
  const file = save(s.root, resealed(plan, (p) => (p.actions.find((a: { id: string }) => a.id === 'revert').changes[0].patches[0].ops[1].value = evil)));
  const shown = runCli(['show', file], { cwd: s.root });
  assert.is(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, `replace /images/1/newTag = "${evil}"`);
  const before = repoRefs(plan, s.root);
  const r = applyPlan(s, file);
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, /rehearsing revert: .*\[HF416\]/);
  assert.equal(repoRefs(plan, s.root), before);
});

test('blob ids beside the diff that are not the file before and after: apply refuses (HF416)', () => {
  const { s, plan } = rollback;
  const file = save(s.root, resealed(plan, (p) => (p.actions.find((a: { id: string }) => a.id === 'revert').changes[0].before = '1'.repeat(40))));
  const before = repoRefs(plan, s.root);
  const r = applyPlan(s, file);
  assert.match(r.stderr, /changes\[0\]\.before .*\[HF416\]/);
  assert.equal(repoRefs(plan, s.root), before);
});

test('a commit id that is not the hash of what it shows: show and apply refuse (HF415)', () => {
  const { s, plan } = rollback;
  const file = save(s.root, resealed(plan, (p) => (p.actions.find((a: { id: string }) => a.id === 'revert').message = 'Harmless tidy-up\n')));
  for (const r of [runCli(['show', file], { cwd: s.root }), applyPlan(s, file)]) {
    assert.is(r.code, 1);
    assert.match(r.stderr, /revert: the commit is [0-9a-f]{12} by its content.*\[HF415\]/);
  }
});

test('a push of a commit other than the one the plan makes: refused (HF415)', () => {
  const { s, plan } = rollback;
  const main = gitOut(s.configRepo, ['rev-parse', 'main~3']).trim();
  assert.ok(plan.actions.some((a) => a.kind === 'push'), 'the rollback plan pushes');
  const file = save(s.root, resealed(plan, (p) => (p.actions.find((a: { kind: string }) => a.kind === 'push').refs[0].sha = main)));
  const r = applyPlan(s, file);
  assert.match(r.stderr, /pushes [0-9a-f]{12} to refs\/heads\/rollback.*\[HF415\]/);
});

test('a merge shown as the hotfix branch that merges another commit: refused (HF415)', async () => {
  const { h, plan } = hotfix;
  const merge = plan.actions.find((a) => a.kind === 'merge');
  assert.ok(merge, 'the hotfix plan merges back');
  const other = gitOut(h.s.appRepo, ['rev-parse', 'main~2']).trim();
  const file = save(h.s.root, resealed(plan, (p) => {
    const m = p.actions.find((a: { kind: string }) => a.kind === 'merge');
    m.parents[1] = other;
  }));
  const r = await runCliAsync(['show', file], { cwd: h.s.root });
  assert.is(r.code, 1);
  assert.match(r.stderr, /shown as a merge of hotfix\/.*\[HF415\]/);
});

test('a merge shown as a merge of main while it merges the hotfix branch: refused (HF415)', async () => {
  const { h, plan } = hotfix;
  const file = save(h.s.root, resealed(plan, (p) => (p.actions.find((a: { kind: string }) => a.kind === 'merge').from = 'main')));
  const r = await runCliAsync(['show', file], { cwd: h.s.root });
  assert.is(r.code, 1);
  assert.match(r.stderr, /shown as a merge of main.*\[HF415\]/);
});

test('a pick shown as one commit that picks another: refused (HF415); its diff changed: apply refuses (HF416)', async () => {
  const { h, plan } = hotfix;
  const pick = plan.actions.find((a) => a.kind === 'cherry-pick');
  assert.ok(pick);
  const renamed = save(h.s.root, resealed(plan, (p) => (p.actions.find((a: { kind: string }) => a.kind === 'cherry-pick').pick = h.s.fixes[1]?.commit ?? h.s.mainHead)));
  const shown = await runCliAsync(['show', renamed], { cwd: h.s.root });
  assert.is(shown.code, 1);
  assert.match(shown.stderr, /shown as a pick of .*\[HF415\]/);

  const before = repoRefs(plan, h.s.root);
  const rediffed = save(h.s.root, resealed(plan, (p) => {
    const c = p.actions.find((a: { kind: string }) => a.kind === 'cherry-pick');
    c.diff = c.diff.replace(/^\+(?!\+\+)(.*)$/m, '+$1 // reviewed');
  }));
  const r = await runCliAsync([...h.args.slice(0, -1), rediffed], { cwd: h.s.root });
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, /rehearsing pick-1: .*otherwise than the diff the plan shows.*\[HF416\]/);
  assert.equal(repoRefs(plan, h.s.root), before);
});

test('a tag object that is not the hash of its target, name and message: refused (HF415)', async () => {
  const { h, plan } = hotfix;
  assert.ok(plan.actions.some((a) => a.kind === 'tag'), 'the hotfix plan tags');
  const file = save(h.s.root, resealed(plan, (p) => (p.actions.find((a: { kind: string }) => a.kind === 'tag').message = 'Routine release\n')));
  const r = await runCliAsync(['show', file], { cwd: h.s.root });
  assert.is(r.code, 1);
  assert.match(r.stderr, /the tag object is [0-9a-f]{12} by its content.*\[HF415\]/);
});

test('a repository path changed: show prints where apply would write', () => {
  const { s, plan } = rollback;
  const file = save(s.root, resealed(plan, (p) => (p.repos.deploy = `${s.root}/elsewhere`)));
  const r = runCli(['show', file], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, `repository  deploy = ${s.root}/elsewhere`);
});

test.run();
