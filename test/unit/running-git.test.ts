import { spawn } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allGitEnded, endRunningGit, trackGit } from '../../src/state/git/running-git.js';

// A stopped apply exits only once the processes it ended are gone (a git dying still holds
// its ref locks). Proved with a real child that takes its time to exit after SIGTERM, by
// order of events, not by timing.
test('allGitEnded resolves only after every tracked process has exited, not when it was told to end', async () => {
  const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => setTimeout(() => process.exit(0), 300)); process.stdout.write('ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r) => child.stdout!.once('data', r)); // its SIGTERM handler is installed
  const events: string[] = [];
  const untrack = trackGit(() => child.kill('SIGTERM'));
  child.on('exit', () => {
    events.push('exited');
    untrack();
  });
  endRunningGit();
  events.push('ended');
  await allGitEnded(60_000);
  events.push('waited');
  assert.equal(events, ['ended', 'exited', 'waited']);
  assert.is(await Promise.race([allGitEnded(60_000).then(() => 'at once'), new Promise((r) => setTimeout(() => r('waited'), 1000))]), 'at once', 'nothing running: no wait');
});

test.run();
