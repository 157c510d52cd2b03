import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { globRegExp, imageEntries, type AppName } from '../../src/plan/automation/image-updater-cr.js';
import type { AnnotatedObject } from '../../src/state/types.js';

// Cases of Go's path/filepath Match (its documented syntax and match_test.go's table), which
// the updater runs on namePattern.
const GLOB: Array<[pattern: string, name: string, matches: boolean | 'bad']> = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'ab-c', true],
  ['a*b', 'ab-c', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['a.b', 'axb', false],
  ['a(b|c)', 'ab', false],
  ['[]a]', ']', 'bad'],
  ['[', 'a', 'bad'],
  ['[^', 'a', 'bad'],
  ['a\\', 'a', 'bad'],
];

test('namePattern is matched as filepath.Match does; a pattern it rejects matches nothing', () => {
  for (const [pattern, name, expected] of GLOB) {
    const re = globRegExp(pattern);
    if (expected === 'bad') assert.is(re, undefined, pattern);
    else assert.is(re!.test(name), expected, `${pattern} ~ ${name}`);
  }
});

const cr = (applicationRefs: unknown[], spec: Record<string, unknown> = {}): AnnotatedObject => ({
  file: 'argocd/image-updater.yaml',
  document: 0,
  apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1',
  kind: 'ImageUpdater',
  name: 'updater',
  namespace: 'argocd',
  annotations: {},
  containers: {},
  spec: { ...spec, applicationRefs },
});
const image = (alias: string, settings?: unknown) => ({ alias, imageName: 'ghcr.io/example/api:1.0', ...(settings ? { commonUpdateSettings: settings } : {}) });
const names = new Set(['ghcr.io/example/api']);

test('each Application takes only its most specific ref, in the resource\'s namespace; useAnnotations leaves it to the annotations', () => {
  const o = cr([
    { namePattern: 'api-*', images: [image('generic')] },
    { namePattern: 'api-prod-*', images: [image('prod')] },
    { namePattern: 'api-prod-eu', useAnnotations: true },
    { namePattern: 'api-*', labelSelectors: { matchLabels: { tier: 'web' } }, images: [image('labelled')] },
  ]);
  const aliases = (apps: AppName[]) => imageEntries(o, apps, names).map((e) => [e.alias, e.at, e.apps]);
  assert.equal(aliases([{ name: 'api-prod-us', namespace: 'argocd', labels: { tier: 'web' } }]), [['labelled', [3, 0], ['api-prod-us']]], 'a label selector outranks literal characters');
  assert.equal(aliases([{ name: 'api-prod-us', namespace: 'argocd', labels: { tier: 'worker' } }]), [['prod', [1, 0], ['api-prod-us']]], 'where it does not match, the next ref serves');
  assert.equal(aliases([{ name: 'api-dev', namespace: 'argocd', labels: {} }]), [['generic', [0, 0], ['api-dev']]]);
  assert.equal(aliases([{ name: 'api-prod-eu', namespace: 'argocd' }]), []);
  assert.equal(aliases([{ name: 'api-prod-us', namespace: 'team-a' }]), []);
  assert.equal(aliases([{ name: 'api-prod-us' }, { name: 'api-dev' }]), [['labelled', [3, 0], ['api-prod-us', 'api-dev']]], 'a write-back file says no namespace');
  assert.equal(imageEntries(cr([{ namePattern: 'api-[', images: [image('x')] }, { namePattern: 'api', images: [image('y')] }]), [{ name: 'api' }], names), [], 'one bad pattern voids the resource');
});

test('labelSelectors as Kubernetes reads them: matchLabels and In, NotIn, Exists, DoesNotExist', () => {
  const selected = (labelSelectors: unknown, labels: Record<string, string>) =>
    imageEntries(cr([{ namePattern: 'api', labelSelectors, images: [image('api')] }]), [{ name: 'api', namespace: 'argocd', labels }], names).length === 1;
  assert.ok(selected({ matchLabels: { env: 'prod' } }, { env: 'prod', team: 'a' }));
  assert.not.ok(selected({ matchLabels: { env: 'prod' } }, { env: 'staging' }));
  assert.ok(selected({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dr'] }] }, { env: 'dr' }));
  assert.ok(selected({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, {}), 'NotIn holds where the label is absent');
  assert.not.ok(selected({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, {}));
  assert.ok(selected({ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, { env: 'prod' }));
  assert.not.ok(selected({ matchExpressions: [{ key: 'env', operator: 'Matches' }] }, { env: 'prod' }), 'an operator it cannot read matches nothing');
  assert.ok(selected({}, {}), 'an empty selector selects everything');
});

test('settings apply field by field from the resource, the ref and the image: ignoreTags "*" anywhere in effect stops the image', () => {
  const active = (spec: Record<string, unknown>, ref: unknown, img: unknown) =>
    imageEntries(cr([{ namePattern: 'api', ...(ref ? { commonUpdateSettings: ref } : {}), images: [image('api', img)] }], spec), [{ name: 'api' }], names)[0]!.active;
  assert.is(active({ commonUpdateSettings: { ignoreTags: ['*'] } }, { allowTags: 'any' }, undefined), false);
  assert.is(active({ commonUpdateSettings: { ignoreTags: ['*'] } }, undefined, { ignoreTags: ['rc-*'] }), true);
  assert.is(active({}, { ignoreTags: ['*'] }, { updateStrategy: 'semver' }), false);
  assert.is(active({}, undefined, { ignoreTags: '*' }), false);
});

test.run();
