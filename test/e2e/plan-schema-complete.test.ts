import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenario, type AppScenarioOptions } from '../../fixtures/app-scenario.js';
import { fluxV2Repo } from '../../fixtures/automation-scenarios.js';
import { applicationSetRepo } from '../../fixtures/argocd-application-set-scenario.js';
import { buildPrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import { withGitSettings } from '../../fixtures/protected-remote.js';
import type { Plan } from '../../src/plan/types.js';
import { plan as rollbackPlan } from '../helpers/automation-cli.js';
import { closedSchema, undescribedFields } from '../helpers/closed-schema.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

// plan.schema.json is what a plan's reader is promised (README: Plan format versions): every
// field a plan made by the built CLI carries must be described there, in the object it sits
// in. Apply validates plans against the published schema, which ignores unknown fields (a
// minor bump adds some), so only a closed copy of it finds a field the code writes and the
// schema forgot.

const registry = registryForFile(test);
const FLUX_SORTABLE: AppScenarioOptions['ci'] = { tagFormat: '{branch}-{sha8}-{timestamp}', revisionFrom: '[tag]', tag: (sha, built) => `main-${sha.slice(0, 8)}-${Math.floor(built.getTime() / 1000)}` };

async function hotfixPlan(s: AppScenario): Promise<Plan> {
  const file = join(s.root, 'plan.json');
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(readFileSync(file, 'utf8')) as Plan;
}

test('the closed copy finds a field the schema does not describe, in the object it sits in, and only there', () => {
  const schema = { type: 'object', properties: { kind: { const: 'rollback' }, actions: { type: 'array', items: { oneOf: [{ properties: { kind: { const: 'merge' }, into: { type: 'string' } } }, { properties: { kind: { const: 'tag' }, tag: { type: 'string' } } }] } } } };
  const value = { kind: 'rollback', actions: [{ kind: 'merge', into: 'main', merge: { strategy: 'ort' } }, { kind: 'tag', tag: 'v1' }] };
  const file = join(tempDir(), 'schema.json');
  writeFileSync(file, JSON.stringify(schema));
  assert.equal(undescribedFields(value, file), ['/actions/0: merge']);
  assert.equal(undescribedFields({ kind: 'rollback', actions: [{ kind: 'tag', tag: 'v1' }] }, file), []);
  const closed = closedSchema(schema) as { additionalProperties: boolean };
  assert.is(closed.additionalProperties, false);
});

test('a hotfix plan through pull requests, its tag decided at the gate: every field described (merge-backs, gate, review requests)', async () => {
  const s = await buildAppScenario(tempDir(), '127.0.0.1:9', { ci: FLUX_SORTABLE });
  await withGitSettings(s.policyFile, { via: 'pull-request' });
  const p = await hotfixPlan(s);
  assert.equal([...new Set(p.actions.map((a) => a.kind))].sort(), ['cherry-pick', 'commit', 'create-branch', 'gate', 'merge', 'open-pull-request', 'push', 'tag']);
  assert.ok(p.actions.some((a) => a.kind === 'commit' && a.tagFromGate !== undefined) && p.actions.some((a) => a.kind === 'merge' && a.rederive !== undefined), 'the optional fields are there to check');
  assert.equal(undescribedFields(p), []);
});

test('a hotfix plan deployed and merged back directly: every field described', async () => {
  const s = await buildAppScenario(tempDir(), '127.0.0.1:9', { ci: FLUX_SORTABLE });
  const p = await hotfixPlan(s);
  assert.ok(p.actions.some((a) => a.kind === 'merge'), 'it merges the hotfix back');
  assert.equal(undescribedFields(p), []);
});

test('a hotfix plan with a baseline config branch (prd/nop): every field described (baseline, its commit)', async () => {
  const s = await buildPrdNopScenario(tempDir(), registry.host);
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: s.deployed.commit } });
  const file = join(s.root, 'plan.json');
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  const p = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.ok(p.baseline !== undefined && p.actions.some((a) => a.kind === 'commit' && a.purpose === 'baseline-config'));
  assert.equal(undescribedFields(p), []);
});

test('rollback plans with a pinned ImagePolicy, and with an ApplicationSet\'s finding: every field described', async () => {
  const flux = await fluxV2Repo(tempDir(), '      automation: { onRollback: pin }\n');
  const pinned = rollbackPlan(flux, 'api').plan;
  assert.ok(pinned.actions.some((a) => a.kind === 'commit' && a.purpose === 'pin-policy'));
  assert.equal(undescribedFields(pinned), []);
  const set = rollbackPlan(await applicationSetRepo(tempDir(), '      automation: { onRollback: pin }\n'), 'checkout').plan;
  assert.ok(set.diagnostics.length > 0);
  assert.equal(undescribedFields(set), []);
});

test.run();
