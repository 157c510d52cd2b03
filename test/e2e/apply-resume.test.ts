import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { pushImage } from '../helpers/push-image.js';
import { applyPlan, gitOut, planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { startTestRegistry } from '../helpers/test-registry.js';

// What a finished, killed or foreign apply leaves in the way of the next one, and what the
// next one makes of it.

const lockFile = (repo: string) => join(repo, '.git', 'hotfix', 'apply.lock');

async function savedRollback() {
  const s = await scenario();
  const { plan } = planRollback(s, ['--reason', 'resume test']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  mkdirSync(join(s.configRepo, '.git', 'hotfix'), { recursive: true });
  return { s, plan: plan!, file };
}

function holder(over: Record<string, unknown>): string {
  return JSON.stringify({ owner: userInfo().username, pid: 1, host: hostname(), since: '2026-01-01T00:00:00.000Z', plan: 'sha256:0000000000000000000', ...over }) + '\n';
}

/** The pid of a process that has ended: the holder of a lock left by a finished or killed apply. */
function deadPid(): number {
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(ended.stdout);
}

const startTime = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];

test('a lock whose process is gone on this host is taken over without --break-lock', async () => {
  const { s, file } = await savedRollback();
  writeFileSync(lockFile(s.configRepo), holder({ pid: deadPid() }));
  const applied = applyPlan(s, file);
  assert.is(applied.code, 0, applied.stderr);
  assert.match(applied.stdout, /Apply complete/);
  assert.not.ok(existsSync(lockFile(s.configRepo)), 'released at the end');
});

test('a live apply on this host is waited for, --break-lock or not', async () => {
  const { s, file } = await savedRollback();
  writeFileSync(lockFile(s.configRepo), holder({ pid: process.pid, started: startTime(process.pid) }));
  const before = refs(s.configRepo);
  for (const extra of [[], ['--break-lock']]) {
    const refused = applyPlan(s, file, extra);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`is locked by another apply: .*\\(pid ${process.pid}, .*wait for it to finish\\s+\\[HF412\\]`));
  }
  assert.is(refs(s.configRepo), before);
});

const needsBreakLock: Array<[string, (lock: string) => void, RegExp]> = [
  ['held on another host', (lock) => writeFileSync(lock, holder({ host: 'elsewhere.example', pid: process.pid })), /locked by \S+@elsewhere\.example .*on another host, so whether it still runs cannot be told from here; .*pass --break-lock/],
  ['held by a pid now another process', (lock) => writeFileSync(lock, holder({ pid: process.pid, started: '1' })), /whose pid now belongs to another process .*pass --break-lock/],
  ['a directory', (lock) => mkdirSync(join(lock, 'inside'), { recursive: true }), /apply\.lock, which is not a file \(a directory\) .*pass --break-lock/],
  ['a dangling symbolic link', (lock) => symlinkSync(join(lock, '..', 'nowhere', 'target'), lock), /apply\.lock, a symbolic link \(to \S+nowhere\/target\) that no apply makes; pass --break-lock/],
];

for (const [label, make, message] of needsBreakLock) {
  test(`a lock ${label}: refused with what it is, and cleared by --break-lock`, async () => {
    const { s, file } = await savedRollback();
    make(lockFile(s.configRepo));
    const before = refs(s.configRepo);
    const refused = applyPlan(s, file);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, message);
    assert.match(refused.stderr, /\[HF412\]\n$/);
    assert.is(refs(s.configRepo), before, 'nothing written');
    const taken = applyPlan(s, file, ['--break-lock']);
    assert.is(taken.code, 0, taken.stderr);
    assert.not.ok(existsSync(lockFile(s.configRepo)), 'released at the end');
    assert.not.ok(existsSync(join(s.configRepo, '.git', 'hotfix', 'nowhere')), 'a link is removed, never followed');
  });
}

test('a file where apply keeps its lock: a coded error naming it, not an internal error', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, ['--reason', 'resume test']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  writeFileSync(join(s.configRepo, '.git', 'hotfix'), 'not a directory\n');
  const refused = applyPlan(s, file);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /could not create the lock directory \S+\/\.git\/hotfix: it already exists\s+\[HF421\]/);
  assert.not.match(refused.stderr, /internal error/);
  assert.not.ok(hasStackTrace(refused.stderr));
});

test('a gate the journal records as passed is checked again before the deploy that relies on it', async () => {
  const registry = await startTestRegistry();
  try {
    const { s, planFile, args, meetGate } = await gatedHotfix(registry.host, 21);
    await meetGate();
    // Killed right after the gate was recorded: the deploy has not happened.
    const killed = await runCliAsync(args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'gate:recorded' } });
    assert.is(killed.signal, 'SIGKILL', killed.stderr);
    // The image is then rebuilt from another commit under the same tag.
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    const configBefore = refs(s.configRemote);
    await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { 'org.opencontainers.image.revision': s.deployed.commit } });
    const rerun = await runCliAsync(args, { cwd: s.root });
    assert.is(rerun.code, 3, rerun.stderr);
    assert.match(rerun.stderr, /stopped at the gate: .* exists but its org\.opencontainers\.image\.revision is [0-9a-f]{40}, not the hotfix head .*\[HF410\]/);
    assert.is(refs(s.configRemote), configBefore, 'the deploy did not happen');
    await meetGate();
    const done = await runCliAsync(args, { cwd: s.root });
    assert.is(done.code, 0, done.stderr);
    assert.match(done.stdout, /Apply complete/);
    assert.not.equal(refs(s.configRemote), configBefore);
    assert.ok(gitOut(s.configRemote, ['log', '-1', '--format=%s', plan.deployed.configBranch]).startsWith('Deploy hotfix'));
  } finally {
    await registry.stop();
  }
});

test.run();
