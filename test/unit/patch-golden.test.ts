import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findImage } from '../../src/patch/find-image.js';
import { formatImageRef, parseImageRef } from '../../src/patch/image-ref.js';
import { patchYamlText } from '../../src/patch/patch-yaml.js';
import { setImageOps, type DigestPolicy } from '../../src/patch/set-image.js';
import type { Locator } from '../../src/policy/types.js';
import { ROOT } from '../helpers/run-cli.js';

interface GoldenCase {
  readonly input: string;
  readonly expected: string;
  readonly locator: Locator;
  readonly image?: string;
  readonly target: string;
  readonly digest?: DigestPolicy;
  /** Whether patching back to the old image restores the input (not when a digest was dropped). */
  readonly reversible?: boolean;
}

const API = 'registry.example.com/team/api-js';
const cases: readonly GoldenCase[] = [
  { input: 'kustomize-images.input.yaml', expected: 'kustomize-images.expected.yaml', locator: { kustomizeImage: API }, target: `${API}:main-0ddba11` },
  { input: 'kustomize-images.input.yaml', expected: 'kustomize-images.expected.yaml', locator: { fluxImagePolicy: 'flux-system:api-js' }, target: `${API}:main-0ddba11` },
  { input: 'kustomize-images.input.yaml', expected: 'kustomize-images.redis.expected.yaml', locator: { kustomizeImage: 'redis' }, image: 'redis', target: 'redis:7.4' },
  { input: 'kustomize-images.input.yaml', expected: 'kustomize-images.busybox.expected.yaml', locator: { kustomizeImage: 'busybox' }, image: 'registry.example.com/mirror/busybox', target: 'registry.example.com/mirror/busybox:1.37' },
  {
    input: 'kustomize-images.input.yaml',
    expected: 'kustomize-images.worker.expected.yaml',
    locator: { kustomizeImage: 'registry.example.com/team/worker' },
    image: 'registry.example.com/team/worker',
    target: `registry.example.com/team/worker:main-5e6f7a8@sha256:${'9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b'}`,
  },
  {
    input: 'kustomize-images.input.yaml',
    expected: 'kustomize-images.worker-drop.expected.yaml',
    locator: { kustomizeImage: 'registry.example.com/team/worker' },
    image: 'registry.example.com/team/worker',
    target: 'registry.example.com/team/worker:main-5e6f7a8',
    digest: 'drop',
    reversible: false,
  },
  { input: 'flux-deployment.input.yaml', expected: 'flux-deployment.expected.yaml', locator: { fluxImagePolicy: 'flux-system:api-js' }, target: `${API}:main-0ddba11` },
  { input: 'flux-name-tag.input.yaml', expected: 'flux-name-tag.expected.yaml', locator: { fluxImagePolicy: 'flux-system:api-js' }, target: `${API}:main-0ddba11` },
  { input: 'manifests.input.yaml', expected: 'manifests.expected.yaml', locator: { manifest: { container: 'api', kind: 'Deployment' } }, target: `${API}:1.4.3` },
  { input: 'manifests.input.yaml', expected: 'manifests.cronjob.expected.yaml', locator: { manifest: { container: 'api', kind: 'CronJob', name: 'api-js-cleanup' } }, target: `${API}:1.4.3` },
  {
    input: 'helm-values.input.yaml',
    expected: 'helm-values.expected.yaml',
    locator: { helmValues: { tag: 'image.tag', registry: 'image.registry', repository: 'image.repository' } },
    target: `${API}:1.4.3`,
  },
  { input: 'crlf-values.input.yaml', expected: 'crlf-values.expected.yaml', locator: { helmValues: { tag: 'api.image.tag', repository: 'api.image.repository', digest: 'api.image.digest' } }, target: `${API}:main-0ddba11` },
  { input: 'deployment.input.json', expected: 'deployment.expected.json', locator: { yamlPath: { path: 'spec.template.spec.containers[0].image', document: 0, holds: 'image' } }, target: `${API}:main-0ddba11` },
  {
    input: 'digest-pinned.input.yaml',
    expected: 'digest-pinned.expected.yaml',
    locator: { manifest: { container: 'api' } },
    target: `registry.example.com:5000/team/api-js:1.4.3@sha256:${'2'.repeat(64)}`,
  },
  { input: 'digest-pinned.input.yaml', expected: 'digest-pinned.keep.expected.yaml', locator: { manifest: { container: 'api' } }, target: `registry.example.com:5000/team/api-js:1.4.3@sha256:${'2'.repeat(64)}`, digest: 'keep' },
  {
    input: 'digest-pinned.input.yaml',
    expected: 'digest-pinned.drop.expected.yaml',
    locator: { manifest: { container: 'api' } },
    target: `registry.example.com:5000/team/api-js:1.4.3@sha256:${'2'.repeat(64)}`,
    digest: 'drop',
    reversible: false,
  },
];

const read = (file: string) => readFileSync(join(ROOT, 'fixtures', 'patch', file), 'utf8');

/** What the plan does: find the image, make the ops, patch the text. */
function setImage(text: string, c: GoldenCase, target: string): string {
  const location = findImage(text, c.locator, c.image ?? API);
  return patchYamlText(text, setImageOps(location, parseImageRef(target), c.digest ?? 'update'));
}

for (const c of cases) {
  test(`${c.expected} from ${c.input} with ${Object.keys(c.locator)[0]}`, () => {
    const input = read(c.input);
    const patched = setImage(input, c, c.target);
    assert.fixture(patched, read(c.expected));
    if (c.reversible === false) return;
    const previous = findImage(input, c.locator, c.image ?? API).current;
    assert.fixture(setImage(patched, { ...c, digest: 'update' }, formatImageRef(previous)), input);
  });
}

test('every fixture file takes part in a case (TypeScript ones in patch-typescript.test.ts)', () => {
  const used = new Set(cases.flatMap((c) => [c.input, c.expected]));
  assert.equal(readdirSync(join(ROOT, 'fixtures', 'patch')).filter((f) => f !== 'README.md' && !f.endsWith('.ts') && !used.has(f)), []);
});

test.run();
