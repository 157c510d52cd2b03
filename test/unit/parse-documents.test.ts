import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDocuments } from '../../src/policy/parse-documents.js';

test('multi-document files keep file-wide positions', () => {
  const parsed = parseDocuments('f.yaml', 'a: 1\n---\nb:\n  c: 2\n');
  assert.is(parsed.documents.length, 2);
  assert.equal(parsed.documents[1]!.locate(['b', 'c'])?.start, { line: 4, col: 6 });
  assert.equal(parsed.documents[1]!.locate(['b', 'c'], 'key')?.start, { line: 4, col: 3 });
});

test('a missing path points at the key of its deepest existing ancestor', () => {
  const parsed = parseDocuments('f.yaml', 'spec:\n  app:\n    repo: x\n');
  assert.equal(parsed.documents[0]!.locate(['spec', 'app', 'image'])?.start, { line: 2, col: 3 });
});

test('an empty file has no documents and no findings', () => {
  const parsed = parseDocuments('f.yaml', '');
  assert.equal([parsed.documents.length, parsed.diagnostics.length], [0, 0]);
});

test('nesting 10,000 deep is one HF105, not a crash', () => {
  const parsed = parseDocuments('f.yaml', '['.repeat(10_000) + ']'.repeat(10_000));
  assert.equal(parsed.diagnostics.map((d) => d.code), ['HF105']);
});

test('a broken document does not hide its healthy neighbours', () => {
  const parsed = parseDocuments('f.yaml', 'a: [1\n---\nb: 2\n');
  assert.is(parsed.documents.length, 1);
  assert.equal(parsed.documents[0]!.value, { b: 2 });
  assert.equal(parsed.diagnostics.map((d) => d.code), ['HF102']);
});

test.run();
