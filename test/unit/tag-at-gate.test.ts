// A hotfix image tag that CI completes at build time (issue 14 §4): which registry tags fit
// and which the gate takes, and what a plan may claim about it. Pure: plans built in memory.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fittingTags, tagAtGateProblems, tagPattern, withTagFromGate } from '../../src/plan/tag-at-gate.js';
import { withGateTag } from '../../src/apply/gate-tag.js';
import { HotfixError } from '../../src/diagnostics/errors.js';
import type { Action, Plan } from '../../src/plan/types.js';

const sha = (c: string) => c.repeat(40);
const person = { name: 'hotfix', email: 'hotfix@example.com', date: '2026-12-03T07:00:00Z' };
const PATTERN = 'hotfix-x-9f0e2d1a-{timestamp}';
const gate: Extract<Action, { kind: 'gate' }> = { id: 'gate', kind: 'gate', image: `ghcr.io/acme/shop-api:${PATTERN}`, label: 'org.opencontainers.image.revision', revision: sha('9'), checks: [], tagAtGate: PATTERN };
const deploy: Extract<Action, { kind: 'commit' }> = {
  id: 'deploy-hotfix', kind: 'commit', repo: 'deploy', branch: 'main', purpose: 'deploy-hotfix', parent: sha('a'), commit: sha('b'), tree: sha('c'),
  message: `Deploy hotfix ghcr.io/acme/shop-api:${PATTERN}\n`, author: person, committer: person,
  changes: [{ path: 'overlays/production/kustomization.yaml', before: sha('d'), after: sha('e'), patches: [], diff: `@@ -5 +5 @@\n-    newTag: main-1\n+    newTag: ${PATTERN}\n` }],
};
const planOf = (actions: readonly Action[]) => ({ request: { kind: 'hotfix' }, preconditions: [], actions }) as unknown as Plan;

test('tagPattern: what the plan knows filled in, what CI fills at build time kept as written', () => {
  const values = { sha: '9f0e2d1a'.padEnd(40, '0'), branch: 'hotfix-x' };
  assert.is(tagPattern('{branch}-{sha8}-{timestamp}', values), PATTERN);
  assert.is(tagPattern('{sha7}-{build}', values), '9f0e2d1-{build}');
  assert.is(tagPattern('{datetime}.{sha7}', values), '{datetime}.9f0e2d1');
  assert.is(tagPattern('main-{sha7}', values), 'main-9f0e2d1');
});

test('fittingTags: only tags of the pattern\'s shape, newest first by value, whatever order the registry lists them in', () => {
  const listed = ['hotfix-x-9f0e2d1a-1795358405', 'hotfix-x-9f0e2d1a-latest', 'hotfix-x-00000000-1795359999', 'hotfix-x-9f0e2d1a-1795359000', 'main-9f0e2d1a-1795359999', 'hotfix-x-9f0e2d1a-179535900'];
  const expected = ['hotfix-x-9f0e2d1a-1795359000', 'hotfix-x-9f0e2d1a-1795358405'];
  assert.equal(fittingTags(PATTERN, listed), expected);
  assert.equal(fittingTags(PATTERN, [...listed].reverse()), expected);
  // Build numbers are numbers: 10 is newer than 9; leading zeros do not make a number bigger.
  assert.equal(fittingTags('9f0e2d1-{build}', ['9f0e2d1-9', '9f0e2d1-10', '9f0e2d1-009', '9f0e2d1-x']), ['9f0e2d1-10', '9f0e2d1-9', '9f0e2d1-009']);
  // Two parts decided: the first one written decides first.
  assert.equal(fittingTags('{datetime}-{build}', ['20261203101500-7', '20261203101500-12', '20261202235959-99']), ['20261203101500-12', '20261203101500-7', '20261202235959-99']);
});

test('a plan as planHotfix makes it has no problem; claims a plan file could make are each named', () => {
  assert.equal(tagAtGateProblems(planOf([gate, withTagFromGate(deploy, gate)])), []);
  const taken = withTagFromGate(deploy, gate);
  const cases: Array<[string, Plan, RegExp]> = [
    ['a pattern with a known part left', planOf([{ ...gate, tagAtGate: 'hotfix-{sha7}-{timestamp}', image: 'ghcr.io/acme/shop-api:hotfix-{sha7}-{timestamp}' }]), /gate: it leaves "hotfix-\{sha7\}-\{timestamp\}" to decide, which is not a tag with only/],
    ['an image of another tag', planOf([{ ...gate, image: 'ghcr.io/acme/shop-api:main' }]), /gate: it leaves "hotfix-x-9f0e2d1a-\{timestamp\}" to decide/],
    ['a commit that writes the pattern without taking the tag', planOf([gate, deploy]), /deploy-hotfix: it writes hotfix-x-9f0e2d1a-\{timestamp\}, which gate decides, without taking the tag from it/],
    ['a tag taken from a gate after the commit', planOf([taken, gate]), /deploy-hotfix: its tag is decided at gate, a gate before it that decides no such tag/],
    ['another purpose', planOf([gate, { ...taken, purpose: 'baseline-config' }]), /deploy-hotfix: its tag is decided at gate, which only a hotfix's deploy commit that writes/],
    ['other words', planOf([gate, { ...taken, tagFromGate: { ...taken.tagFromGate!, rule: 'any tag will do' } }]), /deploy-hotfix: its rule for the tag decided at gate is not the one apply follows/],
  ];
  for (const [label, plan, expected] of cases) {
    const problems = tagAtGateProblems(plan);
    assert.is(problems.length, 1, `${label}: ${problems.join('; ')}`);
    assert.match(problems[0]!, expected, label);
  }
});

test('withGateTag refuses a tag that does not fit, or a pattern the plan does not have, before reading anything (HF437)', async () => {
  const plan = planOf([gate, withTagFromGate(deploy, gate)]);
  for (const record of [
    { action: 'gate', pattern: PATTERN, tag: 'hotfix-x-9f0e2d1a-latest', fitting: [] },
    { action: 'gate', pattern: PATTERN, tag: 'hotfix-x-00000000-1795358405', fitting: [] },
    { action: 'gate', pattern: 'main-{timestamp}', tag: 'main-1795358405', fitting: [] },
  ]) {
    const error = await withGateTag(plan, record, {}).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof HotfixError, record.tag);
    assert.is(error.diagnostics[0]!.code, 'HF437');
    assert.match(error.diagnostics[0]!.message, new RegExp(`^the tag decided at gate, ${record.tag}, (does not fit|is for a gate of pattern)`));
  }
});

test.run();
