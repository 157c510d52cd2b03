import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planRollback, scenario } from '../helpers/rollback-scenario.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

test('control characters in user input never reach the terminal raw', () => {
  const cwd = tempDir();
  // A value (quoted as JSON in messages) and a key (quoted as it is) with an escape sequence.
  writeFileSync(join(cwd, 'p.yaml'), 'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\nmetadata:\n  name: "api-\\e[2Jjs"\n  "col\\e[2Jour": red\nspec: {}\n');
  const r = runCli(['lint', 'p.yaml'], { cwd });
  assert.is(r.code, 1);
  assert.not.ok(/[\x00-\x09\x0b-\x1f\x7f]/.test(r.stdout), 'no control character but line breaks');
  assert.match(r.stdout, /unknown property "col\\x1b\[2Jour" in metadata/);
});

test('a repository may be called "constructor"; a bound path that does not exist is HF201', async () => {
  const s = await scenario();
  const policy = join(s.root, 'constructor.yaml');
  writeFileSync(policy, (await import('node:fs')).readFileSync(s.policyFile, 'utf8').replace(/repo: deploy/g, 'repo: constructor'));
  const r = runCli(['plan', 'rollback', '--policy', policy, '--env', 'production', '--repo', `constructor=${s.configRepo}`, '--no-cluster', '--reason', 'r'], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  const { plan } = planRollback(s, ['--reason', 'r']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const missing = runCli(['apply', '--auto-approve', '--no-cluster', '--repo', `deploy=${join(s.root, 'nowhere')}`, file], { cwd: s.root });
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /repository "deploy" at .*nowhere is not a git repository {2}\[HF201\]/);
});

test('a path bound inside a work tree, not at its top, is HF201 naming the top, for plan and for apply', async () => {
  const s = await scenario();
  const sub = join(s.configRepo, 'app');
  const expected = new RegExp(`repository "deploy" at .*/app is the subdirectory app/ of a git repository; bind its top level: --repo deploy=${s.configRepo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2}\\[HF201\\]`);
  const plan = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${sub}`, '--no-cluster', '--reason', 'r'], { cwd: s.root });
  assert.is(plan.code, 1);
  assert.match(plan.stderr, expected);
  const { plan: saved } = planRollback(s, ['--reason', 'r']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(saved));
  const apply = runCli(['apply', '--dry-run', '--no-cluster', '--repo', `deploy=${sub}`, file], { cwd: s.root });
  assert.is(apply.code, 1);
  assert.match(apply.stderr, expected);
});

test.run();
