import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git, initRepo } from '../../fixtures/git.js';
import { BatchOutput, type BatchAnswer, type ContentSink } from '../../src/state/git/batch-output.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { tempDir } from '../helpers/temp-dir.js';

// A streamed blob whose start is all its reader needs is not read through: its sink gets
// views of the pipe's chunks, and past 1 MiB left the process is ended and a new one
// answers the reads queued after it. Proved by counting bytes, not by timing.

const MiB = 1024 * 1024;

/** Says "enough" after its first piece, and keeps what it was given. */
class FirstPiece implements ContentSink {
  readonly pieces: Buffer[] = [];
  take(piece: Buffer): boolean {
    this.pieces.push(Buffer.from(piece));
    return true;
  }
}

/** Bytes every BatchOutput is handed while `run` runs: what crossed the pipes into hotfix. */
async function bytesReceivedBy<T>(run: () => Promise<T>): Promise<{ result: T; received: number }> {
  const { push } = BatchOutput.prototype;
  let received = 0;
  BatchOutput.prototype.push = function (this: BatchOutput, chunk: Buffer) {
    received += chunk.length;
    return push.call(this, chunk);
  };
  try {
    return { result: await run(), received };
  } finally {
    BatchOutput.prototype.push = push;
  }
}

test('a 16 MiB blob streamed to a sink that has enough at once: the reads after it are answered, and not 1 MiB of it is received', async () => {
  const repo = join(tempDir(), 'repo');
  await initRepo(repo);
  writeFileSync(join(repo, 'big.yaml'), 'x'.repeat(16 * MiB));
  writeFileSync(join(repo, 'a.txt'), 'first\n');
  writeFileSync(join(repo, 'b.txt'), 'second\n');
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'files']);
  const blobs = new CatFileBatch(repo);
  const sink = new FirstPiece();
  const { result, received } = await bytesReceivedBy(() => Promise.all([blobs.read('HEAD:a.txt'), blobs.stream('HEAD:big.yaml', sink), blobs.read('HEAD:b.txt'), blobs.read('HEAD:gone'), blobs.stream('HEAD:a.txt', new FirstPiece())]));
  blobs.close();
  assert.equal(result, ['first\n', true, 'second\n', undefined, true]);
  assert.ok(sink.pieces.length === 1 && sink.pieces[0]!.every((byte) => byte === 0x78));
  assert.ok(received < MiB, `${received} bytes received`);
});

test('commitOf names the commit as rev-parse --verify REV^{commit} does: a branch, a tag object peeled, nothing for a tree or a missing name', async () => {
  const repo = tempDir();
  await initRepo(repo);
  writeFileSync(join(repo, 'a.txt'), 'first\n');
  await git(repo, ['add', 'a.txt']);
  await git(repo, ['commit', '-qm', 'first']);
  await git(repo, ['tag', '-a', '-m', 'release', 'v1']);
  await git(repo, ['update-ref', 'refs/remotes/origin/prd', 'HEAD']);
  const head = (await git(repo, ['rev-parse', 'HEAD'])).trim();
  const blobs = new CatFileBatch(repo);
  try {
    assert.equal(await Promise.all(['refs/heads/main', 'refs/tags/v1', 'refs/remotes/origin/prd', 'refs/heads/gone', 'HEAD:a.txt', 'HEAD^{tree}'].map((r) => blobs.commitOf(r))), [head, head, head, undefined, undefined, undefined]);
  } finally {
    blobs.close();
  }
});

test('BatchOutput: an object whose owner ends early is answered at once, and nothing after it is taken', () => {
  const answers: BatchAnswer[] = [];
  const sink = new FirstPiece();
  const lefts: number[] = [];
  const output = new BatchOutput((a) => answers.push(a), { sinkFor: () => sink, endsEarly: (left) => (lefts.push(left), true) });
  output.push(Buffer.from(`${'a'.repeat(40)} blob 10\nhello`));
  output.push(Buffer.from(`world\n${'b'.repeat(40)} blob 1\nz\n`));
  assert.equal(answers, [{ oid: 'a'.repeat(40), type: 'blob', content: Buffer.alloc(0) }]);
  assert.equal(lefts, [5]);
  assert.is(Buffer.concat(sink.pieces).toString(), 'hello');
});

test('BatchOutput: a sink that never has enough is given every byte, as views, and the object is answered at its end', () => {
  const pieces: string[] = [];
  const answers: BatchAnswer[] = [];
  const output = new BatchOutput((a) => answers.push(a), { sinkFor: () => ({ take: (piece) => (pieces.push(piece.toString()), false) }), endsEarly: () => true });
  for (const chunk of [`${'a'.repeat(40)} blob 11\nhel`, 'lo wo', 'rld\n']) output.push(Buffer.from(chunk));
  assert.equal(pieces, ['hel', 'lo wo', 'rld']);
  assert.equal(answers, [{ oid: 'a'.repeat(40), type: 'blob', content: Buffer.alloc(0) }]);
});

test.run();
