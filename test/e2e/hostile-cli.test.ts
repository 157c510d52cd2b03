import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planRollback, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// The command-line front end under hostile input: what --policy, --out and --cluster-state
// name, --format json when a command fails, and clipanion's own messages.

let shared: Promise<GitopsScenario> | undefined;
/** One scenario for every test here: none of them changes it. */
const gitops = () => (shared ??= scenario());

const rollback = (s: GitopsScenario, extra: string[]) => ['plan', 'rollback', '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'r', ...extra];

/** One line on stderr, exit `code`, nothing on stdout, no stack trace. */
function assertOneLine(r: CliResult, code: number, pattern: RegExp): void {
  assert.is(r.code, code, r.stdout + r.stderr);
  assert.is(r.stdout, '');
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

// status takes a directory too (a fleet: test/e2e/status-fleet.test.ts); a plan needs one policy.
test('--policy of a plan names a regular file: a directory is refused at once, never walked (HF100)', async () => {
  const s = await gitops();
  const one = join(s.root, 'one-policy');
  mkdirSync(one, { recursive: true });
  copyFileSync(s.policyFile, join(one, 'policy.yaml'));
  const cases: Array<[string[], string]> = [
    [rollback(s, ['--policy', one]), 'it is a directory'],
    [['plan', 'hotfix', '--policy', s.root, '--env', 'production', '--reason', 'r', '--no-cluster'], 'it is a directory'],
    [['status', '--policy', join(s.root, 'nope.yaml'), '--no-cluster'], 'no such file or directory'],
    [['status', '--policy', '/dev/null', '--no-cluster'], 'it is not a regular file'],
  ];
  for (const [args, why] of cases) {
    const r = runCli(args, { cwd: s.root });
    assertOneLine(r, 1, new RegExp(`is not a policy file: ${why} {2}\\[HF100\\]\\n$`));
  }
});

test('--policy a file holding no policy or two: an error (HF107), not a warning', async () => {
  const s = await gitops();
  const empty = join(s.root, 'empty.yaml');
  writeFileSync(empty, '');
  const two = join(s.root, 'two.yaml');
  const policy = readFileSync(s.policyFile, 'utf8');
  writeFileSync(two, `${policy}\n---\n${policy.replace(/name: api-js\n/, 'name: api-js-2\n')}`);
  for (const [file, count] of [[empty, 0], [two, 2]] as const) {
    const r = runCli(rollback(s, ['--policy', file]), { cwd: s.root });
    assertOneLine(r, 1, new RegExp(`error {2}.* holds ${count} policies; a plan needs a file with exactly one {2}\\[HF107\\]`));
  }
});

test('--format json: a failure is a JSON document on stdout, in lint\'s shape, with the same exit code', async () => {
  const s = await gitops();
  const truncated = join(s.root, 'truncated.json');
  writeFileSync(truncated, readFileSync(s.clusterStateFile, 'utf8').slice(0, 100));
  const { plan } = planRollback(s, ['--reason', 'r']);
  const truncatedPlan = join(s.root, 'truncated-plan.json');
  writeFileSync(truncatedPlan, JSON.stringify(plan).slice(0, 100));
  const json = ['--format', 'json'];
  const cases: Array<[string[], string]> = [
    [['plan', 'rollback', '--policy', s.policyFile, '--env', 'nope', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'r', ...json], 'HF302'],
    [['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.root}/nowhere`, '--no-cluster', '--reason', 'r', ...json], 'HF201'],
    [['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', truncated, '--reason', 'r', ...json], 'HF205'],
    [['plan', 'hotfix', '--policy', join(s.root, 'nope.yaml'), '--env', 'production', '--reason', 'r', ...json], 'HF100'],
    [['status', '--policy', join(s.root, 'nope.yaml'), ...json], 'HF100'],
    [['show', ...json, truncatedPlan], 'HF400'],
  ];
  for (const [args, code] of cases) {
    const r = runCli(args, { cwd: s.root });
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.is(r.stderr, '', 'as lint --format json: nothing on stderr');
    const report = JSON.parse(r.stdout);
    assert.is(report.formatVersion, '1.0');
    assert.is(report.tool.name, 'hotfix');
    assert.equal(report.summary, { errors: 1, warnings: 0 });
    assert.is(report.diagnostics[0].code, code, r.stdout);
    assert.is(report.diagnostics[0].severity, 'error');
    assert.type(report.diagnostics[0].message, 'string');
  }
  // A finding in the policy keeps its file and position.
  const broken = join(s.root, 'broken.yaml');
  writeFileSync(broken, readFileSync(s.policyFile, 'utf8').replace('spec:', 'spec:\n  colour: red'));
  const r = runCli(['status', '--policy', broken, ...json], { cwd: s.root });
  assert.is(r.code, 1);
  const [finding] = JSON.parse(r.stdout).diagnostics;
  assert.is(finding.code, 'HF110');
  assert.is(finding.file, 'broken.yaml');
  assert.ok(finding.range.start.line > 1);
});

test('clipanion\'s messages, made plain: a missing required option, an unknown command, a value starting with "-"', () => {
  const cases: Array<[string[], string]> = [
    [['status'], 'hotfix: the required option --policy is missing\nRun "hotfix status --help" for usage.\n'],
    [['plan', 'hotfix', '--policy', 'p.yaml'], 'hotfix: the required options --env, --reason are missing\nRun "hotfix plan hotfix --help" for usage.\n'],
    [['bogus'], 'hotfix: unknown command "bogus"; the commands are lint, plan, show, comment, apply, status, check, completion\nRun "hotfix --help" for usage.\n'],
    [['lint', '--max-warnings', '-1'], 'hotfix: Invalid value for --max-warnings: expected to be at least 0 (got -1)\nRun "hotfix lint --help" for usage.\n'],
    [['apply', '--wait', '-5s', 'plan.json'], 'hotfix: --wait takes a duration such as 30s, 20m or 1h, not "-5s"\n'],
    // A long option after one that needs a value is a forgotten value, not the value.
    [['status', '--policy', '--no-cluster'], 'hotfix: Not enough arguments to option --policy.\nRun "hotfix status --help" for usage.\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = runCli(args, { cwd: tempDir() });
    assert.is(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr, stderr);
  }
});

test('--out and --cluster-state: an empty path is a usage error; file-system errors in plain words', async () => {
  const s = await gitops();
  const args = rollback(s, ['--policy', s.policyFile]);
  const empty = runCli([...args, '--out', ''], { cwd: s.root });
  assert.is(empty.code, 64);
  assert.is(empty.stderr, 'hotfix: Invalid value for --out: expected a file path (got "")\nRun "hotfix plan rollback --help" for usage.\n');
  assertOneLine(runCli([...args, '--out', 'nodir/plan.json'], { cwd: s.root }), 1, /the plan was not saved to nodir\/plan\.json: its directory does not exist {2}\[HF346\]/);
  assertOneLine(runCli([...args, '--out', '/proc/version'], { cwd: s.root }), 1, /the plan was not saved to \/proc\/version: no file can be created in \/proc {2}\[HF346\]/);
  const locked = join(s.root, 'locked');
  mkdirSync(locked, { recursive: true });
  chmodSync(locked, 0o500);
  // root writes anywhere; the words are checked only where the permission holds.
  const denied = runCli([...args, '--out', 'locked/plan.json'], { cwd: s.root });
  if (denied.code === 1) assert.match(denied.stderr, /not saved to locked\/plan\.json: permission denied {2}\[HF346\]/);
  chmodSync(locked, 0o700);
  const cluster = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', 'nope.json', '--reason', 'r'], { cwd: s.root });
  assertOneLine(cluster, 1, /cannot read --cluster-state .*nope\.json: no such file or directory {2}\[HF205\]/);
  assertOneLine(runCli(['show', 'nope-plan.json'], { cwd: s.root }), 1, /cannot read plan nope-plan\.json: no such file or directory {2}\[HF400\]/);
});

test.run();
