import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CR_FILE, CR_IMAGE, CR_TAGS, HELM_OVERRIDE, HELM_VALUES, helmOverrideRepo, imageUpdaterCrRepo, OVERRIDE_FILE } from '../../fixtures/argocd-image-updater-cr-scenario.js';
import { applied, codes, commits, plan, status, yamlAt } from '../helpers/automation-cli.js';
import { argoRepo } from '../../fixtures/automation-scenarios.js';
import { countingShim } from '../helpers/counting-shim.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const OVERLAY = 'apps/checkout/overlays/production/kustomization.yaml';
const NEWER = [...CR_TAGS, 'main-9b8c7d6', 'rc-1a2b3c4'];

/**
 * The tags an ImageUpdater lets through for an Application, written from the updater's docs
 * (docs/configuration/images.md, applications.md): the ref an exact namePattern names wins
 * over one with a label selector its labels match (matchLabels), which wins over a glob; commonUpdateSettings of the resource, the ref and the image apply field by
 * field, the later winning; allowTags is `regexp:<expression>` or `any`; ignoreTags are
 * globs, `*` ignoring every tag.
 */
function allowedTags(cr: any, app: string, alias: string, tags: readonly string[], labels: Record<string, string> = {}): string[] {
  const refs: any[] = cr.spec.applicationRefs;
  const named = (r: any) => new RegExp(`^${r.namePattern.replace(/\*/g, '.*')}$`).test(app);
  const labelled = (r: any) => Object.entries(r.labelSelectors.matchLabels).every(([k, v]) => labels[k] === v);
  const ref = refs.find((r) => r.namePattern === app) ?? refs.find((r) => r.labelSelectors && named(r) && labelled(r)) ?? refs.find((r) => !r.labelSelectors && named(r));
  const image = ref.images.find((i: any) => i.alias === alias);
  const settings = { ...cr.spec.commonUpdateSettings, ...ref.commonUpdateSettings, ...image.commonUpdateSettings };
  const allow = settings.allowTags ?? 'any';
  const ignore: string[] = [settings.ignoreTags ?? []].flat();
  return tags.filter(
    (t) => (allow === 'any' || (allow.startsWith('regexp:') && new RegExp(allow.slice('regexp:'.length)).test(t))) && !ignore.some((g) => new RegExp(`^${g.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(t)),
  );
}

test('ImageUpdater pin: the rollback commit restores the tag and the most specific ref allows only it, the other refs untouched', async () => {
  const r = await imageUpdaterCrRepo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), []);
  const [revert, pin] = applied(r, p);
  assert.is(yamlAt(r, revert!.commit, OVERLAY).images[0].newTag, CR_TAGS[1]);
  assert.equal(pin!.changes.map((c) => c.path), [CR_FILE]);
  const before = yamlAt(r, 'main', CR_FILE);
  const after = yamlAt(r, pin!.commit, CR_FILE);
  assert.equal(allowedTags(before, 'checkout-production', 'checkout', NEWER), ['main-4e1ab7c', 'main-f01225d', 'main-26a4b87', 'main-9b8c7d6'], 'the reference lets newer tags through before the pin');
  assert.equal(allowedTags(after, 'checkout-production', 'checkout', NEWER), [CR_TAGS[1]]);
  assert.is(after.spec.applicationRefs[1].images[0].commonUpdateSettings.allowTags, `regexp:^main-f01225d$`);
  assert.equal(after.spec.applicationRefs[0], before.spec.applicationRefs[0], 'the checkout-* ref serves staging, not production');
  assert.equal(after.spec.applicationRefs[1].images[1], before.spec.applicationRefs[1].images[1], 'the sidecar keeps updating');
  assert.match(pin!.message, /Allow only \^main-f01225d\$ for image checkout in ImageUpdater argocd\/checkout/);
  assert.match(pin!.message, /Put allowTags back to "regexp:\^main-\[0-9a-f\]\{7\}\$"/);
});

test('ImageUpdater suspend: the image ignores every tag; without onRollback the plan warns (HF351); status reports the resource', async () => {
  const r = await imageUpdaterCrRepo(tempDir(), '      automation: { engine: argocd-image-updater, onRollback: suspend }\n');
  const [, off] = applied(r, plan(r, 'checkout').plan);
  const after = yamlAt(r, off!.commit, CR_FILE);
  assert.equal(after.spec.applicationRefs[1].images[0].commonUpdateSettings.ignoreTags, ['*']);
  assert.equal(allowedTags(after, 'checkout-production', 'checkout', NEWER), []);
  assert.equal(status(r, 'checkout').map((a) => [a.engine, a.name, a.active, a.file]), [['argocd-image-updater', 'ImageUpdater argocd/checkout image checkout', true, CR_FILE]]);

  const warned = await imageUpdaterCrRepo(tempDir());
  const { plan: p } = plan(warned, 'checkout');
  assert.equal(codes(p), ['HF351']);
  assert.match(p.diagnostics[0]!.message, /updates ghcr\.io\/example\/checkout through ImageUpdater argocd\/checkout \(argocd\/image-updaters\/checkout\.yaml\) \(write-back git:secret:git-creds\)/);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
});

test('a ref that serves staging too: the pin is written there, and the commit says it holds staging\'s image as well', async () => {
  const r = await imageUpdaterCrRepo(tempDir(), '      automation: { onRollback: pin }\n', { sharedRef: true });
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  const after = yamlAt(r, pin!.commit, CR_FILE);
  const labels = { 'app.kubernetes.io/part-of': 'checkout', environment: 'production' };
  assert.is(after.spec.applicationRefs[1].images[0].commonUpdateSettings.allowTags, 'regexp:^main-f01225d$', 'the ref the Application\'s labels select');
  assert.equal(after.spec.applicationRefs[0], yamlAt(r, 'main', CR_FILE).spec.applicationRefs[0]);
  assert.equal(allowedTags(after, 'checkout-production', 'checkout', NEWER, labels), [CR_TAGS[1]]);
  assert.match(pin!.message, /\nThe entry also serves checkout-staging, whose image it holds as well\.\nPut allowTags back to "regexp:\^main-\[0-9a-f\]\{7\}\$" once a fixed image is released\./);
});

test('an updater writing through the Argo CD API (no writeBackConfig): suspend leaves its tag in the live Application (HF357); pin does not', async () => {
  const r = await imageUpdaterCrRepo(tempDir(), '      automation: { onRollback: suspend }\n', { apiWriteBack: true });
  assert.not.ok('writeBackConfig' in yamlAt(r, 'main', CR_FILE).spec);
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF357']);
  assert.match(p.diagnostics[0]!.message, /^ImageUpdater argocd\/checkout \(argocd\/image-updaters\/checkout\.yaml\) writes back through the Argo CD API \(write-back argocd, the default\): the tag it last set for ghcr\.io\/example\/checkout stays in the spec\.source of Application checkout-production in the cluster/);
  assert.match(p.diagnostics[0]!.message, /argocd app unset checkout-production --kustomize-image ghcr\.io\/example\/checkout/);
  assert.equal(commits(p).map((c) => c.purpose), ['revert', 'suspend-automation']);

  const pinned = await imageUpdaterCrRepo(tempDir(), '      automation: { onRollback: pin }\n', { apiWriteBack: true });
  assert.equal(codes(plan(pinned, 'checkout').plan), []);
});

test('a write-back file that sets the image over the rolled-back kustomization is rolled back in the same commit: what Argo CD renders is the rollback tag', async () => {
  for (const override of [OVERRIDE_FILE, 'apps/checkout/overlays/production/.argocd-source.yaml']) {
    const r = await imageUpdaterCrRepo(tempDir(), '      automation: { onRollback: pin }\n', { staleOverride: override });
    const { plan: p, stdout } = plan(r, 'checkout');
    assert.equal(codes(p), [], override);
    assert.equal(commits(p).map((c) => c.purpose), ['revert', 'pin-policy']);
    const [revert] = applied(r, p);
    assert.equal(revert!.changes.map((c) => c.path), [override, OVERLAY], 'in git\'s order of paths');
    // What Argo CD renders: the kustomization's tag, then the write-back file's entry set over it (kustomize edit set image).
    const rolledBack = (yamlAt(r, revert!.commit, OVERLAY).images as Array<{ newTag: string }>)[0]!.newTag;
    assert.is.not(rolledBack, (yamlAt(r, 'main', OVERLAY).images as Array<{ newTag: string }>)[0]!.newTag);
    assert.equal(yamlAt(r, 'main', override).kustomize.images, [`${CR_IMAGE}:${CR_TAGS[0]}`], 'the fixture\'s file sets another tag');
    assert.equal(yamlAt(r, revert!.commit, override).kustomize.images, [`${CR_IMAGE}:${rolledBack}`]);
    assert.match(revert!.message, new RegExp(`Also set, so that the rollback is what runs:\n${override.replace(/[.]/g, '\\.')}: kustomize\\.images `));
    assert.ok(stdout.includes(`${override}`), stdout);
    const file = join(r.root, 'override.json');
    writeFileSync(file, JSON.stringify(p));
    const markdown = runCli(['show', file, '--format', 'markdown'], { cwd: r.root });
    assert.is(markdown.code, 0, markdown.stderr);
    assert.ok(markdown.stdout.includes(`+++ b/${override}`) && markdown.stdout.includes(`+  - ${CR_IMAGE}:${rolledBack}`), markdown.stdout);
  }
});

test('a write-back file whose Helm parameter sets the tag over the rolled-back values file has that parameter rolled back too, beside the ImageUpdater\'s HF351', async () => {
  const r = await helmOverrideRepo(tempDir());
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF351']);
  const [revert] = applied(r, p);
  assert.equal(revert!.changes.map((c) => c.path), [HELM_OVERRIDE, HELM_VALUES]);
  const tag = yamlAt(r, revert!.commit, HELM_VALUES).image.tag as string;
  assert.is.not(tag, CR_TAGS[0]);
  const parameters = (commit: string) => yamlAt(r, commit, HELM_OVERRIDE).helm.parameters as Array<{ name: string; value: string; forcestring?: boolean }>;
  assert.equal(parameters('main').find((q) => q.name === 'image.tag')!.value, CR_TAGS[0]);
  // Argo CD sets the parameters over the values file (--set): the image.tag entry must say the rollback tag; the rest stays as the updater wrote it.
  assert.equal(parameters(revert!.commit), parameters('main').map((q) => (q.name === 'image.tag' ? { ...q, value: tag } : q)));
});

test('Applications an ApplicationSet makes (a list generator) are read from its template: the ImageUpdater ref that names production is pinned as for a written Application', async () => {
  const r = await imageUpdaterCrRepo(tempDir(), '      automation: { onRollback: pin }\n', { applicationSet: true });
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  const before = yamlAt(r, 'main', CR_FILE);
  const after = yamlAt(r, pin!.commit, CR_FILE);
  assert.equal(allowedTags(after, 'checkout-production', 'checkout', NEWER), [CR_TAGS[1]]);
  assert.equal(after.spec.applicationRefs[0], before.spec.applicationRefs[0], 'the checkout-* ref serves the set\'s staging Application, not production');
  assert.equal(status(r, 'checkout').map((a) => [a.engine, a.name]), [['argocd-image-updater', 'ImageUpdater argocd/checkout image checkout']]);
});

test('Applications are looked for only where an ImageUpdater is: one more git grep then, none without', async () => {
  const greps = (r: { root: string; repo: string; policies: Readonly<Record<string, string>> }) => {
    const shim = countingShim('git');
    const result = runCli(['status', '--policy', r.policies.checkout!, '--repo', `deploy=${r.repo}`, '--no-cluster'], { cwd: r.root, env: { PATH: shim.path() } });
    assert.is(result.code, 0, result.stderr);
    return shim.invocations().filter((line) => /(^| )grep /.test(line)).length;
  };
  const annotated = greps(await argoRepo(tempDir()));
  assert.is(greps(await imageUpdaterCrRepo(tempDir())), annotated + 1);
});

test.run();
