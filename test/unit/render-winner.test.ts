import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findImageWinner } from '../../src/state/render/find-image-winner.js';
import { repoPath } from '../../src/state/render/repo-path.js';

const API = 'registry.example.com/team/api-js';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api-js}
spec:
  template:
    spec:
      containers:
        - name: api
          image: ${API}:main-0000000
`;
const BASE = `resources:\n  - deployment.yaml\nimages:\n  - name: ${API}\n    newTag: main-1111111\n`;
const PRODUCTION = 'resources:\n  - ../../base\n';

/** The walk over an in-memory tree, as the I/O wrapper gives it the exported one. */
function winner(files: Record<string, string>, renderDir = 'overlays/production', names: readonly string[] = [API]): string | undefined {
  return findImageWinner((path) => files[path], renderDir, names);
}

test('an overlay that sets its own images: wins over the base it builds on', () => {
  const files = {
    'base/deployment.yaml': DEPLOYMENT,
    'base/kustomization.yaml': BASE,
    'overlays/production/kustomization.yaml': `${PRODUCTION}images:\n  - name: ${API}\n    newTag: main-9999999\n`,
  };
  assert.is(winner(files), 'overlays/production/kustomization.yaml');
});

test('an overlay that leaves the image alone: the base decides (bases: as well as resources:)', () => {
  const files = { 'base/deployment.yaml': DEPLOYMENT, 'base/kustomization.yaml': BASE, 'overlays/production/kustomization.yaml': PRODUCTION };
  assert.is(winner(files), 'base/kustomization.yaml');
  assert.is(winner({ ...files, 'overlays/production/kustomization.yaml': 'bases:\n  - ../../base\n' }), 'base/kustomization.yaml');
});

test('an images entry counts by name or by newName, and only for this image', () => {
  const base = { 'base/deployment.yaml': DEPLOYMENT, 'base/kustomization.yaml': BASE };
  const byNewName = `${PRODUCTION}images:\n  - name: api-js\n    newName: ${API}\n    newTag: x\n`;
  assert.is(winner({ ...base, 'overlays/production/kustomization.yaml': byNewName }), 'overlays/production/kustomization.yaml');
  const another = `${PRODUCTION}images:\n  - name: ${API}-worker\n    newTag: x\n  - name: redis\n    newTag: '7'\n`;
  assert.is(winner({ ...base, 'overlays/production/kustomization.yaml': another }), 'base/kustomization.yaml');
});

test('components override the resources of their kustomization, the last listed last', () => {
  const component = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n  - name: ${API}\n    newTag: ${tag}\n`;
  const files = {
    'base/deployment.yaml': DEPLOYMENT,
    'base/kustomization.yaml': BASE,
    'components/pin/kustomization.yaml': component('pinned'),
    'components/debug/kustomization.yaml': component('debug'),
    'components/labels/kustomization.yaml': 'kind: Component\ncommonLabels: {team: a}\n',
    'overlays/production/kustomization.yaml': `${PRODUCTION}components:\n  - ../../components/pin\n  - ../../components/debug\n  - ../../components/labels\n`,
  };
  assert.is(winner(files), 'components/debug/kustomization.yaml');
  assert.is(winner({ ...files, 'overlays/production/kustomization.yaml': `${PRODUCTION}components:\n  - ../../components/labels\n` }), 'base/kustomization.yaml');
});

