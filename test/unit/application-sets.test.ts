import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { expandApplicationSet } from '../../src/state/git/application-sets.js';
import type { AnnotatedObject } from '../../src/state/types.js';

// ApplicationSets as Argo CD's generator docs write them (Generators-Git.md, Generators-List.md):
// what each makes is written out here by hand from those docs, not from the code.
const set = (yaml: string): AnnotatedObject => {
  const doc = parse(yaml);
  return { file: 'argocd/appsets.yaml', document: 0, apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata.name, namespace: doc.metadata.namespace, annotations: {}, containers: {}, spec: doc.spec };
};
const DIRS = ['apps', 'apps/checkout', 'apps/checkout/base', 'apps/checkout/overlays', 'apps/checkout/overlays/production', 'apps/checkout/overlays/staging', 'apps/cart_v2', 'apps/.archive', 'apps/legacy', 'argocd'];

test('git directories: path.Match wildcards, exclude rules win whatever their order, dot directories never; fasttemplate names', () => {
  const { apps, unexpanded } = expandApplicationSet(
    set(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: shop, namespace: argocd }
spec:
  generators:
    - git:
        repoURL: https://github.com/example/deploy.git
        revision: HEAD
        directories:
          - path: apps/legacy
            exclude: true
          - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
      annotations:
        argocd-image-updater.argoproj.io/image-list: 'app=ghcr.io/example/{{path.basenameNormalized}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/deploy.git
        targetRevision: HEAD
        path: '{{path}}'
      destination: { server: https://kubernetes.default.svc, namespace: '{{path[1]}}' }
`),
    DIRS,
  );
  assert.is(unexpanded, undefined);
  assert.equal(
    apps.map((a) => [a.name, a.source?.path, a.annotations['argocd-image-updater.argoproj.io/image-list'], a.madeBy]),
    [
      ['checkout', 'apps/checkout', 'app=ghcr.io/example/checkout', { name: 'shop', namespace: 'argocd' }],
      ['cart_v2', 'apps/cart_v2', 'app=ghcr.io/example/cart-v2', { name: 'shop', namespace: 'argocd' }],
    ],
  );
});

test('goTemplate: .path.path, index .path.segments, a character class; the list generator with nested keys', () => {
  const dirs = expandApplicationSet(
    set(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: envs, namespace: argocd }
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:
    - git:
        repoURL: https://github.com/example/deploy.git
        revision: HEAD
        directories:
          - path: apps/checkout/overlays/*
          - path: apps/checkout/overlays/[s]taging
            exclude: true
  template:
    metadata:
      name: '{{index .path.segments 1}}-{{ .path.basename }}'
    spec:
      source: { repoURL: https://github.com/example/deploy.git, targetRevision: HEAD, path: '{{.path.path}}' }
`),
    DIRS,
  );
  assert.equal(dirs.apps.map((a) => [a.name, a.source?.path]), [['checkout-production', 'apps/checkout/overlays/production']]);
  const list = expandApplicationSet(
    set(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: guestbook, namespace: argocd }
spec:
  generators:
    - list:
        elements:
          - cluster: engineering-dev
            url: https://1.2.3.4
            values: { overlay: staging }
          - cluster: engineering-prod
            url: https://2.4.6.8
            values: { overlay: production }
  template:
    metadata:
      name: '{{cluster}}-checkout'
    spec:
      source: { repoURL: https://github.com/example/deploy.git, targetRevision: HEAD, path: 'apps/checkout/overlays/{{values.overlay}}' }
`),
    DIRS,
  );
  assert.equal(list.apps.map((a) => [a.name, a.source?.path]), [['engineering-dev-checkout', 'apps/checkout/overlays/staging'], ['engineering-prod-checkout', 'apps/checkout/overlays/production']]);
});

test('what cannot be read here says why: a clusters generator, a matrix, a template function', () => {
  const body = (generators: string, name = "'{{name}}-checkout'") => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: fleet, namespace: argocd }
spec:
  goTemplate: true
  generators:
${generators}
  template:
    metadata: { name: ${name} }
    spec:
      source: { repoURL: https://github.com/example/deploy.git, path: apps/checkout/overlays/production }
`;
  assert.equal(expandApplicationSet(set(body('    - clusters: { selector: { matchLabels: { env: prod } } }')), DIRS), { apps: [], unexpanded: 'its clusters generator' });
  assert.equal(expandApplicationSet(set(body('    - matrix: { generators: [] }')), DIRS), { apps: [], unexpanded: 'its matrix generator' });
  const fn = expandApplicationSet(set(body('    - list: { elements: [ { env: production } ] }', `'{{ default "checkout" .name }}'`)), DIRS);
  assert.equal(fn, { apps: [], unexpanded: 'its template reference {{ default "checkout" .name }}' });
});

test.run();
