import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnostic, MAX_MESSAGE_CHARS } from '../../src/diagnostics/diagnostic.js';

// A finding quotes outside text; however much of it there is, the finding stays one short line.

test('a short message is kept whole', () => {
  const message = `"${'f'.repeat(MAX_MESSAGE_CHARS - 21)}" is not a commit id`; // exactly the most kept
  assert.is(message.length, MAX_MESSAGE_CHARS);
  assert.is(diagnostic('HF337', message).message, message);
});

test('a 5 MiB quote: the start and the end are kept, and how many bytes were left out is said', () => {
  const quoted = `${'a'.repeat(3000)}${'é'.repeat(5 * 1024 * 1024 / 2)}${'z'.repeat(3000)}`;
  const message = `the registry labels the image "${quoted}", which is not a commit id; push it with the build's commit`;
  const capped = diagnostic('HF337', message).message;
  assert.ok(capped.length <= MAX_MESSAGE_CHARS, `${capped.length} characters`);
  assert.ok(capped.startsWith('the registry labels the image "aaa'));
  assert.ok(capped.endsWith('zzz", which is not a commit id; push it with the build\'s commit'));
  const [head, tail] = capped.split(/… \(\d+ bytes left out\) …/);
  const left = Number(/… \((\d+) bytes left out\) …/.exec(capped)![1]);
  assert.is(Buffer.byteLength(head!) + left + Buffer.byteLength(tail!), Buffer.byteLength(message));
});

test('a cut never splits a character made of two UTF-16 units', () => {
  for (let shift = 0; shift < 4; shift++) {
    const message = `${'x'.repeat(shift)}${'😀'.repeat(MAX_MESSAGE_CHARS * 2)}`;
    const capped = diagnostic('HF337', message).message;
    assert.not.match(capped, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/, `shift ${shift}: a lone surrogate`);
    assert.ok(capped.length <= MAX_MESSAGE_CHARS);
  }
});

test.run();
