import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasStackTrace, ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const fixtures = join(ROOT, 'fixtures', 'lint');
const schemaFixture = 'HF110-HF111-HF112-HF113-HF114-schema.yaml';

/** A working directory holding a copy of the lint fixtures, so paths in output are relative. */
function workspace(): string {
  const dir = tempDir();
  cpSync(fixtures, join(dir, 'policies'), { recursive: true });
  return dir;
}

test('the example policies in policies/ lint clean (exit 0)', () => {
  const r = runCli(['lint']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^3 policies in 3 files: 0 errors, 0 warnings$/m);
});

test('text: one finding per line, file:line:col severity message [code], no colour off a TTY', () => {
  const cwd = workspace();
  const r = runCli(['lint', `policies/${schemaFixture}`], { cwd });
  assert.is(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  const findings = lines.slice(0, -1);
  assert.is(findings.length, 8);
  for (const line of findings) assert.match(line, /^policies\/HF110[^:]+:\d+:\d+ {2}(error|warning) {2}.+ {2}\[HF1\d\d\]$/);
  assert.ok(!r.stdout.includes('\u001b['), 'no escape codes when stdout is not a TTY');
  assert.match(r.stdout, /did you mean "security"\?/);
  assert.match(r.stdout, /did you mean "tag"\?/);
});

test('json: versioned, with a summary and positions', () => {
  const cwd = workspace();
  const r = runCli(['lint', '--format', 'json', 'policies'], { cwd });
  assert.is(r.code, 1);
  const report = JSON.parse(r.stdout);
  assert.is(report.formatVersion, '1.0');
  assert.is(report.tool.name, 'hotfix');
  assert.is(report.summary.errors, report.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length);
  const unknown = report.diagnostics.find((d: { code: string; file: string }) => d.code === 'HF110' && d.file.endsWith(schemaFixture));
  assert.equal(unknown.range.start, { line: 22, col: 9 });
  // The kustomization in the directory is not a policy: ignored, not reported, when walking.
  assert.not.ok(report.diagnostics.some((d: { code: string }) => d.code === 'HF106'));
});

test('sarif: 2.1.0 with rules, relative URIs and regions', () => {
  const cwd = workspace();
  const r = runCli(['lint', '--format', 'sarif', 'policies'], { cwd });
  assert.is(r.code, 1);
  const log = JSON.parse(r.stdout);
  assert.is(log.version, '2.1.0');
  const run = log.runs[0];
  const ids: string[] = run.tool.driver.rules.map((rule: { id: string }) => rule.id);
  assert.is(new Set(ids).size, ids.length, 'rule ids are unique');
  assert.ok(run.results.length > 10);
  for (const result of run.results) {
    assert.is(ids[result.ruleIndex], result.ruleId);
    assert.ok(['error', 'warning'].includes(result.level));
    const location = result.locations[0].physicalLocation;
    assert.is(location.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.match(location.artifactLocation.uri, /^policies\/[A-Za-z0-9%._-]+$/);
    assert.ok(location.region.startLine >= 1 && location.region.startColumn >= 1);
  }
  assert.match(run.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);
});

test('github: workflow commands with escaped properties', () => {
  const cwd = workspace();
  const r = runCli(['lint', '--format', 'github', `policies/${schemaFixture}`], { cwd });
  assert.is(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 8);
  for (const line of lines) assert.match(line, /^::(error|warning) file=policies\/[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=HF1\d\d [^:,]+::.+$/);
});

test('--max-warnings: warnings pass by default, fail above the limit', () => {
  const cwd = tempDir();
  const policy = readFileSync(join(ROOT, 'policies', 'api-js-rollback.yaml'), 'utf8').replace(
    'kustomizeImage: gcr.io/track-compliance/api-js',
    'kustomizeImage: gcr.io/track-compliance/other',
  );
  writeFileSync(join(cwd, 'p.yaml'), policy);
  assert.is(runCli(['lint', 'p.yaml'], { cwd }).code, 0);
  assert.is(runCli(['lint', '--max-warnings', '1', 'p.yaml'], { cwd }).code, 0);
  const over = runCli(['lint', '--max-warnings', '0', 'p.yaml'], { cwd });
  assert.is(over.code, 1);
  assert.match(over.stderr, /more than --max-warnings 0/);
});

test('usage errors exit 64 with one line and no stack trace', () => {
  for (const args of [[], ['lint', '--format', 'xml'], ['lint', '--bogus'], ['frobnicate'], ['lint', '--max-warnings', '-1'], ['lint', '--max-warnings', 'many'], ['lint', '']]) {
    const r = runCli(args);
    assert.is(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
    if (args.length > 0) assert.match(r.stderr, /^hotfix: .+\n/);
  }
});

test('a key that is a collection is one finding, and nothing else on stderr (no runtime warning)', () => {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'p.yaml'), 'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\nmetadata:\n  [a, b]: c\n  name: x\n');
  const r = runCli(['lint', 'p.yaml'], { cwd });
  assert.is(r.code, 1);
  assert.match(r.stdout, /^p\.yaml:4:3 {2}error {2}unknown property "\[ a, b \]" in metadata {2}\[HF110\]$/m);
  assert.is(r.stderr, '');
});

test('a command line that is not quite right names what would be: the commands of a group, the help of the command', () => {
  const plan = runCli(['plan']);
  assert.is(plan.code, 64);
  assert.is(plan.stderr, 'hotfix: hotfix plan needs a command: hotfix plan rollback, hotfix plan hotfix\nRun "hotfix plan --help" for usage.\n');
  const option = runCli(['lint', '--bogus']);
  assert.is(option.code, 64);
  assert.is(option.stderr, 'hotfix: unknown option "--bogus" for hotfix lint\nRun "hotfix lint --help" for usage.\n');
});

test('--help and --version', () => {
  const help = runCli(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /hotfix lint/);
  const lintHelp = runCli(['lint', '--help']);
  assert.is(lintHelp.code, 0);
  assert.match(lintHelp.stdout, /--max-warnings/);
  const version = runCli(['--version']);
  assert.is(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
});

test.run();
