// Break-glass (issue 15 §5): the one decision of which findings an override lifts, and the
// trailer every commit of such a plan ends with. Pure: no repository.
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnostic } from '../../src/diagnostics/diagnostic.js';
import { overrideTrailers, overrideTrailersIn, withTrailers } from '../../src/plan/commit-trailers.js';
import { liftOverrides, overridable } from '../../src/plan/overrides.js';
import { chooseTarget } from '../../src/plan/rollback/choose-target.js';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import type { RollbackSpec } from '../../src/policy/types.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';
import type { CommitInfo, Deployment } from '../../src/state/types.js';

const tooOld = overridable(diagnostic('HF305', 'r/app:1.0 was deployed 2026-10-01T00:00:00Z, longer ago than rollback.maxAge 30d'));
const tooFar = overridable(diagnostic('HF304', 'r/app:1.0 is 4 deployments back; rollback.maxSteps allows 3'));
const codes = (findings: readonly { code: string }[]) => findings.map((f) => f.code);

test('a listed, asked, raised rule is lifted and recorded with the reason and what it would have refused', () => {
  const decided = liftOverrides([tooOld, tooFar], 'rollback', ['HF305', 'HF304'], { codes: ['HF305'], reason: '  login broken since 1.1 ' });
  assert.equal(decided.overrides, [{ code: 'HF305', rule: 'rollback.maxAge', reason: 'login broken since 1.1', lifted: [tooOld.message] }]);
  // HF304 was not asked: it stands, says the policy would let it be lifted, and carries no mark.
  assert.equal(codes(decided.findings), ['HF304']);
  assert.match(decided.findings[0]!.message, /rollback.maxSteps allows 3; this policy lets --override HF304 --reason "…" lift it/);
  assert.not.ok('overridable' in decided.findings[0]!);
});

test('a rule the policy does not list is refused (HF385) naming what it does list; with none listed it says none', () => {
  const some = liftOverrides([tooOld, tooFar], 'rollback', ['HF304'], { codes: ['HF305'], reason: 'incident' });
  assert.equal(codes(some.findings), ['HF385', 'HF305', 'HF304']);
  assert.match(some.findings[0]!.message, /does not list it under rollback.overridable; it lets --override lift HF304 \(rollback.maxSteps\)$/);
  assert.equal(some.overrides, []);
  const none = liftOverrides([tooOld], 'rollback', [], { codes: ['HF305'], reason: 'incident' });
  assert.match(none.findings[0]!.message, /it lets --override lift nothing$/);
  // Without the policy's listing the finding gets no hint that an override could lift it.
  assert.not.match(none.findings[1]!.message, /--override/);
});

test('a code that is no overridable rule, or one of the other kind of plan, is refused (HF386)', () => {
  const decided = liftOverrides([tooOld], 'rollback', ['HF305', 'HF306'], { codes: ['HF306', 'HF339', 'hf305', 'HF999'], reason: 'incident' });
  assert.equal(codes(decided.findings), ['HF386', 'HF386', 'HF386', 'HF386', 'HF305']);
  const [never, other, typo, unknown] = decided.findings.map((f) => f.message);
  assert.match(never!, /^--override HF306 is refused: HF306 \(target never deployed\) is not a rule an override can lift; a rollback can lift only HF304 \(rollback.maxSteps\), HF305 \(rollback.maxAge\), where the policy lists them$/);
  assert.match(other!, /HF339 is refused: HF339 is a hotfix rule \(hotfix.bypass\)/);
  assert.match(typo!, /"hf305" is no hotfix code \(did you mean HF305\?\)/);
  assert.match(unknown!, /"HF999" is no hotfix code; a rollback/);
});

test('no reason, no override (HF387); an override that lifts nothing is a warning (HF388)', () => {
  assert.equal(codes(liftOverrides([tooOld], 'rollback', ['HF305'], { codes: ['HF305'] }).findings), ['HF387', 'HF305']);
  assert.equal(codes(liftOverrides([tooOld], 'rollback', ['HF305'], { codes: ['HF305'], reason: ' ' }).findings), ['HF387', 'HF305']);
  const idle = liftOverrides([tooFar], 'rollback', ['HF304', 'HF305'], { codes: ['HF305', 'HF304'], reason: 'incident' });
  assert.equal(codes(idle.findings), ['HF388']);
  assert.is(idle.findings[0]!.severity, 'warning');
  assert.equal(codes(idle.overrides), ['HF304']);
});

test('only a finding raised as overridable is lifted, even under a code --override names', () => {
  const noPick = diagnostic('HF332', 'raised without overridable()');
  const decided = liftOverrides([noPick], 'hotfix', ['HF332'], { codes: ['HF332'], reason: 'security' });
  assert.equal(codes(decided.findings), ['HF332', 'HF388']);
  assert.equal(decided.overrides, []);
});

