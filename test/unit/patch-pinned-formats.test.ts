import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findImage } from '../../src/patch/find-image.js';
import { formatImageRef } from '../../src/patch/image-ref.js';
import { patchYamlText } from '../../src/patch/patch-yaml.js';
import { imageAfter, setImageOps, shapedAsBefore, type DigestPolicy } from '../../src/patch/set-image.js';
import type { Locator } from '../../src/policy/types.js';
import { hotfixFailure } from '../helpers/hotfix-failure.js';
import { helmReleaseYaml } from '../../fixtures/merged-history-scenario.js';

// Shapes as real repositories write them: a Flux HelmRelease of the bjw-s app-template chart
// whose tag Renovate pins with pinDigests (`tag: 1.4.2@sha256:…`), and kustomizations whose
// `images:` entry is a placeholder name with the real image, tag and all, in newName.
const OLD = `sha256:${'a1'.repeat(32)}`;
const NEW = `sha256:${'b2'.repeat(32)}`;
const IMAGE = 'ghcr.io/example-org/api-js';

const helmRelease = (tag: string) => helmReleaseYaml('api-js', IMAGE, tag);
const HELM: Locator = { helmValues: { tag: 'spec.values.controllers.api-js.containers.app.image.tag', repository: 'spec.values.controllers.api-js.containers.app.image.repository' } };

/** What a rollback does: find the image, patch it to the target, and say what the file then declares. */
function roll(text: string, locator: Locator, target: { name: string; tag: string; digest?: string }, policy: DigestPolicy) {
  const location = findImage(text, locator, IMAGE);
  const patched = patchYamlText(text, setImageOps(location, target, policy));
  return { patched, shown: formatImageRef(imageAfter(location, target, policy)), declared: formatImageRef(findImage(patched, locator, IMAGE).current) };
}

test('a Helm tag holding tag@digest is read as both', () => {
  const location = findImage(helmRelease(`1.4.3@${NEW}`), HELM, IMAGE);
  assert.equal(location.current, { name: IMAGE, tag: '1.4.3', digest: NEW });
  assert.equal(location.fields.map((f) => [f.holds, f.carries ?? []]), [['name', []], ['tag', ['digest']]]);
});

test('rolling a pinned Helm tag back: update restores tag and digest; keep and drop do what they say; the shown image is the written one', () => {
  const text = helmRelease(`1.4.3@${NEW}`);
  const target = { name: IMAGE, tag: '1.4.2', digest: OLD };
  const update = roll(text, HELM, target, 'update');
  assert.fixture(update.patched, helmRelease(`1.4.2@${OLD}`), 'a revert: byte for byte the file before the bump');
  assert.is(update.shown, `${IMAGE}:1.4.2@${OLD}`);
  const keep = roll(text, HELM, target, 'keep');
  assert.fixture(keep.patched, helmRelease(`1.4.2@${NEW}`));
  assert.is(keep.shown, `${IMAGE}:1.4.2@${NEW}`);
  const drop = roll(text, HELM, target, 'drop');
  assert.fixture(drop.patched, helmRelease('1.4.2'));
  assert.is(drop.shown, `${IMAGE}:1.4.2`);
  for (const r of [update, keep, drop]) assert.is(r.shown, r.declared, 'header and diff agree');
});

test('an unpinned Helm tag stays unpinned under update; a pinned one is unpinned when the target has no digest', () => {
  assert.fixture(roll(helmRelease('1.4.3'), HELM, { name: IMAGE, tag: '1.4.2', digest: OLD }, 'update').patched, helmRelease('1.4.2'));
  const r = roll(helmRelease(`1.4.3@${NEW}`), HELM, { name: IMAGE, tag: '1.4.2' }, 'update');
  assert.fixture(r.patched, helmRelease('1.4.2'));
  assert.is(r.shown, r.declared);
});

/** What a revert does: the file now, written the way the file before the deploying commit wrote its fields. */
function revert(now: string, before: string, locator: Locator, policy: DigestPolicy) {
  const was = findImage(before, locator, IMAGE);
  const location = shapedAsBefore(findImage(now, locator, IMAGE), was);
  const patched = patchYamlText(now, setImageOps(location, was.current, policy));
  return { patched, shown: formatImageRef(imageAfter(location, was.current, policy)), declared: formatImageRef(findImage(patched, locator, IMAGE).current) };
}

