import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotfixFailure } from '../helpers/hotfix-failure.js';
import { findImage } from '../../src/patch/find-image.js';
import type { Locator } from '../../src/policy/types.js';
import { ROOT } from '../helpers/run-cli.js';

const API = 'registry.example.com/team/api-js';
const fixture = (file: string) => readFileSync(join(ROOT, 'fixtures', 'patch', file), 'utf8');

const failure = (text: string, locator: Locator, image = API) => hotfixFailure(() => findImage(text, locator, image));

test('kustomizeImage: the entry by name, with its newTag, newName and digest', () => {
  const text = fixture('kustomize-images.input.yaml');
  assert.equal(findImage(text, { kustomizeImage: API }, API), {
    fields: [{ document: 0, path: '/images/0/newTag', holds: 'tag', line: 15 }],
    current: { name: API, tag: 'main-1a2b3c4' },
  });
  assert.equal(findImage(text, { kustomizeImage: 'busybox' }, 'x'), {
    fields: [
      { document: 0, path: '/images/2/newName', holds: 'name', line: 21 },
      { document: 0, path: '/images/2/newTag', holds: 'tag', line: 22 },
    ],
    current: { name: 'registry.example.com/mirror/busybox', tag: '1.36' },
  });
  assert.equal(findImage(text, { kustomizeImage: 'redis' }, 'x').current, { name: 'redis', tag: '7.2' });
  const worker = findImage(text, { kustomizeImage: 'registry.example.com/team/worker' }, 'x');
  assert.equal(worker.fields.map((f) => `${f.holds}@${f.line}`), ['tag@25', 'digest@26']);
  assert.is(worker.current.digest, 'sha256:4c1e4a9d0b1e0c6d5b7a3f2e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c');
});

test('kustomizeImage: no entry (HF207), two entries (HF209), an entry that sets no version (HF207)', () => {
  const text = fixture('kustomize-images.input.yaml');
  assert.match(failure(text, { kustomizeImage: 'nginx' }), /^HF207 no image in the config file matches the locator kustomizeImage "nginx"$/);
  assert.is(failure('images:\n- name: a\n  newTag: "1"\n- name: a\n  newTag: "2"\n', { kustomizeImage: 'a' }), 'HF209 the locator kustomizeImage "a" matches 2 images, at lines 3, 5');
  assert.match(failure('images:\n- name: a\n  newName: b\n', { kustomizeImage: 'a' }), /^HF207 the images entry "a" at line 2 sets neither newTag nor digest/);
});

test('a tag YAML reads as a number is refused: the file no longer says which tag it means', () => {
  assert.is(failure('images:\n- name: a\n  newTag: 1.10\n', { kustomizeImage: 'a' }), 'HF207 the image tag at line 3 is the number 1.10, not a string; quote it in the file');
});

test('fluxImagePolicy: a whole image on the marker line', () => {
  assert.equal(findImage(fixture('flux-deployment.input.yaml'), { fluxImagePolicy: 'flux-system:api-js' }, API), {
    fields: [{ document: 0, path: '/spec/template/spec/containers/0/image', holds: 'image', line: 21 }],
    current: { name: API, tag: 'main-1a2b3c4' },
  });
});

test('fluxImagePolicy: :name and :tag markers make one image; a tag marker alone takes the app image name', () => {
  assert.equal(findImage(fixture('flux-name-tag.input.yaml'), { fluxImagePolicy: 'flux-system:api-js' }, 'x'), {
    fields: [
      { document: 0, path: '/images/0/newName', holds: 'name', line: 7 },
      { document: 0, path: '/images/0/newTag', holds: 'tag', line: 8 },
    ],
    current: { name: API, tag: 'main-1a2b3c4' },
  });
  assert.equal(findImage(fixture('kustomize-images.input.yaml'), { fluxImagePolicy: 'flux-system:api-js' }, API).current, { name: API, tag: 'main-1a2b3c4' });
  const digest = 'a: x:1 # {"$imagepolicy": "ns:p"}\nb: sha256:9 # {"$imagepolicy":"ns:p:digest"}\n';
  assert.equal(findImage(digest, { fluxImagePolicy: 'ns:p' }, 'x').current, { name: 'x', tag: '1', digest: 'sha256:9' });
});

