import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fluxV1Repo } from '../../fixtures/automation-scenarios.js';
import { fluxV1HelmRepo, ORDERS_IMAGE, ORDERS_TAGS } from '../../fixtures/flux-v1-helm-scenario.js';
import { applied, changedLines, codes, commits, fluxV1Allows, plan, status, yamlAt } from '../helpers/automation-cli.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Tags a registry could offer next to the ones deployed: newer patches, a prerelease, a new minor. */
const OFFERED = [...ORDERS_TAGS, '4.0.6', '4.0.4-rc.1', '4.1.0', 'v4.0.4'];

test('Flux v1: suspend turns automation off where automated: "true" is written, as fluxctl deautomate does; apply makes that commit and status then sees it off', async () => {
  const r = await fluxV1Repo(tempDir(), '      automation: { onRollback: suspend }\n');
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), []);
  const [revert, off] = applied(r, p);
  assert.equal(changedLines(revert!), ['-    newTag: master-26a4b87', '+    newTag: master-f01225d']);
  assert.is(off!.purpose, 'suspend-automation');
  assert.is(off!.changes[0]!.path, 'app/bases/tracker-api-deployment.yaml');
  assert.equal(changedLines(off!), ['-    fluxcd.io/automated: "true"', '+    fluxcd.io/automated: "false"']);
  assert.match(off!.message, /^Turn Flux automation off for api:deployment\/tracker-api\n/);
  assert.match(off!.message, /This is what fluxctl deautomate --workload=api:deployment\/tracker-api commits\./);
  gitOut(r.repo, ['merge', '--quiet', '--ff-only', off!.commit]);
  assert.equal(status(r, 'api').map((a) => [a.name, a.active]), [['api:deployment/tracker-api', false]]);
});

test('Flux v1: pin rewrites the tag filter where it wins (the overlay patch, not the base) to glob:<rollback tag>, which lets only that tag through', async () => {
  const r = await fluxV1Repo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  assert.is(pin!.purpose, 'pin-policy');
  assert.is(pin!.changes[0]!.path, 'app/gke/api-automation.yaml');
  assert.equal(changedLines(pin!), ['-    fluxcd.io/tag.api: glob:master-*', '+    fluxcd.io/tag.api: glob:master-f01225d']);
  const filter = yamlAt(r, pin!.commit, 'app/gke/api-automation.yaml').metadata.annotations['fluxcd.io/tag.api'];
  const offered = ['master-4e1ab7c', 'master-f01225d', 'master-26a4b87', 'master-f01225d0', 'xmaster-f01225d', 'master-9b8c7d6'];
  assert.equal(fluxV1Allows('glob:master-*', offered).length, offered.length - 1, 'the reference lets every master- tag through before the pin');
  assert.equal(fluxV1Allows(filter, offered), ['master-f01225d']);
  // Still automated: a pin keeps the workload's other containers updated.
  assert.equal(status(r, 'api').map((a) => a.active), [true]);
});

test('Flux v1: a HelmRelease of the app\'s own image, automated by its annotations, is warned about with its chart-image filter', async () => {
  const r = await fluxV1HelmRepo(tempDir());
  const { plan: p } = plan(r, 'orders');
  assert.equal(codes(p), ['HF350']);
  assert.match(p.diagnostics[0]!.message, /^Flux v1 automates shop:helmrelease\/orders \(fluxcd\.io\/automated in releases\/orders\.yaml, tag filter semver:~4\.0\)/);
  assert.equal(changedLines(commits(p)[0]!), [`-      tag: ${ORDERS_TAGS[2]}`, `+      tag: ${ORDERS_TAGS[1]}`]);
  assert.equal(status(r, 'orders').map((a) => [a.engine, a.name, a.file, a.active]), [['flux-v1', 'shop:helmrelease/orders', 'releases/orders.yaml', true]]);
});

test('Flux v1: pin on a HelmRelease sets filter.fluxcd.io/chart-image to the rollback tag and leaves the exporter\'s filter alone', async () => {
  const r = await fluxV1HelmRepo(tempDir(), '      automation: { engine: flux-v1, onRollback: pin }\n');
  const { plan: p } = plan(r, 'orders');
  assert.equal(codes(p), []);
  const [revert, pin] = applied(r, p);
  assert.is(revert!.changes[0]!.path, 'releases/orders.yaml');
  assert.equal(changedLines(pin!), ['-    filter.fluxcd.io/chart-image: semver:~4.0', `+    filter.fluxcd.io/chart-image: glob:${ORDERS_TAGS[1]}`]);
  const annotations = yamlAt(r, pin!.commit, 'releases/orders.yaml').metadata.annotations;
  assert.is(fluxV1Allows('semver:~4.0', OFFERED).includes('4.0.6'), true, 'the reference lets a newer patch through before the pin');
  assert.equal(fluxV1Allows(annotations['filter.fluxcd.io/chart-image'], OFFERED), [ORDERS_TAGS[1]]);
  assert.is(annotations['filter.fluxcd.io/exporter'], 'glob:v0.*');
  assert.is(annotations['fluxcd.io/automated'], 'true');
  // Both commits are on one branch: the pin's file is the revert's file, so the pin was built on the reverted text.
  assert.is(yamlAt(r, pin!.commit, 'releases/orders.yaml').spec.values.image.tag, ORDERS_TAGS[1]);
  assert.match(pin!.message, new RegExp(`would release the newer ${ORDERS_IMAGE.replace(/\./g, '\\.')} tag straight back`));
});

test('Flux v1: suspend on a HelmRelease without a tag filter turns automation off; pin adds filter.fluxcd.io/chart-image', async () => {
  const r = await fluxV1HelmRepo(tempDir(), '      automation: { onRollback: suspend }\n', { filter: false });
  const [, off] = applied(r, plan(r, 'orders').plan);
  assert.equal(changedLines(off!), ['-    fluxcd.io/automated: "true"', '+    fluxcd.io/automated: "false"']);
  const s = await fluxV1HelmRepo(tempDir(), '      automation: { onRollback: pin }\n', { filter: false });
  const [, pin] = applied(s, plan(s, 'orders').plan);
  assert.equal(changedLines(pin!), [`+    filter.fluxcd.io/chart-image: glob:${ORDERS_TAGS[1]}`]);
});

test.run();
