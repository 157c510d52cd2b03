import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applicationSetRepo, SET_FILE } from '../../fixtures/argocd-application-set-scenario.js';
import { codes, commits, plan, status } from '../helpers/automation-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Rollback plans through the built CLI where an ApplicationSet makes the Applications and its
// template carries Argo CD Image Updater's annotations: the plan must see the updater that
// would write the bad tag back, though no Application is in the repository.

test('a git directory generator: the Application it makes for the rolled-back overlay is found; a pin is not committed to the shared template (HF366)', async () => {
  const r = await applicationSetRepo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF366']);
  const message = p.diagnostics[0]!.message;
  assert.ok(message.startsWith(`ApplicationSet argocd/production (${SET_FILE}) makes Application checkout-production, whose image-list updates ghcr.io/example/checkout (write-back git) and will write the newer tag back`), message);
  assert.match(message, /restrict that Application's alias to regexp:\^main-f01225d\$ \(allow-tags\) through the template/);
  assert.equal(commits(p).map((c) => c.purpose), ['revert'], 'nothing committed to the template every Application shares');
  assert.equal(status(r, 'checkout').map((a) => [a.engine, a.name, a.file]), [['argocd-image-updater', 'Application argocd/checkout-production (made by ApplicationSet argocd/production)', SET_FILE]], 'only the Application that renders the config: not search-production');
});

test('without onRollback the Application the set makes is the usual warning (HF351), named with its set', async () => {
  const r = await applicationSetRepo(tempDir());
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF351']);
  assert.match(p.diagnostics[0]!.message, /through Application argocd\/checkout-production \(made by ApplicationSet argocd\/production\) \(argocd\/applicationsets\/production\.yaml\) \(write-back git\)/);
});

const SECRETS = 'argocd.argoproj.io/secret-type=cluster,environment=production';
const CHECK = `Its clusters generator makes {{name}}-checkout once per Argo CD cluster secret labelled ${SECRETS}, which only the cluster holds; those Applications live in namespace argocd of the cluster Argo CD runs in: see which exist with kubectl get secrets -n argocd -l '${SECRETS}' and kubectl get applications.argoproj.io -n argocd`;

test('a clusters generator, whose clusters only the cluster knows: its template renders the rolled-back overlay, so its Applications are found, with where they live and what to check (HF366)', async () => {
  const r = await applicationSetRepo(tempDir(), '      automation: { onRollback: suspend }\n', 'clusters');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF366']);
  const message = p.diagnostics[0]!.message;
  assert.ok(message.startsWith(`ApplicationSet argocd/production (${SET_FILE}) makes Application {{name}}-checkout for each cluster it selects, whose image-list updates ghcr.io/example/checkout (write-back git) and will write the newer tag back`), message);
  assert.ok(message.endsWith(CHECK), message);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(status(r, 'checkout').map((a) => a.name), [`Application argocd/{{name}}-checkout (made by ApplicationSet argocd/production for each cluster secret ${SECRETS})`]);
});

test('a matrix of git directories and clusters: the Application of the rolled-back overlay, per production cluster, and not the other service (HF351 without onRollback)', async () => {
  const r = await applicationSetRepo(tempDir(), '', 'matrix-clusters');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF351']);
  const message = p.diagnostics[0]!.message;
  assert.match(message, /through Application argocd\/checkout-\{\{name\}\} \(made by ApplicationSet argocd\/production for each cluster secret argocd\.argoproj\.io\/secret-type=cluster,environment=production\) \(argocd\/applicationsets\/production\.yaml\) \(write-back git\)/);
  assert.ok(message.endsWith(CHECK.replace('{{name}}-checkout once', 'checkout-{{name}} once')), message);
  assert.equal(status(r, 'checkout').map((a) => a.name), [`Application argocd/checkout-{{name}} (made by ApplicationSet argocd/production for each cluster secret ${SECRETS})`], 'search-{{name}} renders another overlay');
});

test('a git file generator: the config.json beside the rolled-back overlay names its Application (HF366 with pin)', async () => {
  const r = await applicationSetRepo(tempDir(), '      automation: { onRollback: pin }\n', 'git-files');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF366']);
  assert.ok(p.diagnostics[0]!.message.startsWith(`ApplicationSet argocd/production (${SET_FILE}) makes Application checkout-prod-eu, whose image-list updates ghcr.io/example/checkout (write-back git)`), p.diagnostics[0]!.message);
  assert.equal(status(r, 'checkout').map((a) => a.name), ['Application argocd/checkout-prod-eu (made by ApplicationSet argocd/production)']);
});

test.run();
