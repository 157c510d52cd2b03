// The gate's checks as pure data: where the policy says they are read (hotfix.checks, linted
// at file:line:col), how a reviewer reads that, which report of a name counts, and the
// refusal of a gate that is not the policy's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gatePolicyProblem } from '../../src/apply/gate-policy.js';
import { attester } from '../../src/cli/attester.js';
import { latestByName, type CheckReport } from '../../src/forge/check-reports.js';
import { gateChecks, gateChecksText } from '../../src/plan/hotfix/gate-checks.js';
import { parseDocuments } from '../../src/policy/parse-documents.js';
import { validatePolicy } from '../../src/policy/validate-policy.js';
import type { HotfixSpec } from '../../src/policy/types.js';

const policy = (checks: string) => `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata:
  name: shop-api
spec:
  app:
    repo: app
    image: ghcr.io/octo-org/shop-api
  environments:
    - name: production
      config: { repo: deploy, branch: main, file: apps/shop-api/production/kustomization.yaml, locator: { kustomizeImage: ghcr.io/octo-org/shop-api } }
  hotfix:
    reasons: [security]
    imageTag: "{branch}-{sha7}"
    requiredChecks: [unit, smoke]
${checks}`;

function lint(text: string) {
  const parsed = parseDocuments('policies/shop-api.yaml', text);
  assert.equal(parsed.diagnostics, []);
  const doc = parsed.documents[0]!;
  return validatePolicy(doc.value, doc.locate, 'policies/shop-api.yaml');
}

const findings = (text: string) => lint(text).diagnostics.map((d) => [d.code, d.range?.start.line, d.range?.start.col, d.message]);

test('a GitHub checks block is valid; manual defaults to allow and the gate seals it', () => {
  const result = lint(policy('    checks:\n      forge: github\n      repository: octo-org/shop-api\n      appId: 15368\n'));
  assert.equal(result.diagnostics, []);
  assert.equal(result.policy?.spec.hotfix?.checks, { forge: 'github', repository: 'octo-org/shop-api', appId: 15368, manual: 'allow' });
  assert.equal(gateChecks(result.policy!.spec.hotfix!), { checks: ['unit', 'smoke'], checksFrom: { forge: 'github', repository: 'octo-org/shop-api', appId: 15368, manual: 'allow' } });
});

test('a GitLab project path with subgroups is valid', () => {
  assert.equal(lint(policy('    checks: { forge: gitlab, repository: acme/payments/shop-api, manual: refuse }\n')).diagnostics, []);
});

test('HF142: a repository not in its forge\'s form, at the value', () => {
  assert.equal(findings(policy('    checks:\n      forge: github\n      repository: octo-org/payments/shop-api\n')), [
    ['HF142', 18, 19, 'hotfix.checks.repository "octo-org/payments/shop-api" is not a GitHub repository: write it OWNER/REPO, as in octo-org/shop-api'],
  ]);
  assert.equal(findings(policy('    checks:\n      forge: github\n      repository: https://github.com/octo-org/shop-api\n')).map((f) => f[0]), ['HF142']);
  assert.equal(findings(policy('    checks:\n      forge: gitlab\n      repository: shop-api\n')).map((f) => f.slice(0, 3)), [['HF142', 18, 19]]);
  assert.equal(findings(policy('    checks:\n      forge: gitlab\n      repository: acme/shop-api.git\n')).map((f) => f[0]), ['HF142']);
});

test('HF143: an app id with GitLab, at the key', () => {
  assert.equal(findings(policy('    checks:\n      forge: gitlab\n      repository: acme/shop-api\n      appId: 15368\n')).map((f) => f.slice(0, 3)), [['HF143', 19, 7]]);
});

test('the schema explains a wrong forge, manual or app id, and an unknown key', () => {
  const codes = (checks: string) => findings(policy(checks)).map((f) => [f[0], f[1]]);
  assert.equal(codes('    checks: { forge: bitbucket, repository: a/b }\n'), [['HF113', 16]]);
  assert.equal(codes('    checks: { forge: github, repository: a/b, manual: never }\n'), [['HF113', 16]]);
  assert.equal(codes('    checks: { forge: github, repository: a/b, appId: 0 }\n'), [['HF114', 16]]);
  assert.equal(codes('    checks: { forge: github, repository: a/b, apps: 1 }\n'), [['HF110', 16]]);
  assert.equal(codes('    checks: { forge: github }\n'), [['HF111', 16]]);
});

