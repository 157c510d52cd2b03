import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unlistedApplicationSetRepo, UNLISTED_SET_FILE } from '../../fixtures/argocd-unlisted-application-set-scenario.js';
import { hasStackTrace } from '../helpers/run-cli.js';
import { codes, commits, plan, status } from '../helpers/automation-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Rollback plans through the built CLI where an ApplicationSet's generators are ones only the
// ApplicationSet controller evaluates: the plan says once per set that its Applications could
// not be listed, which generator, what that means for the rollback and how to list them (HF238);
// never silence, never a crash. A set that renders another overlay says nothing. A matrix whose
// second child reads the first's parameters is expanded as Argo CD expands it.

const LIST = `kubectl get applicationsets.argoproj.io checkout -n argocd -o jsonpath='{.status.resources[*].name}'`;
const PIN = '      automation: { onRollback: pin }\n';
const controllerOnly = (kind: string) => `its ${kind} generator, whose values only the ApplicationSet controller reads (from a forge, the cluster or a plugin)`;

function unlisted(p: ReturnType<typeof plan>['plan'], why: string): string {
  const found = p.diagnostics.filter((d) => d.code === 'HF238');
  assert.is(found.length, 1, 'once per ApplicationSet');
  const message = found[0]!.message;
  assert.ok(message.startsWith(`ApplicationSet argocd/checkout (${UNLISTED_SET_FILE}) may make an Application that renders apps/checkout/overlays/production/kustomization.yaml, but which Applications it makes cannot be listed from the repository (${why})`), message);
  assert.ok(message.includes('is not seen by this plan and may write a newer tag back after the rollback merges'), message);
  assert.ok(message.includes(LIST), message);
  assert.ok(message.endsWith('restrict ghcr.io/example/checkout to regexp:^main-f01225d$ (allow-tags) wherever one of them updates it'), message);
  return message;
}

test('a cluster decision resource generator whose template lists the image: HF238 once, the rollback still a revert, nothing committed to the template', async () => {
  for (const automation of ['', PIN]) {
    const r = await unlistedApplicationSetRepo(tempDir(), 'cluster-decision', automation);
    const result = plan(r, 'checkout');
    assert.not.ok(hasStackTrace(result.stderr), result.stderr);
    assert.equal(codes(result.plan), ['HF238']);
    assert.ok(unlisted(result.plan, controllerOnly('clusterDecisionResource')).includes("each carries its template's image-list (app=ghcr.io/example/checkout)"));
    assert.equal(commits(result.plan).map((c) => c.purpose), ['revert']);
  }
  const r = await unlistedApplicationSetRepo(tempDir(), 'cluster-decision');
  assert.equal(status(r, 'checkout').map((a) => [a.engine, a.name, a.file]), [['argocd-image-updater', `ApplicationSet argocd/checkout (its Applications unknown: ${controllerOnly('clusterDecisionResource')})`, UNLISTED_SET_FILE]], 'status reports it too');
});

test('an SCM provider generator whose template lists a templated image: HF238 names it', async () => {
  const r = await unlistedApplicationSetRepo(tempDir(), 'scm-provider', PIN);
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF238']);
  assert.ok(unlisted(p, controllerOnly('scmProvider')).includes('(app=ghcr.io/example/{{.repository}})'));
});

test('a plugin generator whose Applications an ImageUpdater of the repository may select by name: HF238 besides the ImageUpdater\'s own HF352', async () => {
  const r = await unlistedApplicationSetRepo(tempDir(), 'plugin-image-updater', PIN);
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p).sort(), ['HF238', 'HF352']);
  assert.ok(unlisted(p, controllerOnly('plugin')).includes('the ImageUpdater of this repository may select them by name and update ghcr.io/example/checkout'));
});

test('a pull request generator whose template renders the preview overlay, not production: no finding', async () => {
  const r = await unlistedApplicationSetRepo(tempDir(), 'pull-request-preview', PIN);
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), []);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(status(r, 'checkout'), []);
});

test('a matrix whose git file generator reads the directory the first child found ({{.path.path}}/config.json): its Application is found, as Argo CD makes it', async () => {
  const r = await unlistedApplicationSetRepo(tempDir(), 'matrix-files', PIN);
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF366']);
  assert.ok(p.diagnostics[0]!.message.startsWith(`ApplicationSet argocd/checkout (${UNLISTED_SET_FILE}) makes Application checkout-prod-eu, whose image-list updates ghcr.io/example/checkout (write-back git)`), p.diagnostics[0]!.message);
  assert.equal(status(r, 'checkout').map((a) => a.name), ['Application argocd/checkout-prod-eu (made by ApplicationSet argocd/checkout)']);
});

test('a matrix whose git file path names a value its first child does not give: HF238 says which path, not "no Application"', async () => {
  const r = await unlistedApplicationSetRepo(tempDir(), 'matrix-unknown', PIN);
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF238']);
  unlisted(p, "its matrix generator's git generator's path apps/{{.service}}/overlays/production/config.json, whose reference no generator before it gives");
});

test.run();
