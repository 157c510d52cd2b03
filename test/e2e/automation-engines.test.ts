import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { argoRepo, ARGO_IMAGE, fluxV1Repo, fluxV2Repo, FLUX_V2_TAGS, renovateRepo, WEB_TAGS } from '../../fixtures/automation-scenarios.js';
import { applied, changedLines, codes, commits, fluxSelects, plan, status, yamlAt as policyAt } from '../helpers/automation-cli.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

test('Flux v1: the automated Deployment in the base, with its tag filter from the overlay patch, is warned about (HF350); other workloads are not', async () => {
  const r = await fluxV1Repo(tempDir());
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), ['HF350']);
  assert.match(p.diagnostics[0]!.message, /^Flux v1 automates api:deployment\/tracker-api \(fluxcd\.io\/automated in app\/bases\/tracker-api-deployment\.yaml, tag filter glob:master-\*\)/);
  assert.match(p.diagnostics[0]!.message, /fluxctl deautomate --workload=api:deployment\/tracker-api/);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(
    status(r, 'api').map((a) => [a.engine, a.name, a.active]),
    [['flux-v1', 'api:deployment/tracker-api', true]],
  );
});

test('Flux v2: two marker lines of one policy are rolled back together; pin keeps the extract group and still selects exactly the rollback tag', async () => {
  const r = await fluxV2Repo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), []);
  const [revert, pin] = applied(r, p);
  assert.is(changedLines(revert!).filter((l) => l.startsWith('+')).length, 2, 'both the init container and the container');
  assert.is(pin!.changes[0]!.path, 'clusters/production/image-policies/api.yaml');
  assert.equal(changedLines(pin!), ["-    pattern: '^main-[a-fA-F0-9]+-(?P<ts>.*)'", "+    pattern: '^main-f01225d-(?P<ts>1762003600)$'"]);
  const pinned = policyAt(r, pin!.commit, 'clusters/production/image-policies/api.yaml');
  const newer = [...FLUX_V2_TAGS, 'main-9b8c7d6-1762010800'];
  assert.is(fluxSelects(policyAt(r, 'main', 'clusters/production/image-policies/api.yaml'), newer), 'main-9b8c7d6-1762010800', 'the reference picks the newest before the pin');
  assert.is(fluxSelects(pinned, newer), FLUX_V2_TAGS[1]);
  assert.match(pin!.message, /Pin image policy flux-system\/api to main-f01225d-1762003600\n/);
});

test('Flux v2: pin on a semver policy without filterTags adds one and sets the range to that version', async () => {
  const r = await fluxV2Repo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'web');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  const pinned = policyAt(r, pin!.commit, 'clusters/production/image-policies/web.yaml');
  assert.equal(pinned.spec.filterTags, { pattern: '^1\\.4\\.1$' });
  assert.is(pinned.spec.policy.semver.range, '1.4.1');
  assert.is(fluxSelects(policyAt(r, 'main', 'clusters/production/image-policies/web.yaml'), [...WEB_TAGS, '1.5.0']), '1.5.0', 'the reference picks the newest before the pin');
  assert.is(fluxSelects(pinned, [...WEB_TAGS, '1.5.0']), '1.4.1');
});

test('Flux v2: suspend states its blast radius in the plan and the commit; unmarked fields are not covered', async () => {
  const r = await fluxV2Repo(tempDir(), '      automation: { onRollback: suspend }\n');
  const { plan: p } = plan(r, 'api');
  const [, suspend] = commits(p);
  const radius = 'Suspending it also stops 3 other markers of 2 other ImagePolicies (flux-system:web, flux-system:worker) under ./apps/production from being updated until it is resumed.';
  assert.ok(suspend!.message.includes(radius), suspend!.message);
  assert.ok(p.notes.includes(`Suspending image automation flux-system/flux-system: ${radius}`), p.notes.join('\n'));
  assert.equal(status(r, 'api').map((a) => [a.engine, a.name]), [['flux', 'flux-system/flux-system']]);
  // The cache container's line has no marker: Flux's Setters never write it.
  assert.equal(status(r, 'redis'), []);
});

test('Argo CD Image Updater: pin allows only the rollback tag for the alias; suspend takes the image off image-list', async () => {
  const root = tempDir();
  const r = await argoRepo(root, '      automation: { engine: argocd-image-updater, onRollback: pin }\n');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  assert.is(pin!.changes[0]!.path, 'argocd/checkout-production.yaml');
  assert.equal(changedLines(pin!), ['-    argocd-image-updater.argoproj.io/checkout.allow-tags: regexp:^main-[0-9a-f]{7}$', '+    argocd-image-updater.argoproj.io/checkout.allow-tags: regexp:^main-f01225d$']);

  const s = await argoRepo(tempDir(), '      automation: { onRollback: suspend }\n');
  const [, off] = commits(plan(s, 'checkout').plan);
  assert.equal(changedLines(off!), [`-    argocd-image-updater.argoproj.io/image-list: checkout=${ARGO_IMAGE}, sidecar=ghcr.io/example/envoy-sidecar`, '+    argocd-image-updater.argoproj.io/image-list: sidecar=ghcr.io/example/envoy-sidecar']);

  const warned = await argoRepo(tempDir());
  assert.equal(codes(plan(warned, 'checkout').plan), ['HF351']);
  assert.equal(status(warned, 'checkout').map((a) => [a.engine, a.name, a.active]), [['argocd-image-updater', 'Application argocd/checkout-production', true]]);
});

test('Argo CD Image Updater: a write-back file for an Application not in the repository is a warning that says where it is (HF352)', async () => {
  const r = await argoRepo(tempDir());
  const { plan: p } = plan(r, 'search');
  assert.equal(codes(p), ['HF352']);
  assert.match(p.diagnostics[0]!.message, /writes apps\/search\/overlays\/production\/\.argocd-source-search-production\.yaml for Application search-production, which is not in this repository/);
  assert.match(p.diagnostics[0]!.message, /kubectl -n argocd annotate application search-production argocd-image-updater\.argoproj\.io\/<alias>\.allow-tags=regexp:\^main-f01225d\$/);
});

test('Renovate: pull-request bots are reported by status and never warned about', async () => {
  const r = await renovateRepo(tempDir());
  const { plan: p } = plan(r, 'billing');
  assert.equal(codes(p), []);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(status(r, 'billing').map((a) => [a.engine, a.name, a.writesBack]), [['renovate', 'renovate.json', false]]);
  const text = runCli(['status', '--policy', r.policies.billing!, '--repo', `deploy=${r.repo}`, '--no-cluster'], { cwd: r.root });
  assert.match(text.stdout, /automation {2}renovate renovate\.json opens pull requests \(renovate\.json\)/);
});

test.run();
