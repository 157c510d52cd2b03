import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import type { Plan } from '../../src/plan/types.js';
import * as assert from 'uvu/assert';
import { gitOut, scenario } from '../helpers/rollback-scenario.js';
import { CLI, hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { copyScenario } from '../helpers/scenario-copy.js';
import { tempDir } from '../helpers/temp-dir.js';

// A reader that leaves (`hotfix … | head`) before hotfix starts writing or after its first
// chunk: the command must neither crash nor print a stack trace, must exit with the code its
// work earned, and apply must finish what it started (refs moved, lock released).

type Closing = 'before it starts' | 'after the first chunk';
const CLOSINGS: readonly Closing[] = ['before it starts', 'after the first chunk'];
/** Only a hang reaches this; nothing here measures time. */
const HANG_GUARD_MS = 180_000;

interface Closed {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Bytes read from stdout before it was closed. */
  readonly read: number;
}

/** Runs the built CLI and closes the read end of its stdout (or stderr) at the given moment. */
function runClosing(args: readonly string[], cwd: string, closing: Closing, stream: 'stdout' | 'stderr' = 'stdout'): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const closed = child[stream];
    const other = stream === 'stdout' ? child.stderr : child.stdout;
    let text = '';
    let read = 0;
    // The other stream is read to its end (a pipe nobody reads blocks its writer); stderr is kept.
    other.on('data', (d: Buffer) => (text += stream === 'stdout' ? d : ''));
    if (closing === 'before it starts') closed.destroy();
    else
      closed.once('data', (d: Buffer) => {
        read = d.length;
        closed.destroy();
      });
    const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr: text, read });
    });
  });
}

function assertClean(what: string, r: Closed, expectedCode: number): void {
  const shown = `${what}: exit ${r.code} (signal ${r.signal}) after ${r.read} bytes; stderr:\n${r.stderr.slice(0, 2000)}`;
  assert.is(r.signal, null, shown);
  assert.is(r.code, expectedCode, shown);
  assert.not.ok(hasStackTrace(r.stderr), shown);
  assert.not.match(r.stderr, /EPIPE|internal error|Unhandled/, shown);
}

const s = await scenario();
// A deploying commit that also wrote long comment lines beside the image line: they are the
// context of its rollback's diff, which is then far longer than a pipe holds (64 KiB), so
// show, plan and apply are still writing when the reader leaves.
const file = join(s.configRepo, 'app', 'bases', 'kustomization.yaml');
const notes = Array.from({ length: 3 }, (_, i) => `    # release note ${i}: ${'x'.repeat(100_000)}`).join('\n');
writeFileSync(file, readFileSync(file, 'utf8').replace(new RegExp(`newTag: ${s.apiJs.currentTag}(.*)\n`), (_, rest: string) => `newTag: main-0000001${rest}\n${notes}\n`));
gitOut(s.configRepo, ['-c', 'user.name=a', '-c', 'user.email=a@a', 'commit', '-q', '-am', 'Release main-0000001 with notes']);
gitOut(s.configRepo, ['push', '-q', 'origin', 'main']);
const planFile = join(s.root, 'plan.json');
const planned = await runCliAsync(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'r', '--out', planFile], { cwd: s.root });
assert.is(planned.code, 0, planned.stderr);
assert.ok(planned.stdout.length > 256 * 1024, `the plan is ${planned.stdout.length} bytes of text, too little to fill a pipe`);

test('lint of many policies with findings, in every format, to a reader that leaves', async () => {
  const dir = tempDir();
  for (let i = 0; i < 400; i++) writeFileSync(join(dir, `p${i}.yaml`), `apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\nmetadata:\n  name: p${i}\n  unknown: ${i}\nspec: {}\n`);
  for (const format of ['text', 'json', 'sarif', 'github'])
    for (const closing of CLOSINGS) assertClean(`lint --format ${format}, reader closed ${closing}`, await runClosing(['lint', '--format', format, dir], dir, closing), 1);
  // The findings go to stdout; with stderr gone too the exit code is still the findings'.
  assertClean('lint, stderr closed', await runClosing(['lint', dir], dir, 'before it starts', 'stderr'), 1);
});

test('show of a large plan, in every format, to a reader that leaves', async () => {
  for (const format of ['text', 'markdown', 'json'])
    for (const closing of CLOSINGS) assertClean(`show --format ${format}, reader closed ${closing}`, await runClosing(['show', '--format', format, planFile], s.root, closing), 0);
  assertClean('show of a missing plan, stderr closed', await runClosing(['show', join(s.root, 'nothing.json')], s.root, 'before it starts', 'stderr'), 1);
});

test('--version to a reader that leaves', async () => {
  for (const closing of CLOSINGS) assertClean(`--version, reader closed ${closing}`, await runClosing(['--version'], s.root, closing), 0);
});

test('status and plan to a reader that leaves', async () => {
  for (const format of ['text', 'json']) {
    const status = ['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--format', format];
    for (const closing of CLOSINGS) assertClean(`status --format ${format}, reader closed ${closing}`, await runClosing(status, s.root, closing), 0);
  }
  for (const format of ['text', 'markdown', 'json']) {
    const plan = ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--reason', 'r', '--format', format];
    for (const closing of CLOSINGS) assertClean(`plan rollback --format ${format}, reader closed ${closing}`, await runClosing(plan, s.root, closing), 0);
  }
});

test('apply to a reader that leaves carries out the whole plan and releases its lock', async () => {
  for (const [closing, stream] of [...CLOSINGS.map((c) => [c, 'stdout'] as const), ['before it starts', 'stderr'] as const]) {
    // Each in its own copy, planned there: the plan names the copy's remote.
    const copy = copyScenario(s.root, [{ clone: s.configRepo, remote: s.remote }]);
    const [clone, remote] = [copy.path(s.configRepo), copy.path(s.remote)];
    const copyPlan = join(copy.root, 'plan.json');
    const made = await runCliAsync(['plan', 'rollback', '--policy', copy.path(s.policyFile), '--env', 'production', '--repo', `deploy=${clone}`, '--no-cluster', '--reason', 'r', '--out', copyPlan], { cwd: copy.root });
    assert.is(made.code, 0, made.stderr);
    const pushed = (JSON.parse(readFileSync(copyPlan, 'utf8')) as Plan).actions.flatMap((a) => (a.kind === 'push' ? a.refs : []));
    assert.ok(pushed.length > 0, 'the plan pushes');

    const what = `apply, ${stream} closed ${closing}`;
    const apply = ['apply', '--auto-approve', '--no-cluster', '--repo', `deploy=${clone}`, copyPlan];
    assertClean(what, await runClosing(apply, copy.root, closing, stream), 0);
    for (const { ref, sha } of pushed) {
      assert.is(gitOut(remote, ['rev-parse', ref]).trim(), sha, `${what}: ${ref} on the remote`);
      assert.is(gitOut(clone, ['rev-parse', ref]).trim(), sha, `${what}: ${ref} in the repository`);
    }
    assert.not.ok(existsSync(join(clone, '.git', 'hotfix', 'apply.lock')), `${what}: a lock is left`);
    const again = await runCliAsync(apply, { cwd: copy.root });
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to do: this plan was applied completely before/, `${what}: the journal does not record it complete`);
  }
});

test('output to a device that refuses it is HF223 and exit 1, never a silent success', async () => {
  const full = openSync('/dev/full', 'w');
  try {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'show', planFile], { cwd: s.root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error {2}the output could not be written to standard output: no space left on the device; what was written is incomplete {2}\[HF223\]\n$/, r.stderr);
  } finally {
    closeSync(full);
  }
});

test.run();
