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

test('a clusters generator, which only the cluster can expand: the set that lists the image is HF366 saying why', async () => {
  const r = await applicationSetRepo(tempDir(), '      automation: { onRollback: suspend }\n', 'clusters');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), ['HF366']);
  assert.ok(p.diagnostics[0]!.message.startsWith(`ApplicationSet argocd/production (${SET_FILE}) may make Applications whose image-list updates ghcr.io/example/checkout; which it makes cannot be read here (its clusters generator)`), p.diagnostics[0]!.message);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(status(r, 'checkout').map((a) => a.name), ['ApplicationSet argocd/production (its Applications unknown: its clusters generator)']);
});

test.run();
