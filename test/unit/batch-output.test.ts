import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BatchOutput, type BatchAnswer } from '../../src/state/git/batch-output.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { tempDir } from '../helpers/temp-dir.js';

const MiB = 1024 * 1024;

/**
 * Bytes copied by every Buffer operation that copies (concat, copy, from, set) while `run`
 * runs: views (subarray) are free. Counting, not timing, is how "linear" is proved.
 */
async function bytesCopiedBy<T>(run: () => Promise<T> | T): Promise<{ result: T; copied: number }> {
  let copied = 0;
  const { concat, from } = Buffer;
  const { copy } = Buffer.prototype;
  const { set } = Uint8Array.prototype;
  Buffer.concat = function (this: typeof Buffer, list: readonly Uint8Array[], length?: number) {
    const out = concat.call(this, list, length);
    copied += out.length;
    return out;
  } as typeof Buffer.concat;
  Buffer.from = function (this: typeof Buffer, ...args: unknown[]) {
    const out = (from as (...a: unknown[]) => Buffer).apply(this, args);
    if (args[0] instanceof Uint8Array) copied += out.length;
    return out;
  } as typeof Buffer.from;
  Buffer.prototype.copy = function (this: Buffer, ...args: Parameters<Buffer['copy']>) {
    const n = copy.apply(this, args);
    copied += n;
    return n;
  };
  Uint8Array.prototype.set = function (this: Uint8Array, array: ArrayLike<number>, offset?: number) {
    copied += array.length;
    return set.call(this, array, offset);
  };
  try {
    return { result: await run(), copied };
  } finally {
    Object.assign(Buffer, { concat, from });
    Buffer.prototype.copy = copy;
    Uint8Array.prototype.set = set;
  }
}

function answersOf(chunks: readonly Buffer[]): BatchAnswer[] {
  const answers: BatchAnswer[] = [];
  const output = new BatchOutput((a) => answers.push(a));
  for (const chunk of chunks) output.push(chunk);
  return answers;
}

function chunked(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

test('a 16 MiB blob in 4 KiB chunks is copied once, not once per chunk', async () => {
  const content = Buffer.alloc(16 * MiB, 'a');
  const stream = Buffer.concat([Buffer.from(`${'1'.repeat(40)} blob ${content.length}\n`), content, Buffer.from('\n')]);
  const chunks = chunked(stream, 4096);
  const { result, copied } = await bytesCopiedBy(() => answersOf(chunks));
  assert.is(result.length, 1);
  assert.ok(result[0]!.content.equals(content));
  // Joining the buffer with each of the 4,097 chunks copied about 32 GiB.
  assert.ok(copied <= content.length + 4096, `${copied} bytes copied for a ${content.length}-byte blob`);
});

test('answers are the same however the output is cut into chunks', () => {
  const objects = [
    Buffer.from(`${'a'.repeat(40)} blob 5\nhello\n`),
    Buffer.from('HEAD:nothing missing\n'),
    Buffer.from(`${'b'.repeat(40)} tree 0\n\n`),
    Buffer.from('abc ambiguous\n'),
    Buffer.concat([Buffer.from(`${'c'.repeat(40)} blob 3\n`), Buffer.from([10, 0, 10]), Buffer.from('\n')]),
  ];
  const whole = Buffer.concat(objects);
  const expected = answersOf([whole]);
  assert.equal(expected.map((a) => a && `${a.type}:${a.content.toString('hex')}`), ['blob:68656c6c6f', undefined, 'tree:', undefined, 'blob:0a000a']);
  fc.assert(
    fc.property(fc.uniqueArray(fc.integer({ min: 1, max: whole.length - 1 }), { maxLength: 12 }), (cuts) => {
      const at = [0, ...cuts.sort((x, y) => x - y), whole.length];
      const chunks = at.slice(1).map((end, i) => whole.subarray(at[i], end));
      assert.equal(answersOf(chunks), expected);
    }),
    { numRuns: 2000 },
  );
});

test('git cat-file --batch: a 16 MiB blob reads back whole, with its bytes copied about once', async () => {
  const repo = tempDir();
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  execFileSync('git', ['init', '-q', repo], { env });
  const content = Buffer.alloc(16 * MiB);
  for (let i = 0; i < content.length; i++) content[i] = 97 + (i % 26);
  writeFileSync(join(repo, 'big.yaml'), content);
  const blob = execFileSync('git', ['hash-object', '-w', 'big.yaml'], { cwd: repo, env, encoding: 'utf8' }).trim();
  const blobs = new CatFileBatch(repo);
  try {
    const { result, copied } = await bytesCopiedBy(() => blobs.readRaw(blob));
    assert.ok(result?.equals(content), 'the blob read back whole');
    assert.ok(copied <= 2 * content.length, `${copied} bytes copied for a ${content.length}-byte blob`);
  } finally {
    blobs.close();
  }
});

test.run();
