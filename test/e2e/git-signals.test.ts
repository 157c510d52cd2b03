import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { applyPlan, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { runCli, startCli, type CliResult } from '../helpers/run-cli.js';
import { isRunning, slowGit } from '../helpers/slow-git.js';

const planArgs = (s: GitopsScenario, out: string) => ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'login broken', '--out', out];
const applyArgs = (s: GitopsScenario, file: string) => ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file];

/** Polls for what a process outside this one does; a hang is caught by the CLI's own hang guard. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1800 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(condition(), `never: ${what}`);
}

/**
 * Starts hotfix with a git that hangs on `words`, sends `signal` once that git runs, and
 * returns how hotfix ended and whether the hanging git still runs afterwards.
 */
async function interrupt(s: GitopsScenario, args: string[], words: string, signal: NodeJS.Signals): Promise<{ result: CliResult; left: number[] }> {
  const git = slowGit(words);
  const cli = startCli(args, { cwd: s.root, env: { PATH: git.path } });
  let ended = false;
  void cli.result.then(() => (ended = true));
  await until(() => git.pids().length > 0 || ended, `git ${words} started`);
  if (git.pids().length === 0) assert.unreachable(`hotfix ended before it ran git ${words}: ${(await cli.result).stderr}`);
  cli.kill(signal);
  const result = await cli.result;
  assert.not.ok(result.hung, 'hotfix ended on the signal, not on the hang guard');
  // The signal is sent to the git at once; it may take a moment to be delivered.
  await until(() => git.pids().every((pid) => !isRunning(pid)), 'the hanging git ended');
  return { result, left: git.pids().filter(isRunning) };
}

// Each place hotfix starts git: run-git (remote -v), the streamed log, the cat-file batch process.
for (const [words, what] of [['remote -v', 'a git command (git remote -v)'], ['log -z', 'a streamed git log'], ['cat-file --batch', 'the cat-file batch process']] as const) {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} while plan waits for ${what} ends that git and then plan, by the signal`, async () => {
      const s = await scenario();
      const { result, left } = await interrupt(s, planArgs(s, join(s.root, 'plan.json')), words, signal);
      assert.is(result.signal, signal, `exit ${result.code}: ${result.stderr}`);
      assert.equal(left, []);
      assert.not.ok(existsSync(join(s.root, 'plan.json')), 'no plan was written');
    });
  }
}

for (const [words, what] of [['hash-object', 'a local git writing an object'], ['cat-file --batch', 'the cat-file batch process']] as const) {
  test(`SIGINT while apply waits for ${what} ends it at once: HF413, exit 130, the lock released, and a rerun finishes the plan`, async () => {
    const s = await scenario();
    const file = join(s.root, 'plan.json');
    const planned = runCli(planArgs(s, file), { cwd: s.root });
    assert.is(planned.code, 0, planned.stderr);
    const { result, left } = await interrupt(s, applyArgs(s, file), words, 'SIGINT');
    assert.is(result.code, 130, result.stderr);
    assert.match(result.stderr, /apply stopped by SIGINT.*\[HF413\]/);
    assert.equal(left, []);
    assert.not.ok(existsSync(join(s.configRepo, '.git', 'hotfix', 'apply.lock')), 'the lock is released');
    const rerun = applyPlan(s, file);
    assert.is(rerun.code, 0, rerun.stderr);
    const branch = (JSON.parse(readFileSync(file, 'utf8')) as Plan).actions.flatMap((a) => (a.kind === 'create-branch' ? [a.branch] : []))[0]!;
    assert.match(refs(s.remote), new RegExp(`refs/heads/${branch.replaceAll('/', '\\/')} `));
  });
}

test.run();
