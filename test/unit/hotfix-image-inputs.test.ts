import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotfixImageTag } from '../../src/plan/hotfix/hotfix-image.js';
import { versionGroupSource, versionPatternFindings } from '../../src/plan/hotfix/hotfix-version.js';
import { hotfixTrailers, reasonTrailerProblems, withTrailers } from '../../src/plan/commit-trailers.js';
import { mainlinePrefix } from '../../src/policy/hotfix-image-tag.js';
import type { Plan } from '../../src/plan/types.js';
import type { Policy } from '../../src/policy/types.js';

const HEAD = '849c9127e0d4a1b2c3d4e5f60718293a4b5c6d7e';

function policy(app: Partial<Policy['spec']['app']>, hotfix: Partial<NonNullable<Policy['spec']['hotfix']>> = {}): Policy {
  return {
    apiVersion: 'hotfix.dev/v1alpha1',
    kind: 'HotfixPolicy',
    metadata: { name: 'shop-api' },
    spec: {
      app: { repo: 'app', mainline: 'main', image: 'ghcr.io/acme/shop-api', tagFormat: 'main-{sha7}', revisionFrom: ['label', 'tag'], revisionLabel: 'org.opencontainers.image.revision', ...app },
      environments: [],
      hotfix: { reasons: ['security'], base: 'deployed', branch: 'hotfix/{date}-{sha7}', maxCommits: 5, ...hotfix },
    },
  } as Policy;
}

test('mainlinePrefix: the mainline\'s name as the first literal word of a tag, as CI writes a branch in a tag', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['main-{sha7}', 'main', 'main'],
    ['main{sha7}', 'main', 'main'],
    ['main.{sha7}', 'main', 'main'],
    ['master-{sha7}', 'master', 'master'],
    ['release-2.x-{sha7}', 'release/2.x', 'release-2.x'],
    ['{branch}-{sha7}', 'main', undefined],
    ['mainline-{sha7}', 'main', undefined], // another word that starts the same
    ['sha-{sha7}', 'main', undefined],
    ['hotfix-main-{sha7}', 'main', undefined],
    ['{version}', 'main', undefined],
  ];
  for (const [template, mainline, want] of cases) assert.is(mainlinePrefix(template, mainline), want, `${template} on ${mainline}`);
});