test('a revert of a bump that took the digest pin off puts the pin back under update (and only then)', () => {
  // Renovate with pinDigests wrote 1.4.2@sha; a person bumped to 1.4.3 by hand and dropped the pin.
  const before = helmRelease(`1.4.2@${OLD}`);
  const now = helmRelease('1.4.3');
  const update = revert(now, before, HELM, 'update');
  assert.fixture(update.patched, before, 'byte for byte the file before the bump');
  assert.is(update.shown, `${IMAGE}:1.4.2@${OLD}`);
  assert.is(update.declared, update.shown);
  const drop = revert(now, before, HELM, 'drop');
  assert.fixture(drop.patched, helmRelease('1.4.2'));
  assert.is(drop.shown, drop.declared);
  // The other way round (a bump that added the pin) is reverted to no pin, as before.
  const unpin = revert(helmRelease(`1.4.3@${NEW}`), helmRelease('1.4.2'), HELM, 'update');
  assert.fixture(unpin.patched, helmRelease('1.4.2'));
});

const kustomization = (entry: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
resources:
  - ../../base
images:
  - name: api # the placeholder base/deployment.yaml uses
${entry}
  - name: worker
    newName: ghcr.io/example-org/worker
    newTag: "2.0.1"
`;

test('kustomize: newName holding repo:tag is the image and its tag', () => {
  const text = kustomization(`    newName: ${IMAGE}:1.4.3`);
  const location = findImage(text, { kustomizeImage: 'api' }, IMAGE);
  assert.equal(location.current, { name: IMAGE, tag: '1.4.3' });
  assert.equal(location.fields, [{ document: 0, path: '/images/0/newName', holds: 'name', line: 8, carries: ['tag'] }]);
  const r = roll(text, { kustomizeImage: 'api' }, { name: IMAGE, tag: '1.4.2' }, 'update');
  assert.fixture(r.patched, kustomization(`    newName: ${IMAGE}:1.4.2`));
  assert.is(r.shown, `${IMAGE}:1.4.2`);
  assert.is(r.declared, r.shown);
});

test('kustomize: newName repo:tag@digest and newTag tag@digest follow config.digest', () => {
  const inName = kustomization(`    newName: ${IMAGE}:1.4.3@${NEW}`);
  const target = { name: IMAGE, tag: '1.4.2', digest: OLD };
  assert.fixture(roll(inName, { kustomizeImage: 'api' }, target, 'update').patched, kustomization(`    newName: ${IMAGE}:1.4.2@${OLD}`));
  assert.fixture(roll(inName, { kustomizeImage: 'api' }, target, 'drop').patched, kustomization(`    newName: ${IMAGE}:1.4.2`));
  const inTag = kustomization(`    newName: ${IMAGE}\n    newTag: 1.4.3@${NEW}`);
  const keep = roll(inTag, { kustomizeImage: 'api' }, target, 'keep');
  assert.fixture(keep.patched, kustomization(`    newName: ${IMAGE}\n    newTag: 1.4.2@${NEW}`));
  assert.is(keep.shown, keep.declared);
});

test('kustomize: reverting a bump that unpinned newName or newTag restores the pinned text', () => {
  const cases = [
    [`    newName: ${IMAGE}:1.4.2@${OLD}`, `    newName: ${IMAGE}:1.4.3`],
    [`    newName: ${IMAGE}\n    newTag: 1.4.2@${OLD}`, `    newName: ${IMAGE}\n    newTag: 1.4.3`],
  ];
  for (const [before, now] of cases) {
    const r = revert(kustomization(now!), kustomization(before!), { kustomizeImage: 'api' }, 'update');
    assert.fixture(r.patched, kustomization(before!));
    assert.is(r.shown, `${IMAGE}:1.4.2@${OLD}`);
    assert.is(r.declared, r.shown);
  }
});

test('kustomize: a tag in newName beside a newTag field is newTag\'s to say', () => {
  // kustomize would append newTag to the whole newName; hotfix reads the fields as written and changes only newTag.
  const text = kustomization(`    newName: ${IMAGE}\n    newTag: "1.4.3"`);
  assert.equal(findImage(text, { kustomizeImage: 'api' }, IMAGE).fields.map((f) => f.carries ?? []), [[], []]);
});

test('kustomize: an entry with only a plain newName still says no version (HF207)', () => {
  assert.match(hotfixFailure(() => findImage(kustomization(`    newName: ${IMAGE}`), { kustomizeImage: 'api' }, IMAGE)), /^HF207 the images entry "api" at line 7 sets neither newTag nor digest, nor a tag in newName/);
});

test.run();
