import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writePlatformRepo } from '../../fixtures/platform-repo-layout.js';
import { hasStackTrace, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

test('--require-policy: a CI path that holds no policy fails with HF138, where it passed with nothing checked', () => {
  const cwd = tempDir();
  const repo = writePlatformRepo(cwd);
  // The motivating case: pointed at the manifests instead of the policies, lint checks nothing and says so only in its count.
  const silent = runCli(['lint', repo.manifests], { cwd });
  assert.is(silent.code, 0, silent.stdout);
  assert.match(silent.stdout, /^0 policies in 0 files: 0 errors, 0 warnings$/m);

  const required = runCli(['lint', '--require-policy', repo.manifests], { cwd });
  assert.is(required.code, 1, required.stdout);
  assert.is(required.stdout, 'error  no HotfixPolicy document found in "apps": none of the 2 YAML files read there is a policy; --require-policy asks for at least one  [HF138]\n0 policies in 0 files: 1 error, 0 warnings\n');
  assert.is(required.stderr, '');

  const clusters = runCli(['lint', '--require-policy', 'clusters/production/flux-system/gotk-sync.yaml'], { cwd });
  assert.is(clusters.code, 1);
  assert.match(clusters.stdout, /the 1 YAML file read there is not a policy/);

  const empty = runCli(['lint', '--require-policy', 'hotfix/policies/../'], { cwd });
  assert.is(empty.code, 0, 'a directory above the policies holds them: found by the walk');

  const right = runCli(['lint', '--require-policy', repo.policies], { cwd });
  assert.is(right.code, 0, right.stdout);
  assert.match(right.stdout, /^1 policy in 1 file: 0 errors, \d+ warnings?$/m);
});

test('--require-policy: a mistyped path is HF100 and HF138, in every format, one line each, no stack trace', () => {
  const cwd = tempDir();
  writePlatformRepo(cwd);
  const text = runCli(['lint', '--require-policy', 'hotfix/polices'], { cwd });
  assert.is(text.code, 1);
  assert.equal(text.stdout.trim().split('\n').map((line) => line.match(/\[(HF\d+)\]$/)?.[1] ?? line), ['HF138', 'HF100', '0 policies in 0 files: 2 errors, 0 warnings']);
  assert.not.ok(hasStackTrace(text.stdout + text.stderr));

  const json = JSON.parse(runCli(['lint', '--require-policy', '--format', 'json', 'apps'], { cwd }).stdout);
  assert.equal(json.summary, { files: 0, policies: 0, errors: 1, warnings: 0 });
  assert.is(json.diagnostics[0].code, 'HF138');
  assert.is(json.diagnostics[0].file, undefined, 'about the run, not a file');

  const github = runCli(['lint', '--require-policy', '--format', 'github', 'apps'], { cwd });
  assert.is(github.code, 1);
  assert.is(github.stdout, '::error title=HF138 no policy found::no HotfixPolicy document found in "apps": none of the 2 YAML files read there is a policy; --require-policy asks for at least one\n');

  const sarif = JSON.parse(runCli(['lint', '--require-policy', '--format', 'sarif', 'apps'], { cwd }).stdout);
  assert.equal(sarif.runs[0].results.map((r: { ruleId: string; level: string }) => `${r.ruleId} ${r.level}`), ['HF138 error']);
});

test.run();