test('hotfixImageTag: hotfix.imageTag over app.tagFormat, with the hotfix head and branch', () => {
  const values = { sha: 'f8b82c8e9d0a1b2c3d4e5f60718293a4b5c6d7e8', sha7: 'f8b82c8', date: '20261203', env: 'production', reason: 'payment', version: '1.4.0' };
  const input = { values, head: HEAD, branch: 'hotfix/20261203-f8b82c8', deployedVersion: '1.4.0' };
  assert.equal(hotfixImageTag(policy({}), input), { tag: 'main-849c912', fromHead: 'main-{sha7}' });
  assert.equal(hotfixImageTag(policy({}, { imageTag: '{branch}-{sha7}' }), input), { tag: 'hotfix-20261203-f8b82c8-849c912', fromHead: 'hotfix-20261203-f8b82c8-{sha7}' });
  assert.equal(hotfixImageTag(policy({}, { imageTag: 'hotfix-{sha8}' }), input), { tag: 'hotfix-849c9127', fromHead: 'hotfix-{sha8}' });
  assert.equal(hotfixImageTag(policy({ tagFormat: '{branch}-{sha8}-{timestamp}' }, { imageTag: '{branch}-{sha8}' }), input), { tag: 'hotfix-20261203-f8b82c8-849c9127', fromHead: 'hotfix-20261203-f8b82c8-{sha8}' });
  assert.equal(hotfixImageTag(policy({}, { imageTag: '{version}' }), { ...input, version: '1.4.1' }), { tag: '1.4.1' });
  // What CI fills only when it builds stays as written, for the gate to decide.
  assert.equal(hotfixImageTag(policy({}, { imageTag: '{branch}-{sha8}-{timestamp}' }), input), { tag: 'hotfix-20261203-f8b82c8-849c9127-{timestamp}', fromHead: 'hotfix-20261203-f8b82c8-{sha8}-{timestamp}' });
  assert.equal(hotfixImageTag(policy({ tagFormat: '{sha}-{build}' }), input), { tag: `${HEAD}-{build}`, fromHead: '{sha}-{build}' });
  assert.equal(hotfixImageTag(policy({ tagFormat: '{datetime}.{sha7}' }), input), { tag: '{datetime}.849c912', fromHead: '{datetime}.{sha7}' });

  const refused: Array<[Policy, string, RegExp]> = [
    [policy({}, { imageTag: '{version}' }), 'HF341', /^hotfix\.imageTag "\{version\}" needs the hotfix's own version for its image: pass --version \(the deployed one is 1\.4\.0\)$/],
    [policy({}, { imageTag: `${'x'.repeat(110)}-{sha8}-{timestamp}` }), 'HF210', /^the hotfix image tag "x+-849c9127-\{timestamp\}" is not valid: it is 130 characters long/],
    [policy({}, { imageTag: `${'x'.repeat(120)}-{sha}` }), 'HF210', /is 161 characters long/],
  ];
  for (const [p, code, why] of refused) {
    const d = hotfixImageTag(p, input);
    assert.ok('code' in d && d.code === code, JSON.stringify(d));
    assert.match((d as { message: string }).message, why);
  }
});

test('versionGroupSource: the (?<version>…) group, parentheses, classes and escapes counted', () => {
  const cases: Array<[string, string | undefined]> = [
    ['^v(?<version>\\d+\\.\\d+\\.\\d+)$', '\\d+\\.\\d+\\.\\d+'],
    ['^release/(?<version>\\d+(\\.\\d+){2}(-rc\\.\\d+)?)$', '\\d+(\\.\\d+){2}(-rc\\.\\d+)?'],
    ['^v(?<version>[)(]+\\))-x$', '[)(]+\\)'],
    ['^v(?<version>[\\]a]+)$', '[\\]a]+'],
    ['^v\\d+$', undefined],
    ['^v(?<version>\\d+', undefined],
  ];
  for (const [pattern, want] of cases) assert.is(versionGroupSource(pattern), want, pattern);
});

test('versionPatternFindings: a --version the release tags\' version group does not take is HF362; nothing without --version or a pattern', () => {
  const semver = policy({ gitTagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)$', revisionFrom: ['label', 'tag', 'gitTag'] });
  assert.equal(versionPatternFindings(semver, '1.4.1'), []);
  assert.equal(versionPatternFindings(semver, undefined), []);
  assert.equal(versionPatternFindings(policy({}), '1.4.1-hotfix.1'), []);
  const [finding, ...rest] = versionPatternFindings(semver, '1.4.1-hotfix.1');
  assert.equal(rest, []);
  assert.is(finding!.code, 'HF362');
  assert.is(finding!.severity, 'warning');
  // The whole version must match: the group is anchored, whatever anchors the pattern has.
  assert.is(versionPatternFindings(policy({ gitTagPattern: 'v(?<version>\\d+\\.\\d+)' }), '1.4.1').length, 1);
  // A group that refers outside itself cannot be tried alone: no finding rather than a wrong one.
  assert.equal(versionPatternFindings(policy({ gitTagPattern: '^(?<v>v)(?<version>\\k<v>\\d+)$' }), 'x'), []);
});

test('hotfixTrailers and reasonTrailerProblems: every commit of a hotfix plan carries exactly its reason', () => {
  const trailers = hotfixTrailers('payment', [{ code: 'HF332', rule: 'hotfix.maxCommits', reason: 'payment', refused: 'x' } as never]);
  assert.equal(trailers, ['Hotfix-Reason: payment', 'Hotfix-Override: HF332 (payment)']);
  const pick = withTrailers('Fix refunds\n\n(cherry picked from commit abc)\n', hotfixTrailers('payment', undefined));
  assert.is(pick, 'Fix refunds\n\n(cherry picked from commit abc)\nHotfix-Reason: payment\n');
  const plan = (reason: string, message: string, kind: 'hotfix' | 'rollback' = 'hotfix') =>
    ({ request: { kind, reason }, actions: [{ id: 'pick-1', kind: 'cherry-pick', message }, { id: 'gate', kind: 'gate' }] }) as unknown as Plan;
  assert.equal(reasonTrailerProblems(plan('payment', pick)), []);
  assert.equal(reasonTrailerProblems(plan('security', pick)), ['pick-1: its message ends with Hotfix-Reason: payment, but the plan\'s reason is security']);
  assert.equal(reasonTrailerProblems(plan('payment', 'Fix refunds\n\nHotfix-Reason: payment\n')), []);
  // In the subject or the body, not the trailer block, it is not a trailer.
  assert.equal(reasonTrailerProblems(plan('payment', 'Hotfix-Reason: payment\n')), ['pick-1: its message ends with no Hotfix-Reason trailer, but the plan\'s reason is payment']);
  assert.equal(reasonTrailerProblems(plan('payment', 'Fix\n\nHotfix-Reason: payment\nHotfix-Reason: payment\n')).length, 1);
  assert.equal(reasonTrailerProblems(plan('r', 'Revert "x"\n', 'rollback')), []);
});

test.run();
