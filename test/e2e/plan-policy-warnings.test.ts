import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §4: a policy finding that changes what a hotfix plan does is in the plan, not
// only in `hotfix lint`. Seed 000's shop-api tags mainline builds main-<sha7> (app.tagFormat)
// and has no hotfix.imageTag, so the gate would wait for main-<sha7> of the hotfix head,
// an image CI never builds from a hotfix branch (HF146).

const registry = registryForFile(test);
const HF146 = /a hotfix's gate would wait for .*team\/shop-api:main-\{sha7\} of the hotfix head \(app\.tagFormat, as there is no hotfix\.imageTag\)/;

test('plan hotfix carries HF146 among its warnings in JSON, text and markdown, and still makes the plan', async () => {
  const g = await gatedHotfix(registry.host, 61);
  const { s } = g;
  const plan = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const found = plan.diagnostics.filter((d) => d.code === 'HF146');
  assert.is(found.length, 1, JSON.stringify(plan.diagnostics));
  assert.is(found[0]!.severity, 'warning');
  assert.match(found[0]!.message, HF146);
  assert.is(found[0]!.file, undefined, 'the plan names its policy by hash, never by a path of this machine');
  for (const format of ['text', 'markdown']) {
    const shown = await runCliAsync(['show', '--format', format, g.planFile], { cwd: s.root });
    assert.is(shown.code, 0, shown.stderr);
    assert.not.ok(hasStackTrace(shown.stderr), shown.stderr);
    const line = shown.stdout.split('\n').find((l) => HF146.test(l));
    assert.ok(line, shown.stdout);
    assert.ok(line!.includes('HF146'), line);
  }
  const json = await runCliAsync(['show', '--format', 'json', g.planFile], { cwd: s.root });
  assert.ok((JSON.parse(json.stdout) as Plan).diagnostics.some((d) => d.code === 'HF146'), json.stdout);

  // With the tag CI gives hotfix branch builds (docker/metadata-action's type=sha,prefix={{branch}}-), no such warning.
  const text = readFileSync(s.policyFile, 'utf8');
  const fixed = text.replace(/\n {4}tag: "hotfix-\{date\}-\{sha7\}"\n/, '\n    tag: "hotfix-{date}-{sha7}"\n    imageTag: "{branch}-{sha7}"\n');
  assert.ok(fixed !== text, 'the fixture names its hotfix tag as expected');
  writeFileSync(s.policyFile, fixed);
  const file = join(s.root, 'fixed.json');
  const clean = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file], { cwd: s.root });
  assert.is(clean.code, 0, clean.stderr);
  assert.not.ok((JSON.parse(readFileSync(file, 'utf8')) as Plan).diagnostics.some((d) => d.code === 'HF146'));
  assert.not.match(clean.stdout + clean.stderr, /HF146/);
});

test.run();