test('fluxImagePolicy: other policies, prefixes and broken markers do not match; a part marked twice is ambiguous', () => {
  const text = 'a: x:1 # {"$imagepolicy": "ns:api-js-canary"}\nb: x:2 # {"$imagepolicy": "ns:api"}\nc: x:3 # {"$imagepolicy": ns:api-js}\nd: [x:4] # {"$imagepolicy": "ns:api-js"}\n';
  assert.match(failure(text, { fluxImagePolicy: 'ns:api-js' }), /^HF207 /);
  assert.is(failure('a: x:1 # {"$imagepolicy": "ns:p"}\n---\nb: x:2 # {"$imagepolicy": "ns:p"}\n', { fluxImagePolicy: 'ns:p' }), 'HF209 the locator fluxImagePolicy "ns:p" matches 2 images, at lines 1, 3');
});

test('yamlPath: a whole image or a tag, in a given document', () => {
  const text = 'a: 1\n---\nspec:\n  containers:\n  - image: "r/a:1" # x\n';
  assert.equal(findImage(text, { yamlPath: { path: 'spec.containers[0].image', document: 1, holds: 'image' } }, 'r/a'), {
    fields: [{ document: 1, path: '/spec/containers/0/image', holds: 'image', line: 5 }],
    current: { name: 'r/a', tag: '1' },
  });
  assert.equal(findImage('app:\n  version: v7\n', { yamlPath: { path: 'app.version', document: 0, holds: 'tag' } }, 'r/a').current, { name: 'r/a', tag: 'v7' });
  assert.match(failure(text, { yamlPath: { path: 'spec.containers[1].image', document: 1, holds: 'image' } }), /^HF207 /);
  assert.match(failure(text, { yamlPath: { path: 'spec.containers', document: 1, holds: 'image' } }), /^HF207 the image at line 5 is not a single value/);
});

test('helmValues: split registry and repository name the image but are not fields', () => {
  const text = fixture('helm-values.input.yaml');
  assert.equal(findImage(text, { helmValues: { tag: 'image.tag', registry: 'image.registry', repository: 'image.repository' } }, 'x'), {
    fields: [{ document: 0, path: '/image/tag', holds: 'tag', line: 10 }],
    current: { name: API, tag: '1.4.2' },
  });
  assert.equal(findImage(text, { helmValues: { tag: 'image.tag', repository: 'image.repository' } }, 'x'), {
    fields: [
      { document: 0, path: '/image/repository', holds: 'name', line: 9 },
      { document: 0, path: '/image/tag', holds: 'tag', line: 10 },
    ],
    current: { name: 'team/api-js', tag: '1.4.2' },
  });
  assert.match(failure(text, { helmValues: { tag: 'api.image.tag' } }), /^HF207 /);
});

test('helmValues: an empty digest declares none but is still a field', () => {
  const location = findImage(fixture('crlf-values.input.yaml'), { helmValues: { tag: 'api.image.tag', repository: 'api.image.repository', digest: 'api.image.digest' } }, 'x');
  assert.equal(location.fields.map((f) => f.holds), ['name', 'tag', 'digest']);
  assert.equal(location.current, { name: API, tag: 'main-1a2b3c4' });
});

test('manifest: the container by name in Deployments, CronJobs and Pods, init containers too', () => {
  const text = fixture('manifests.input.yaml');
  assert.equal(findImage(text, { manifest: { container: 'api', kind: 'Deployment' } }, API), {
    fields: [{ document: 2, path: '/spec/template/spec/containers/0/image', holds: 'image', line: 36 }],
    current: { name: API, tag: '1.4.2' },
  });
  assert.equal(findImage(text, { manifest: { container: 'api', name: 'api-js-cleanup' } }, API).fields[0]?.path, '/spec/jobTemplate/spec/template/spec/containers/0/image');
  assert.equal(findImage(text, { manifest: { container: 'migrate' } }, API).fields[0]?.path, '/spec/template/spec/initContainers/0/image');
  assert.equal(findImage('kind: Pod\nspec:\n  containers:\n  - name: c\n    image: a:1\n', { manifest: { container: 'c' } }, 'a').current, { name: 'a', tag: '1' });
  assert.is(failure(text, { manifest: { container: 'api' } }), 'HF209 the locator manifest {"container":"api"} matches 2 images, at lines 36, 56');
  assert.match(failure(text, { manifest: { container: 'api', kind: 'StatefulSet' } }), /^HF207 /);
});

test('a broken file is HF211 (TypeScript config: patch-typescript.test.ts)', () => {
  assert.match(failure('images: [\n', { kustomizeImage: 'a' }), /^HF211 /);
});

test.run();
