import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../fixtures/git.js';
import { Journal } from '../../src/apply/journal.js';
import { LockHeld } from '../../src/apply/lock.js';
import { JournalRace, waitingForLock } from '../../src/apply/wait-for-lock.js';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const PLAN = `sha256:${'cd'.repeat(32)}`;

/** An attempt that fails with each of `failures` in turn, then answers; counts its calls. */
function attempts(failures: readonly Error[]) {
  let calls = 0;
  const run = async () => {
    const failure = failures[calls++];
    if (failure) throw failure;
    return 'done';
  };
  return { run, calls: () => calls };
}

const held = (who: string) => new LockHeld(`/repo is locked by another apply: ${who}; wait for it to finish`, `/repo, held by ${who}`);

test('a journal written by another apply as this one took the lock: started again at once, up to three times, then HF412', async () => {
  const once = attempts([new JournalRace('/repo')]);
  assert.is(await waitingForLock(once.run, undefined, () => assert.unreachable('no waiting line')), 'done');
  assert.is(once.calls(), 2);
  const always = attempts(Array.from({ length: 10 }, () => new JournalRace('/repo')));
  const error = await waitingForLock(always.run, undefined, () => undefined).catch((e: unknown) => e);
  assert.instance(error, HotfixError);
  assert.is((error as HotfixError).diagnostics[0]!.code, 'HF412');
  assert.is(always.calls(), 4);
});

test('without --wait-lock another apply\'s lock refuses at once', async () => {
  const a = attempts([held('ana@ci-1 (pid 41)')]);
  const error = await waitingForLock(a.run, undefined, () => assert.unreachable('no waiting line')).catch((e: unknown) => e);
  assert.instance(error, LockHeld);
  assert.is(a.calls(), 1);
});

test('with --wait-lock: one line per holder, a bounded number of looks, and HF412 saying it gave up', async () => {
  const lines: string[] = [];
  const moving = attempts([held('ana@ci-1 (pid 41)'), held('ana@ci-1 (pid 41)'), held('bo@ci-1 (pid 77)')]);
  assert.is(await waitingForLock(moving.run, { waitMs: 60_000, pollMs: 1, text: '1m' }, (l) => lines.push(l)), 'done');
  assert.equal(lines, ['waiting for the lock: /repo, held by ana@ci-1 (pid 41) (up to 1m)', 'waiting for the lock: /repo, held by bo@ci-1 (pid 77) (up to 1m)']);
  const forever = attempts(Array.from({ length: 10_000 }, () => held('ana@ci-1 (pid 41)')));
  const error = await waitingForLock(forever.run, { waitMs: 300, pollMs: 50, text: '300ms' }, () => undefined).catch((e: unknown) => e);
  assert.match((error as HotfixError).message, /^gave up waiting for the lock after --wait-lock 300ms \((\d+) looks\): \/repo, held by ana@ci-1 \(pid 41\) still holds it; .*\[HF412\]$/);
  // Every 50 ms for 300 ms: at most 7 looks however slow the machine (a slow one looks fewer times).
  assert.ok(forever.calls() >= 2 && forever.calls() <= 8, String(forever.calls()));
});

test('Journal.unchangedSinceOpen: false once another apply of the plan wrote the journal after it was read', async () => {
  const repo = tempDir();
  await git(repo, ['init', '-q']);
  const mine = await Journal.open(repo, PLAN);
  assert.ok(await mine.unchangedSinceOpen(), 'no journal then, none now');
  const other = await Journal.open(repo, PLAN);
  await other.finish('create-branch');
  assert.not.ok(await mine.unchangedSinceOpen());
  const again = await Journal.open(repo, PLAN);
  assert.ok(await again.unchangedSinceOpen());
  assert.ok(again.done.has('create-branch'));
});

test.run();
