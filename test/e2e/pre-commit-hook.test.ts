// The pre-commit hook (.pre-commit-hooks.yaml), checked by the real pre-commit's manifest
// validator. Not `pre-commit try-repo`: installing a node hook runs `npm install` of every
// devDependency in a copy of the repository, which needs the registry (or a cache holding
// all of them), and the tests run without a network.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { HANG_GUARD_MS } from '../helpers/hang-guard.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const MANIFEST = join(ROOT, '.pre-commit-hooks.yaml');

function preCommit(args: readonly string[]) {
  const r = spawnSync('pre-commit', args, { cwd: ROOT, encoding: 'utf8', timeout: HANG_GUARD_MS, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  return { code: r.status, output: r.stdout + r.stderr };
}

test('pre-commit validates the hook manifest', () => {
  const r = preCommit(['validate-manifest', MANIFEST]);
  assert.is(r.code, 0, r.output);
});

test('the validator refuses a manifest whose language pre-commit does not know, so the check above can fail', () => {
  const broken = join(tempDir(), '.pre-commit-hooks.yaml');
  writeFileSync(broken, readFileSync(MANIFEST, 'utf8').replace('language: node', 'language: nodejs'));
  const r = preCommit(['validate-manifest', broken]);
  assert.is(r.code, 1);
  assert.match(r.output, /At key: language/);
});

test('the hook runs the command the package installs, on YAML files', () => {
  const hooks = parse(readFileSync(MANIFEST, 'utf8')) as Array<{ id: string; entry: string; types: string[] }>;
  const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  assert.equal(hooks.map((h) => h.id), ['hotfix-lint']);
  const [command, ...args] = hooks[0]!.entry.split(' ');
  assert.ok(command! in bin, `${command} is not a bin of package.json`);
  assert.equal(args, ['lint']);
  assert.equal(hooks[0]!.types, ['yaml']);
});

test.run();