test('no --override: the findings stand as they were, unmarked', () => {
  const decided = liftOverrides([tooOld, diagnostic('HF361', 'x')], 'rollback', [], { codes: [] });
  assert.equal(decided.findings, [diagnostic('HF305', tooOld.message), diagnostic('HF361', 'x')]);
});

const commit = (sha: string, date: string): CommitInfo => ({ sha: sha.repeat(40), parents: [], subject: 's', author: { name: 'a', email: 'a@x', date }, committer: { name: 'a', email: 'a@x', date } });
test('chooseTarget raises maxSteps and maxAge together, both marked overridable', () => {
  const deployments: Deployment[] = ['4', '3', '2', '1'].map((v, i) => ({ image: `r/app:1.${v}`, commit: commit(String(i), `2026-0${9 - i}-01T00:00:00Z`) }));
  const rules: RollbackSpec = { method: 'revert', requireReason: false, approvals: 0, branch: 'rb', maxSteps: 2, maxAge: '30d' };
  const chosen = chooseTarget(deployments, rules, '1.1', '2026-09-02T00:00:00Z', { complete: true });
  assert.ok('index' in chosen);
  if (!('index' in chosen)) return;
  assert.equal(codes(chosen.diagnostics), ['HF304', 'HF305']);
  assert.ok(chosen.diagnostics.every((d) => 'overridable' in d));
});

const OVERRIDE = [{ code: 'HF305', rule: 'rollback.maxAge', reason: 'login broken (INC-4211)', lifted: ['x'] }];
test('the trailer joins a trailer block or starts its own, and git reads it as a trailer', () => {
  const trailers = overrideTrailers(OVERRIDE);
  assert.equal(trailers, ['Hotfix-Override: HF305 (login broken (INC-4211))']);
  const cases = [
    'Revert "Deploy 1.2"\n\nThis reverts commit ' + 'a'.repeat(40) + '.\n\nReason: login broken\n',
    'Revert "Deploy 1.2"\n\nThis reverts commit ' + 'a'.repeat(40) + '.\n',
    "Merge branch 'hotfix/x' into main\n",
    'fix: keep the session\n\nLonger text.\n\n(cherry picked from commit ' + 'b'.repeat(40) + ')\n',
    'Subject: with a colon\n',
  ];
  for (const message of cases) {
    const signed = withTrailers(message, trailers);
    assert.ok(signed.startsWith(message.trimEnd()), message);
    assert.equal(overrideTrailersIn(signed), trailers, message);
    const parsed = execFileSync('git', ['interpret-trailers', '--parse'], { input: signed, encoding: 'utf8' });
    assert.ok(parsed.split('\n').includes(trailers[0]!), `git reads the trailer of: ${JSON.stringify(signed)} → ${JSON.stringify(parsed)}`);
  }
  assert.equal(withTrailers(cases[0]!, []), cases[0]);
  assert.equal(overrideTrailersIn('Hotfix-Override: HF305 (subject only)\n'), []);
});

const POLICY = (rollback: string, hotfix: string) => `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata: { name: svc }
spec:
  app: { repo: app, image: registry.example.com/team/svc, tagFormat: "sha-{sha7}" }
  environments:
    - { name: production, config: { repo: deploy, branch: prd, file: k.yaml, locator: { kustomizeImage: registry.example.com/team/svc } } }
  rollback: { maxAge: 30d, ${rollback} }
  hotfix: { reasons: [security], ${hotfix} }
`;
function lint(text: string) {
  const doc = parseDocuments('p.yaml', text).documents[0]!;
  return validatePolicy(doc.value, doc.locate, 'p.yaml').diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.col} ${d.code} ${d.message}`);
}

test('lint: overridable lists only overridable rules of its own section; unknown codes get "did you mean"; an unset limit lifts nothing', () => {
  assert.equal(lint(POLICY('overridable: [HF305]', 'overridable: [HF332, HF339]')), []);
  assert.equal(lint(POLICY('overridable: [HF3O5, HF339, HF306, HF304]', 'overridable: [HF333]')), [
    '8:42 HF145 "HF3O5" is no hotfix code (did you mean HF305?); rollback.overridable may list HF304 (rollback.maxSteps), HF305 (rollback.maxAge)',
    '8:49 HF145 HF339 is a hotfix rule (hotfix.bypass); list it under spec.hotfix.overridable',
    '8:56 HF145 HF306 (target never deployed) is not a rule an override can lift; rollback.overridable may list HF304 (rollback.maxSteps), HF305 (rollback.maxAge)',
    '8:63 HF133 rollback.overridable lists HF304, but rollback.maxSteps is not set, so that rule never refuses a plan and overriding it lifts nothing',
    '9:48 HF133 hotfix.overridable lists HF333, but hotfix.maxChangedFiles is not set, so that rule never refuses a plan and overriding it lifts nothing',
  ]);
});

test.run();
