import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { expandApplicationSet, generatorFiles } from '../../src/state/git/application-sets.js';
import type { AnnotatedObject } from '../../src/state/types.js';

// ApplicationSets as Argo CD's generator docs write them (Generators-Git.md, Generators-List.md):
// what each makes is written out here by hand from those docs, not from the code.
const set = (yaml: string): AnnotatedObject => {
  const doc = parse(yaml);
  return { file: 'argocd/appsets.yaml', document: 0, apiVersion: doc.apiVersion, kind: doc.kind, name: doc.metadata.name, namespace: doc.metadata.namespace, annotations: {}, containers: {}, spec: doc.spec };
};
/** The head of an ApplicationSet with Go templates, as the docs write it, up to its generators' list. */
const goTemplateSet = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: ${name}, namespace: argocd }
spec:
  goTemplate: true
  goTemplateOptions: ["missingkey=error"]
  generators:`;
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

test('what cannot be read here says why: an SCM provider generator, inside a matrix too, a template function', () => {
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
  const scm = '{ scmProvider: { github: { organization: example } } }';
  assert.equal(expandApplicationSet(set(body(`    - ${scm}`)), DIRS), { apps: [], unexpanded: 'its scmProvider generator, whose values only the ApplicationSet controller reads (from a forge, the cluster or a plugin)' });
  assert.equal(expandApplicationSet(set(body(`    - matrix: { generators: [ { list: { elements: [ { name: a } ] } }, ${scm} ] }`)), DIRS), { apps: [], unexpanded: "its matrix generator's scmProvider generator, whose values only the ApplicationSet controller reads (from a forge, the cluster or a plugin)" });
  const fn = expandApplicationSet(set(body('    - list: { elements: [ { env: production } ] }', `'{{ default "checkout" .name }}'`)), DIRS);
  assert.equal(fn, { apps: [], unexpanded: 'its template reference {{ default "checkout" .name }}' });
});

// Generators-Matrix.md's "Git Directory generator + Cluster generator" and Generators-Cluster.md:
// a cluster's name, server and labels come from its secret, so they stay as written.
test('clusters: one Application per selected cluster secret, its values kept as written; a matrix with git directories renders each directory', () => {
  const { apps, unexpanded } = expandApplicationSet(
    set(`${goTemplateSet('cluster-addons')}
    - matrix:
        generators:
          - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, directories: [ { path: apps/checkout/overlays/* } ] }
          - clusters:
              selector:
                matchLabels: { environment: production }
                matchExpressions:
                  - { key: region, operator: In, values: [eu-west-1, us-east-1] }
              values: { revision: stable }
  template:
    metadata:
      name: '{{.path.basename}}-{{.name}}'
    spec:
      project: '{{index .metadata.labels "team"}}'
      source: { repoURL: https://github.com/example/deploy.git, targetRevision: '{{.values.revision}}', path: '{{.path.path}}' }
      destination: { server: '{{.server}}', namespace: checkout }
`),
    DIRS,
  );
  assert.is(unexpanded, undefined);
  const selector = 'argocd.argoproj.io/secret-type=cluster,environment=production,region in (eu-west-1,us-east-1)';
  assert.equal(
    apps.map((a) => [a.name, a.source?.path, a.source?.targetRevision, a.madeBy]),
    [
      ['production-{{.name}}', 'apps/checkout/overlays/production', 'stable', { name: 'cluster-addons', namespace: 'argocd', perCluster: selector }],
      ['staging-{{.name}}', 'apps/checkout/overlays/staging', 'stable', { name: 'cluster-addons', namespace: 'argocd', perCluster: selector }],
    ],
  );
});

// Generators-Merge.md: a base generator, overrides matched by mergeKeys, the last one winning.
test('merge: list sets take the values of the later sets with the same merge keys; over clusters each override is a possible Application', () => {
  const merge = (base: string) =>
    expandApplicationSet(
      set(`apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: checkout, namespace: argocd }
spec:
  generators:
    - merge:
        mergeKeys: [server]
        generators:
${base}
          - list:
              elements:
                - { server: https://2.4.6.8, overlay: production }
                - { server: https://9.9.9.9, overlay: legacy }
          - list:
              elements:
                - { server: https://2.4.6.8, overlay: staging }
  template:
    metadata: { name: 'checkout-{{overlay}}' }
    spec:
      source: { repoURL: https://github.com/example/deploy.git, path: 'apps/checkout/overlays/{{overlay}}' }
`),
      DIRS,
    );
  const listed = merge(`          - list:
              elements:
                - { server: https://1.2.3.4, overlay: base }
                - { server: https://2.4.6.8, overlay: base }`);
  assert.equal(listed.apps.map((a) => a.source?.path), ['apps/checkout/overlays/base', 'apps/checkout/overlays/staging']);
  // A cluster of server 2.4.6.8 takes production, then staging; one of 9.9.9.9 legacy; any other, no overlay.
  const clusters = merge(`          - clusters: {}`);
  assert.equal(
    clusters.apps.map((a) => [a.name, a.madeBy?.perCluster]),
    [
      ['checkout-{{overlay}}', 'argocd.argoproj.io/secret-type=cluster'],
      ['checkout-staging', 'argocd.argoproj.io/secret-type=cluster'],
      ['checkout-legacy', 'argocd.argoproj.io/secret-type=cluster'],
    ],
    'staging, reached two ways, is one Application',
  );
});

// Generators-Git.md's file generator ("git-generator-files-discovery": a config.json per
// cluster whose keys, nested ones dotted, become parameters, with path, path.basename,
// path.filename and path[n] of the file's directory), its greedy default globbing, and a
// matrix with a list as Generators-Matrix.md combines them.
test('git files: each matching file is a parameter set of its keys and its path; exclude wins; only the matched files are read', () => {
  const files: Record<string, string> = {
    'apps/checkout/overlays/production/config.json': '{"cluster": {"name": "prod-eu", "address": "https://2.4.6.8"}, "team": "payments"}',
    'apps/checkout/overlays/staging/config.json': 'cluster:\n  name: staging-eu\n  address: https://1.2.3.4\nteam: payments\n',
    'apps/legacy/overlays/production/config.json': '{"cluster": {"name": "legacy"}}',
  };
  const yaml = (go: boolean, name: string, generators: string) => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: { name: checkout, namespace: argocd }
spec:
  goTemplate: ${go}
  generators:
${generators}
  template:
    metadata: { name: '${name}' }
    spec:
      source: { repoURL: https://github.com/example/deploy.git, targetRevision: HEAD, path: '${go ? '{{.path.path}}' : '{{path}}'}' }
`;
  const rules = '[ { path: "apps/*/config.json" }, { path: "apps/legacy/**", exclude: true } ]';
  const plain = set(yaml(false, '{{cluster.name}}-{{path.basename}}', `    - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, files: ${rules} }`));
  assert.equal(generatorFiles(plain, [...Object.keys(files), 'apps/checkout/base/kustomization.yaml', 'README.md']), ['apps/checkout/overlays/production/config.json', 'apps/checkout/overlays/staging/config.json']);
  const { apps, unexpanded } = expandApplicationSet(plain, DIRS, files);
  assert.is(unexpanded, undefined);
  assert.equal(apps.map((a) => [a.name, a.source?.path]), [['prod-eu-production', 'apps/checkout/overlays/production'], ['staging-eu-staging', 'apps/checkout/overlays/staging']]);

  const matrix = set(yaml(true, '{{.cluster.name}}-{{.path.filenameNormalized}}-{{.region}}', `    - matrix:
        generators:
          - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, files: ${rules} }
          - list: { elements: [ { region: eu } ] }`));
  assert.equal(generatorFiles(matrix, Object.keys(files)).length, 2, 'a file generator inside a matrix is read too');
  assert.equal(expandApplicationSet(matrix, DIRS, files).apps.map((a) => a.name), ['prod-eu-config.json-eu', 'staging-eu-config.json-eu']);

  const broken = { ...files, 'apps/checkout/overlays/staging/config.json': '{"cluster": ' };
  assert.equal(expandApplicationSet(plain, DIRS, broken), { apps: [], unexpanded: "its git file generator's apps/checkout/overlays/staging/config.json, which is not JSON or YAML" });
});

// Generators-Matrix.md, "Using Parameters from one child generator in another child
// generator": the second child is rendered with each parameter set of the first before it
// runs. What each makes is written out here by hand from that page.
test('matrix: the second child reads the first child\'s parameters, as the controller renders it (git files under each directory; a cluster selector; pathParamPrefix)', () => {
  const yaml = (generators: string, name: string, path: string) => `${goTemplateSet('overlays')}
    - matrix:
        generators:
${generators}
  template:
    metadata: { name: '${name}' }
    spec:
      source: { repoURL: https://github.com/example/deploy.git, targetRevision: HEAD, path: '${path}' }
`;
  const files: Record<string, string> = {
    'apps/checkout/overlays/production/config.json': '{"cluster": "prod-eu"}',
    'apps/checkout/overlays/staging/config.json': '{"cluster": "staging-eu"}',
  };
  const dirsThenFiles = set(
    yaml(
      `          - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, directories: [ { path: apps/checkout/overlays/* } ] }
          - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, pathParamPrefix: cfg, files: [ { path: '{{.path.path}}/config.json' } ] }`,
      'checkout-{{.cluster}}-{{.cfg.path.basename}}',
      '{{.path.path}}',
    ),
  );
  assert.equal(generatorFiles(dirsThenFiles, [...Object.keys(files), 'apps/checkout/base/kustomization.yaml']), Object.keys(files).sort(), 'a rendered path may name any of them: each is read');
  const { apps, unexpanded } = expandApplicationSet(dirsThenFiles, DIRS, files);
  assert.is(unexpanded, undefined);
  assert.equal(apps.map((a) => [a.name, a.source?.path]), [['checkout-prod-eu-production', 'apps/checkout/overlays/production'], ['checkout-staging-eu-staging', 'apps/checkout/overlays/staging']]);

  // The page's own example: a cluster selector labelled with the directory of each config file.
  const clusters = set(
    yaml(
      `          - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, files: [ { path: "apps/checkout/overlays/*/config.json" } ] }
          - clusters: { selector: { matchLabels: { argocd.argoproj.io/secret-type: cluster, kubernetes.io/environment: '{{.path.basename}}' } } }`,
      '{{.name}}-checkout',
      '{{.path.path}}',
    ),
  );
  const perCluster = expandApplicationSet(clusters, DIRS, files).apps.map((a) => [a.source?.path, a.madeBy?.perCluster]);
  assert.equal(perCluster, [
    ['apps/checkout/overlays/production', 'argocd.argoproj.io/secret-type=cluster,kubernetes.io/environment=production'],
    ['apps/checkout/overlays/staging', 'argocd.argoproj.io/secret-type=cluster,kubernetes.io/environment=staging'],
  ]);

  // A reference the first child does not give leaves the path unknown: said, not read as no file.
  const unknown = set(
    yaml(
      `          - list: { elements: [ { env: production } ] }
          - git: { repoURL: https://github.com/example/deploy.git, revision: HEAD, files: [ { path: 'apps/{{.service}}/overlays/{{.env}}/config.json' } ] }`,
      'checkout',
      'apps/checkout/overlays/production',
    ),
  );
  assert.equal(expandApplicationSet(unknown, DIRS, files), { apps: [], unexpanded: "its matrix generator's git generator's path apps/{{.service}}/overlays/production/config.json, whose reference no generator before it gives" });
});

test.run();