const SHA = 'c9af118d1e4e2b7f0a3c5d6e7f8091a2b3c4d5e6';
const gate = { id: 'gate', kind: 'gate' as const, image: 'ghcr.io/octo-org/shop-api:hotfix-c9af118', label: 'org.opencontainers.image.revision', revision: SHA, checks: ['unit', 'smoke'] };

test('a reviewer reads which checks, where, for which commit, and whether a person may attest them', () => {
  assert.is(gateChecksText({ ...gate, checksFrom: { forge: 'github', repository: 'octo-org/shop-api', manual: 'refuse' } }), 'checks unit, smoke read from GitHub octo-org/shop-api for c9af118 (manual attestation refused)');
  assert.is(gateChecksText({ ...gate, checksFrom: { forge: 'github', repository: 'octo-org/shop-api', appId: 15368, manual: 'allow' } }), 'checks unit, smoke read from GitHub octo-org/shop-api, check runs of GitHub App 15368 only for c9af118 (or attested with --check, recorded)');
  assert.is(gateChecksText({ ...gate, checksFrom: { forge: 'gitlab', repository: 'acme/payments/shop-api', manual: 'allow' } }), 'checks unit, smoke read from GitLab acme/payments/shop-api for c9af118 (or attested with --check, recorded)');
  assert.is(gateChecksText(gate), 'checks passed: unit, smoke (reported with --check)');
  assert.is(gateChecksText({ ...gate, checks: [] }), '');
});

const report = (name: string, at: string, id: number, state: string, source: CheckReport['source'] = 'check run'): CheckReport => ({ name, source, state, success: state === 'success', at, id });

test('the latest report of a name counts: a failed rerun after a success, a success after a pending status', () => {
  const latest = latestByName([
    report('unit', '2026-12-01T10:00:05Z', 7, 'success'),
    report('unit', '2026-12-01T10:04:00Z', 9, 'failure'),
    report('smoke', '2026-12-01T10:00:01Z', 3, 'pending', 'status'),
    report('smoke', '2026-12-01T10:02:00.000+00:00', 4, 'success', 'status'),
    // Same second: the later id was made later.
    report('lint', '2026-12-01T10:00:00Z', 11, 'failure'),
    report('lint', '2026-12-01T10:00:00Z', 12, 'success'),
  ]);
  assert.equal([...latest].map(([name, r]) => [name, r.state]).sort(), [['lint', 'success'], ['smoke', 'success'], ['unit', 'failure']]);
});

test('HF424: a gate that differs from the policy in its checks or where it reads them', () => {
  const hotfix = { requiredChecks: ['unit', 'smoke'], checks: { forge: 'github', repository: 'octo-org/shop-api', manual: 'refuse' } } as unknown as HotfixSpec;
  const sealed = { ...gate, ...gateChecks(hotfix) };
  assert.is(gatePolicyProblem(sealed, hotfix), undefined);
  for (const edited of [
    gate,
    { ...sealed, checks: ['unit'] },
    { ...sealed, checksFrom: { ...sealed.checksFrom!, manual: 'allow' as const } },
    { ...sealed, checksFrom: { ...sealed.checksFrom!, repository: 'octo-org/other' } },
    { ...sealed, checksFrom: { ...sealed.checksFrom!, appId: 1 } },
  ])
    assert.is(gatePolicyProblem(edited, hotfix)?.code, 'HF424', JSON.stringify(edited));
  assert.match(gatePolicyProblem(gate, hotfix)!.message, /^the plan's gate waits for checks passed: unit, smoke \(reported with --check\), but its policy says checks unit, smoke read from GitHub octo-org\/shop-api for c9af118 \(manual attestation refused\)/);
  assert.is(gatePolicyProblem({ ...gate, checks: [] }, undefined), undefined);
});

test('who attests: the CI user who started the run, in a login\'s characters, else the OS user', () => {
  assert.is(attester({ GITHUB_ACTOR: 'mona', GITLAB_USER_LOGIN: 'ignored' }), 'mona (GITHUB_ACTOR)');
  assert.is(attester({ GITLAB_USER_LOGIN: 'mhoffmann' }), 'mhoffmann (GITLAB_USER_LOGIN)');
  assert.is(attester({ GITHUB_ACTOR: 'dependabot[bot]' }), 'dependabot[bot] (GITHUB_ACTOR)');
  assert.is(attester({ GITHUB_ACTOR: 'x\u001b]8;;http://e\u0007y' }), 'x?]8??http???e?y (GITHUB_ACTOR)');
  assert.match(attester({ GITHUB_ACTOR: '  ' }), / \(OS user\)$|^an unnamed OS user$/);
});

test.run();