test('a patch that sets the image literally beats the images: of the base below it', () => {
  const patch = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api-js}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ${API}:patched\n`;
  const base = { 'base/deployment.yaml': DEPLOYMENT, 'base/kustomization.yaml': BASE, 'overlays/production/image.yaml': patch };
  for (const field of ['patchesStrategicMerge:\n  - image.yaml\n', 'patches:\n  - path: image.yaml\n', 'patchesJson6902:\n  - path: image.yaml\n    target: {kind: Deployment, name: api-js}\n'])
    assert.is(winner({ ...base, 'overlays/production/kustomization.yaml': `${PRODUCTION}${field}` }), 'overlays/production/image.yaml', field);
  const inline = `${PRODUCTION}patches:\n  - patch: |-\n      - op: replace\n        path: /spec/template/spec/containers/0/image\n        value: ${API}:inline\n    target: {kind: Deployment}\n`;
  assert.is(winner({ ...base, 'overlays/production/kustomization.yaml': inline }), 'overlays/production/kustomization.yaml');
  // Within one kustomization, images: is applied after its patches.
  const both = `${PRODUCTION}patchesStrategicMerge:\n  - image.yaml\nimages:\n  - name: ${API}\n    newTag: last\n`;
  assert.is(winner({ ...base, 'overlays/production/kustomization.yaml': both }), 'overlays/production/kustomization.yaml');
});

test('with no images: anywhere, the manifest that holds the image', () => {
  const files = {
    'base/service.yaml': 'kind: Service\nmetadata: {name: api-js}\n',
    'base/deployment.yaml': DEPLOYMENT,
    'base/kustomization.yaml': 'resources:\n  - service.yaml\n  - deployment.yaml\n',
    'overlays/production/kustomization.yaml': PRODUCTION,
  };
  assert.is(winner(files), 'base/deployment.yaml');
  assert.is(winner(files, 'overlays/production', ['registry.example.com/other/api-js']), undefined);
});

test('the image must stand on its own: not the tail or the start of a longer name', () => {
  const files = {
    'base/deployment.yaml': DEPLOYMENT.replace(API, `mirror.example.com/${API}`),
    'base/sidecar.yaml': `kind: Deployment\nspec: {template: {spec: {containers: [{name: x, image: "${API}-debug:1"}]}}}\n`,
    'base/kustomization.yaml': 'resources: [sidecar.yaml, deployment.yaml]\n',
  };
  assert.is(winner(files, 'base'), undefined);
  assert.is(winner({ ...files, 'base/plain.yaml': `image: "${API}"\n`, 'base/kustomization.yaml': 'resources: [plain.yaml]\n' }, 'base'), 'base/plain.yaml');
});

test('a cycle in resources ends the walk instead of looping', () => {
  const files = {
    'a/kustomization.yaml': 'resources:\n  - ../b\n',
    'b/kustomization.yaml': 'resources:\n  - ../a\n  - ../b\n',
  };
  assert.is(winner(files, 'a'), undefined);
  assert.is(winner({ ...files, 'c/kustomization.yaml': 'resources: [../a, ../d]\n', 'd/kustomization.yml': BASE }, 'c'), 'd/kustomization.yml');
});

test('remote bases, paths out of the repository and missing entries are passed over', () => {
  const files = {
    'base/deployment.yaml': DEPLOYMENT,
    'base/Kustomization': BASE,
    'overlays/production/kustomization.yaml': [
      'resources:',
      '  - https://github.com/example/deploy//base?ref=v1',
      '  - github.com/example/deploy/base?ref=v1',
      '  - git@github.com:example/deploy.git',
      '  - ../../../../outside',
      '  - /etc',
      '  - missing',
      '  - ../../base',
      '',
    ].join('\n'),
  };
  assert.is(winner(files), 'base/Kustomization');
});

test('a directory that is not a kustomization, or a kustomization that is not a mapping, decides nothing', () => {
  assert.is(winner({ 'overlays/production/deployment.yaml': DEPLOYMENT }), undefined);
  assert.is(winner({ 'overlays/production/kustomization.yaml': '- just\n- a list\n' }), undefined);
  assert.is(winner({ 'overlays/production/kustomization.yaml': 'resources: [\n' }), undefined);
});

test('repository paths: normal form, the root as "", nothing outside', () => {
  assert.is(repoPath('overlays/production/'), 'overlays/production');
  assert.is(repoPath('./base//kustomization.yaml'), 'base/kustomization.yaml');
  assert.is(repoPath('.'), '');
  assert.is(repoPath(''), '');
  assert.is(repoPath('base/../overlays'), 'overlays');
  assert.is(repoPath('../x'), undefined);
  assert.is(repoPath('a/../../x'), undefined);
  assert.is(repoPath('..'), undefined);
  assert.is(repoPath('/etc/passwd'), undefined);
  assert.is(repoPath('a\0b'), undefined);
});

test.run();
