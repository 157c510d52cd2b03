import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { applyPlan, gitOut, planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { CLI, hasStackTrace, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// What the operating system refuses (a file where a directory must be, a directory where a
// file must be, a full device, a link loop, no git on PATH, no file descriptor left) is a
// coded error on one line naming the file or program and why, through the built CLI: exit
// 1, no stack, no "internal error", and nothing written. As root, permissions refuse
// nothing, so each case is provoked by what the file system itself cannot do.

const s = await scenario();
const { plan } = planRollback(s, ['--reason', 'os errors']);
const planFile = join(s.root, 'plan.json');
writeFileSync(planFile, JSON.stringify(plan));
const aFile = join(s.root, 'a-file');
writeFileSync(aFile, 'not a directory\n');
const journalDir = join(s.configRepo, '.git', 'hotfix', 'journal');
const journalFile = join(journalDir, `${plan!.id.replace(/^sha256:/, '')}.json`);
const rollbackArgs = ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--reason', 'os errors'];

/** A PATH holding only these programs (node is started by its full path). */
function pathWith(...programs: string[]): string {
  const dir = tempDir('hotfix-path-');
  for (const program of programs) symlinkSync(spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim(), join(dir, program));
  return dir;
}

/** Exit 1 and exactly one line on stderr: `error  MESSAGE  [CODE]` (a policy's with its file first), the message matching. */
function refusedWith(r: CliResult, code: string, message: RegExp): void {
  assert.is(r.code, 1, r.stderr);
  assert.not.ok(r.hung);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.not.match(r.stderr, /internal error/);
  const lines = r.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, r.stderr);
  // A policy file's finding starts with its name, as lint prints it.
  assert.match(lines[0]!, new RegExp(`^(?:\\S+ {2})?error {2}.* {2}\\[${code}\\]$`));
  assert.match(lines[0]!, message);
}

/** The refs of the config repository and its remote, and apply's own files: what a refused apply must leave as it was. */
const written = () => `${refs(s.configRepo)}${refs(s.remote)}${existsSync(join(s.configRepo, '.git', 'hotfix')) ? readdirSync(join(s.configRepo, '.git', 'hotfix'), { recursive: true }).join(',') : ''}`;
const before = written();

test('TMPDIR a file: plan rollback (its render check) is HF224, apply (its rehearsal) HF422, naming TMPDIR', () => {
  const out = join(s.root, 'not-saved.json');
  const planned = runCli([...rollbackArgs, '--cluster-state', s.clusterStateFile, '--out', out], { cwd: s.root, env: { TMPDIR: aFile } });
  refusedWith(planned, 'HF224', new RegExp(`^error {2}could not create a scratch directory for the render check in ${aFile} \\(TMPDIR\\): a part of the path is not a directory`));
  assert.not.ok(existsSync(out));
  const applied = runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, planFile], { cwd: s.root, env: { TMPDIR: aFile } });
  refusedWith(applied, 'HF422', new RegExp(`could not create a scratch directory for rehearsing the plan in ${aFile} \\(TMPDIR\\): a part of the path is not a directory`));
  assert.is(written(), before);
});

test('TMPDIR a file: plan hotfix (its merge simulation) is HF224 naming TMPDIR', async () => {
  const a = await buildAppScenario(tempDir(), 'registry.example.com');
  const out = join(a.root, 'not-saved.json');
  const r = runCli(['plan', 'hotfix', '--policy', a.policyFile, '--env', 'production', '--repo', `app=${a.appRepo}`, '--repo', `deploy=${a.configRepo}`, '--cluster-state', a.clusterStateFile, '--no-registry', '--reason', 'payment', '--pick', a.fixes[0]!.commit, '--out', out], { cwd: a.root, env: { TMPDIR: aFile } });
  refusedWith(r, 'HF224', new RegExp(`could not create a scratch directory for simulating merges in ${aFile} \\(TMPDIR\\): a part of the path is not a directory`));
  assert.not.ok(existsSync(out));
});

test('no git on PATH: plan and apply say "git is not installed or not on PATH" (HF225), not "not a git repository"', () => {
  const noGit = pathWith();
  refusedWith(runCli([...rollbackArgs, '--no-cluster'], { cwd: s.root, env: { PATH: noGit } }), 'HF225', /^error {2}git is not installed or not on PATH {2}/);
  refusedWith(runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, planFile], { cwd: s.root, env: { PATH: noGit } }), 'HF225', /^error {2}git is not installed or not on PATH {2}/);
  assert.is(written(), before);
});

