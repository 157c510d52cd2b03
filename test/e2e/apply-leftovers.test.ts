import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPlan, gitOut, planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { runCliAsync, startCli, type CliResult } from '../helpers/run-cli.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { startTestRegistry } from '../helpers/test-registry.js';

// What an earlier apply leaves behind, and what the next one makes of it: a lock nobody can
// read, an apply stopped by a signal, a journal the repositories contradict.

const lockFile = (repo: string) => join(repo, '.git', 'hotfix', 'apply.lock');

async function savedRollback() {
  const s = await scenario();
  const { plan } = planRollback(s, ['--reason', 'leftovers test']);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const branch = (plan!.actions[0] as { branch: string }).branch;
  return { s, plan: plan!, file, branch };
}

for (const [label, content] of [['empty', ''], ['garbage', 'garbage\n'], ['JSON of another shape', '{"pid":"x"}\n']] as const) {
  test(`a lock that is ${label}: refused naming the file and --break-lock, which takes it`, async () => {
    const { s, file } = await savedRollback();
    mkdirSync(join(s.configRepo, '.git', 'hotfix'), { recursive: true });
    writeFileSync(lockFile(s.configRepo), content);
    const before = refs(s.configRepo);
    const refused = applyPlan(s, file);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /locked by \S+\/\.git\/hotfix\/apply\.lock, which does not say who holds it; .* pass --break-lock .*\[HF412\]\n$/);
    assert.is(refs(s.configRepo), before);
    const taken = applyPlan(s, file, ['--break-lock']);
    assert.is(taken.code, 0, taken.stderr);
    assert.not.ok(existsSync(lockFile(s.configRepo)), 'the lock is released');
  });
}

test('a journal that says every action is done, with no branch anywhere: refused, never "complete"', async () => {
  const { s, plan, file } = await savedRollback();
  const journal = join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.replace(/^sha256:/, '')}.json`);
  mkdirSync(join(journal, '..'), { recursive: true });
  writeFileSync(journal, JSON.stringify({ done: plan.actions.map((a) => a.id) }));
  const refused = applyPlan(s, file);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /records create-branch as done, but deploy: refs\/heads\/\S+ is missing, not at [0-9a-f]{7}; .*\[HF414\]/);
  assert.not.match(refused.stdout, /Apply complete|Nothing to do/);
});

test('a plan applied, its branch then deleted locally or on the remote: a rerun says so; moved on, it is still done', async () => {
  const { s, plan, file, branch } = await savedRollback();
  const applied = applyPlan(s, file);
  assert.is(applied.code, 0, applied.stderr);
  const tip = gitOut(s.configRepo, ['rev-parse', `refs/heads/${branch}`]).trim();

  gitOut(s.remote, ['update-ref', '-d', `refs/heads/${branch}`]);
  const remoteGone = applyPlan(s, file);
  assert.is(remoteGone.code, 1);
  assert.match(remoteGone.stderr, new RegExp(`records push as done, but refs/heads/${branch} on origin is missing, not at ${tip.slice(0, 7)}; .*\\[HF414\\]`));
  gitOut(s.remote, ['update-ref', `refs/heads/${branch}`, tip]);

  gitOut(s.configRepo, ['update-ref', '-d', `refs/heads/${branch}`]);
  const localGone = applyPlan(s, file);
  assert.is(localGone.code, 1);
  assert.match(localGone.stderr, /records create-branch as done, but deploy: .* is missing.*\[HF414\]/);
  assert.not.match(localGone.stdout, /Nothing to do/);
  gitOut(s.configRepo, ['update-ref', `refs/heads/${branch}`, tip]);

  // Someone commits on the branch after apply, and pushes it: the plan's commits are in it.
  const onTop = gitOut(s.configRepo, ['commit-tree', '-p', tip, '-m', 'later', `${tip}^{tree}`]).trim();
  gitOut(s.configRepo, ['update-ref', `refs/heads/${branch}`, onTop]);
  gitOut(s.configRepo, ['push', '--quiet', 'origin', `refs/heads/${branch}`]);
  const movedOn = applyPlan(s, file);
  assert.is(movedOn.code, 0, movedOn.stderr);
  assert.match(movedOn.stdout, /Nothing to do/);
  assert.ok(plan.actions.some((a) => a.kind === 'push'));
});

/** The built CLI as a subprocess, sent `signal` once its output says `ready`. */
async function signalWhen(args: readonly string[], cwd: string, ready: RegExp, signal: NodeJS.Signals): Promise<CliResult> {
  const running = startCli(args, { cwd });
  await running.printed(ready);
  running.kill(signal);
  return running.result;
}

test('SIGTERM or SIGINT while apply waits at the gate: exit 143 or 130, one line, locks released, a rerun goes on', async () => {
  const registry = await startTestRegistry();
  try {
    const { s, args, meetGate } = await gatedHotfix(registry.host, 12);
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const stopped = await signalWhen([...args.slice(0, 2), '--wait', '10m', ...args.slice(2)], s.root, /^waiting: /m, signal);
      assert.is(stopped.code, code, stopped.stderr);
      assert.match(stopped.stderr, new RegExp(`apply stopped by ${signal}; .* run hotfix apply again on the same plan to go on .*\\[HF413\\]\\n$`));
      assert.is(stopped.stderr.trim().split('\n').length, 1, stopped.stderr);
      for (const repo of [s.appRepo, s.configRepo]) assert.not.ok(existsSync(lockFile(repo)), `${repo}: the lock is released`);
    }
    await meetGate();
    const rerun = await runCliAsync(args, { cwd: s.root });
    assert.is(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /Apply complete/);
  } finally {
    await registry.stop();
  }
});

test.run();
