import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideRevision } from '../../src/plan/hotfix/decide-revision.js';
import { hotfixRuleFindings } from '../../src/plan/hotfix/hotfix-checks.js';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';
import type { HotfixState, PickState } from '../../src/state/hotfix/gather-hotfix.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

test('decideRevision: the first source that answers decides; the others must agree', () => {
  const decided = decideRevision([
    { source: 'label', detail: 'label', unavailable: 'registry down' },
    { source: 'tag', detail: 'tag main-aaaaaaa', commit: A },
    { source: 'gitTag', detail: 'git tag v1.0.0', commit: A, version: '1.0.0' },
  ]);
  assert.ok('commit' in decided);
  if (!('commit' in decided)) return;
  assert.is(decided.commit, A);
  assert.is(decided.decidedBy.source, 'tag');
  assert.equal(decided.agreeing.map((a) => a.source), ['gitTag']);
  assert.equal(decided.notChecked.map((a) => a.source), ['label']);
});

test('decideRevision: disagreement (HF336), nothing known (HF337), a commit not in the repo (HF215)', () => {
  const codes = (r: ReturnType<typeof decideRevision>) => ('errors' in r ? r.errors.map((d) => d.code) : []);
  assert.equal(codes(decideRevision([{ source: 'label', detail: 'label', commit: A }, { source: 'tag', detail: 'tag', commit: B }])), ['HF336']);
  assert.equal(codes(decideRevision([{ source: 'tag', detail: 'tag', unavailable: 'no sha in tag' }])), ['HF337']);
  assert.equal(codes(decideRevision([{ source: 'label', detail: 'label', missing: 'cafe123' }, { source: 'tag', detail: 'tag', commit: A }])), ['HF215']);
});

const POLICY = `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata: { name: shop }
spec:
  app: { repo: app, image: r.example.com/shop }
  environments:
    - { name: dev, order: 1, config: { repo: d, branch: main, file: dev.yaml, locator: { kustomizeImage: r.example.com/shop } } }
    - { name: staging, order: 2, config: { repo: d, branch: main, file: stg.yaml, locator: { kustomizeImage: r.example.com/shop } } }
    - { name: production, order: 3, config: { repo: d, branch: main, file: prd.yaml, locator: { kustomizeImage: r.example.com/shop } } }
  hotfix: { reasons: [security, payment], maxCommits: 2, maxChangedFiles: 3, bypass: [staging] }
`;
const doc = parseDocuments('p.yaml', POLICY).documents[0]!;
const policy = validatePolicy(doc.value, doc.locate).policy!;
const commit = (sha: string) => ({ sha, parents: ['f'.repeat(40)], subject: `fix ${sha.slice(0, 3)}`, message: 'fix\n', author: { name: 'a', email: 'a@a', date: '2026-01-01T00:00:00Z' }, committer: { name: 'a', email: 'a@a', date: '2026-01-01T00:00:00Z' } });
const pick = (sha: string, files: string[], onMainline = true): PickState => ({ input: sha.slice(0, 7), commit: commit(sha), onMainline, files });
const state = (picks: PickState[], conflicts: string[] = [], empty: string[] = []) =>
  ({ app: { repoName: 'app', mainline: 'main' }, picks, steps: picks.map((p) => ({ pick: p.commit?.sha ?? '', tree: 't', conflicts, empty: empty.includes(p.commit?.sha ?? '') })) }) as unknown as HotfixState;
const findings = (reason: string, s: HotfixState) => hotfixRuleFindings(policy, policy.spec.hotfix!, policy.spec.environments[2]!, reason, s).map((d) => d.code);

test('hotfix rules: reasons, bypass, limits, mainline, conflicts', () => {
  assert.equal(findings('payment', state([pick(A, ['a.js'])])), ['HF339'], 'dev is skipped but only staging may be bypassed');
  const open = { ...policy, spec: { ...policy.spec, hotfix: { ...policy.spec.hotfix!, bypass: ['dev', 'staging'] } } };
  const codes = (reason: string, s: HotfixState) => hotfixRuleFindings(open, open.spec.hotfix, open.spec.environments[2]!, reason, s).map((d) => d.code);
  assert.equal(codes('payment', state([pick(A, ['a.js'])])), []);
  assert.equal(codes('boredom', state([pick(A, ['a.js'])])), ['HF330']);
  assert.equal(codes('payment', state([pick(A, ['a.js']), pick(B, ['b.js']), pick('c'.repeat(40), ['c.js'])])), ['HF332']);
  assert.equal(codes('payment', state([pick(A, ['a.js', 'b.js']), pick(B, ['c.js', 'd.js'])])), ['HF333']);
  assert.equal(codes('payment', state([pick(A, ['a.js'], false)])), ['HF331']);
  assert.equal(codes('payment', state([pick(A, ['a.js'])], ['src/payment.js'])), ['HF334']);
  assert.equal(codes('payment', state([{ input: 'nope', onMainline: false, files: [] }])), ['HF202']);
  assert.equal(codes('payment', state([])), ['HF358'], 'nothing picked has a code of its own, not maxCommits\' HF332');
  const merge = { ...pick(A, ['a.js']), commit: { ...commit(A), parents: ['f'.repeat(40), 'e'.repeat(40)] } };
  assert.equal(codes('payment', state([merge])), ['HF359'], 'a merge commit has a code of its own, not the conflicts\' HF334');
  assert.equal(codes('payment', state([pick(A, ['a.js']), pick(B, ['b.js'])], [], [B])), ['HF347'], 'a pick that leaves the tree as it was');
});

test.run();