test('no kubectl on PATH: reading the live cluster and the render check are HF225 saying what it was needed for', () => {
  const gitOnly = pathWith('git');
  refusedWith(runCli(rollbackArgs, { cwd: s.root, env: { PATH: gitOnly } }), 'HF225', /^error {2}kubectl is not installed or not on PATH; it is needed to read the cluster; or give --cluster-state FILE {2}/);
  refusedWith(runCli([...rollbackArgs, '--no-cluster'], { cwd: s.root, env: { PATH: gitOnly } }), 'HF225', /^error {2}kubectl is not installed or not on PATH; it is needed to render \S+ \(commit [0-9a-f]{12} with the planned change\)/);
});

test('a directory where apply keeps its journal file (EISDIR) is HF421 naming it, before anything is written', () => {
  mkdirSync(journalFile, { recursive: true });
  const r = applyPlan(s, planFile);
  refusedWith(r, 'HF421', new RegExp(`could not read the journal ${journalFile}: it is a directory`));
  assert.equal(readdirSync(join(s.configRepo, '.git', 'hotfix')), ['journal'], 'no lock taken');
  rmSync(join(s.configRepo, '.git', 'hotfix'), { recursive: true });
  assert.is(written(), before);
});

test('files the command line names: a link loop, a file where a directory must be, a directory where a file must be', () => {
  const loop = join(s.root, 'loop');
  symlinkSync('loop', loop);
  const cases: Array<[args: string[], code: string, message: RegExp]> = [
    [['plan', 'rollback', '--policy', loop, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'x'], 'HF100', /is not a policy file: symbolic link loop/],
    [['plan', 'rollback', '--policy', join(aFile, 'p.yaml'), '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'x'], 'HF100', /is not a policy file: a part of the path is not a directory/],
    [[...rollbackArgs, '--cluster-state', loop], 'HF205', new RegExp(`cannot read --cluster-state ${loop}: symbolic link loop`)],
    [[...rollbackArgs, '--cluster-state', s.root], 'HF205', /not a regular file/],
    [[...rollbackArgs, '--no-cluster', '--out', join(loop, 'plan.json')], 'HF346', /the plan was not saved to .*: symbolic link loop/],
    [[...rollbackArgs, '--no-cluster', '--out', join(aFile, 'plan.json')], 'HF346', /the plan was not saved to .*: a part of the path is not a directory/],
    [[...rollbackArgs, '--no-cluster', '--out', '/dev/full'], 'HF346', /the plan was not saved to \/dev\/full: it exists and is not a regular file/],
    [['show', loop], 'HF400', /cannot read plan .*: symbolic link loop/],
    [['apply', '--auto-approve', s.root], 'HF400', /is not a regular file/],
  ];
  for (const [args, code, message] of cases) refusedWith(runCli(args, { cwd: s.root }), code, message);
  assert.is(written(), before);
});

test('out of file descriptors (ulimit -n) at any point of a plan: a coded line naming the file, or a plan', () => {
  // Below about 28 Node itself cannot start; from about 48 the plan has what it needs.
  const outcomes: string[] = [];
  for (let limit = 28; limit <= 52; limit += 4) {
    const r = spawnSync('bash', ['-c', 'ulimit -n "$0" && exec "$@"', String(limit), process.execPath, CLI, ...rollbackArgs, '--no-cluster'], { cwd: s.root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 180_000 });
    if (r.status === 0) continue;
    refusedWith({ code: r.status, stdout: r.stdout, stderr: r.stderr }, 'HF2\\d\\d', /too many open files|Too many open files/);
    outcomes.push(r.stderr);
  }
  assert.ok(outcomes.length > 0, 'some limit ran out of descriptors');
});

test('a full device under the journal (ENOSPC) stops apply with HF421 naming it; a rerun finishes the plan', () => {
  mkdirSync(journalDir, { recursive: true });
  symlinkSync('/dev/full', `${journalFile}.tmp`);
  const stopped = applyPlan(s, planFile);
  refusedWith(stopped, 'HF421', new RegExp(`could not record the finished action in the journal ${journalFile}: no space left on the device`));
  assert.not.ok(existsSync(join(s.configRepo, '.git', 'hotfix', 'apply.lock')), 'the lock was released');
  rmSync(`${journalFile}.tmp`);
  const rerun = applyPlan(s, planFile);
  assert.is(rerun.code, 0, rerun.stderr);
  assert.ok(gitOut(s.remote, ['for-each-ref', '--format=%(refname)']).includes('refs/heads/rollback/'));
});

test.run();
