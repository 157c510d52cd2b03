import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PATCHED_TAGS } from '../../fixtures/flux-patched-policy-scenario.js';
import { selectorRepo } from '../../fixtures/flux-policy-selector-scenarios.js';
import { applied, changedLines, codes, fluxSelects, plan } from '../helpers/automation-cli.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { renderedPolicy } from '../helpers/rendered-policy.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const OFFERED = [...PATCHED_TAGS, 'prod-9b8c7d6-1762010800', 'main-1a2b3c4-1762099999'];

test('a patch whose target names the policy by a regular expression (name: cart.*) is the one that wins: the pin is written there and renders', async () => {
  const r = await selectorRepo(tempDir(), 'regex-target');
  assert.is(fluxSelects(renderedPolicy(r, 'main', 'apps/production'), OFFERED), 'prod-9b8c7d6-1762010800', 'kustomize applies the patch: the reference picks the newest prod build');
  const { plan: p } = plan(r, 'cart');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  assert.equal(pin!.changes.map((c) => c.path), ['apps/production/cart-policy.yaml']);
  assert.equal(changedLines(pin!), ["-    pattern: '^prod-[a-fA-F0-9]+-(?P<ts>[0-9]+)$'", "+    pattern: '^prod-f01225d-(?P<ts>1762003600)$'"]);
  assert.is(fluxSelects(renderedPolicy(r, pin!.commit, 'apps/production'), OFFERED), PATCHED_TAGS[1]);
  assert.is(gitOut(r.repo, ['diff', 'main', pin!.commit, '--', 'apps/base']), '');
});

test('a replacement that sets the filter after the patches: the pin written in the patch does not render as planned, and the plan is refused (HF354)', async () => {
  const r = await selectorRepo(tempDir(), 'replacement');
  assert.is(fluxSelects(renderedPolicy(r, 'main', 'apps/production'), OFFERED), 'prod-9b8c7d6-1762010800');
  const out = join(r.root, 'refused.json');
  const result = runCli(['plan', 'rollback', '--policy', r.policies.cart!, '--env', 'production', '--repo', `deploy=${r.repo}`, '--out', out], { cwd: r.root });
  assert.is(result.code, 1, result.stdout);
  const lines = result.stderr.trim().split('\n');
  assert.is(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /^error {2}after the planned pin of ImagePolicy flux-system\/cart, kubectl kustomize apps\/production renders it with \{"pattern":"\^prod-\[a-fA-F0-9\]\+-\(\?P<ts>\[0-9\]\+\)\$","extract":"\$ts","numerical":"asc"\}, not \{"pattern":"\^prod-f01225d-\(\?P<ts>1762003600\)\$".* \[HF354\]$/);
  assert.not.ok(existsSync(out), 'a refused plan is not written');
});

test.run();
