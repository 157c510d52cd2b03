import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { counted, countingShim } from '../helpers/counting-shim.js';
import { scenario } from '../helpers/rollback-scenario.js';
import { runCli } from '../helpers/run-cli.js';

// The counts that stand in for time limits see every process, and only those: were the CLI to
// find git elsewhere than on PATH, every "at most N git processes" would hold vacuously.

test('each process is one invocation, arguments with newlines included, and the real program runs', async () => {
  const { value, invocations } = await counted('git', async () => {
    const { stdout } = await promisify(execFile)('git', ['--version']);
    await promisify(execFile)('git', ['config', '--file', '/dev/null', '--get', 'a.b\nc']).catch(() => undefined);
    return stdout;
  });
  assert.match(value, /^git version /);
  assert.equal(invocations, ['--version', 'config --file /dev/null --get a.b\nc']);
});

test("the built CLI's git processes are counted: a rollback plan starts some, each with hotfix's own config", async () => {
  const s = await scenario();
  const git = countingShim('git');
  const r = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'r'], { cwd: s.root, env: { PATH: git.path() } });
  assert.is(r.code, 0, r.stderr);
  assert.ok(git.invocations().length > 0, 'no git process counted');
  for (const args of git.invocations()) assert.match(args, /^-c color\.ui=false /);
});

test.run();
