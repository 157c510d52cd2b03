import { mkdir, readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HotfixContext } from '../../src/cli/context.js';
import { reportFailure } from '../../src/cli/report-failure.js';
import { tempDir } from '../helpers/temp-dir.js';

// The net under every place that names its own files: an OS error that reaches the top
// still says which file or program and why, with a code, never "internal error".

async function reported(error: unknown, fileErrorCode?: 'HF224' | 'HF422'): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const collect = new Writable({ write: (chunk, _encoding, done) => ((stderr += String(chunk)), done()) });
  const context = { stdin: process.stdin, stdout: sink, stderr: collect, colorDepth: 1, cwd: '/', env: { NO_COLOR: '1' } } as unknown as HotfixContext;
  const code = await reportFailure(error, context, { debug: false, json: false, ...(fileErrorCode ? { fileErrorCode } : {}) });
  return { code, stderr };
}

/** The error a real call gives, not one made up to look like it. */
async function failureOf(pending: Promise<unknown>): Promise<unknown> {
  return pending.then(
    () => assert.unreachable('it should have failed'),
    (error: unknown) => error,
  );
}

test('a file-system error with a path is HF224 naming the file and why, HF422 in apply', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a-file'), '');
  const notDir = await failureOf(mkdir(join(dir, 'a-file', 'sub')));
  assert.equal(await reported(notDir), { code: 1, stderr: `error  could not create the directory ${join(dir, 'a-file', 'sub')}: a part of the path is not a directory  [HF224]\n` });
  symlinkSync('loop', join(dir, 'loop'));
  const loop = await failureOf(readFile(join(dir, 'loop')));
  assert.equal(await reported(loop, 'HF422'), { code: 1, stderr: `error  could not open ${join(dir, 'loop')}: symbolic link loop  [HF422]\n` });
});

test('a program that cannot be started is HF225', async () => {
  const child = spawn('hotfix-no-such-program', [], { stdio: 'ignore' });
  const [error] = await once(child, 'error');
  assert.equal(await reported(error), { code: 1, stderr: 'error  hotfix-no-such-program is not installed or not on PATH  [HF225]\n' });
});

test('anything else is still a bug to report', async () => {
  const { code, stderr } = await reported(new TypeError('x is undefined'));
  assert.is(code, 1);
  assert.match(stderr, /^hotfix: internal error: x is undefined\. This is a bug/);
  // Reading a directory fails in read(2), past the open that knew its name: nothing to name, so the bug is where it was read.
  const withoutPath = await failureOf(readFile(tempDir()));
  assert.match((await reported(withoutPath)).stderr, /^hotfix: internal error: EISDIR/);
});

test.run();
