import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { selectionPatches, selects } from '../../src/kustomize/selection-patches.js';
import type { KustomizationFile } from '../../src/state/types.js';

test('a target field is a regular expression anchored at both ends, as kustomize compiles it', () => {
  assert.ok(selects('api-.*', 'api-web'));
  assert.not.ok(selects('api-.*', 'legacy-api-web'), 'anchored at the start');
  assert.not.ok(selects('api', 'api-web'), 'anchored at the end');
  assert.ok(selects('web|api', 'api'), 'an alternation is grouped before anchoring');
  assert.not.ok(selects('web|api', 'api-web'));
  assert.ok(selects(undefined, 'api') && selects('', 'api'), 'no pattern selects anything');
});

test('a pattern JavaScript cannot read, or that could backtrack without end, is taken to select', () => {
  assert.ok(selects('(?i)API', 'api'), 'RE2 flags: unknown here, so taken');
  assert.ok(selects('(a+)+b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'), 'never run');
});

test('the patches of a policy: a regex name, a namespace, a kind', () => {
  const k = (targets: KustomizationFile['targets']): KustomizationFile[] => [{ file: 'prod/kustomization.yaml', resources: ['../base/policy.yaml'], patches: [], targets }];
  const policy = { file: 'base/policy.yaml', name: 'cart', namespace: 'flux-system', namespaced: true };
  const found = (targets: KustomizationFile['targets']) => selectionPatches(policy, k(targets)).length;
  assert.is(found([{ kind: 'ImagePolicy', name: 'cart.*', setsSelection: true }]), 1);
  assert.is(found([{ kind: 'Image.*', name: 'cart', namespace: 'flux-.*', setsSelection: true }]), 1);
  assert.is(found([{ kind: 'ImagePolicy', name: 'cart', namespace: 'apps', setsSelection: true }]), 0);
  assert.is(found([{ kind: 'ImageRepository', name: 'cart', setsSelection: true }]), 0);
  assert.is(found([{ kind: 'ImagePolicy', name: 'cart-.+', setsSelection: true }]), 0);
  assert.is(selectionPatches({ ...policy, namespaced: false }, k([{ name: 'cart', namespace: 'apps', setsSelection: true }])).length, 1, 'a namespace a kustomization gives is not known here');
});

test.run();
