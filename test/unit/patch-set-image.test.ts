import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ImageField, ImageLocation } from '../../src/patch/find-image.js';
import { setImageOps } from '../../src/patch/set-image.js';

const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const field = (holds: ImageField['holds'], path: string, document = 0): ImageField => ({ document, path, holds, line: 1 });

test('a tag field gets the tag, tested first', () => {
  const location: ImageLocation = { fields: [field('tag', '/images/0/newTag')], current: { name: 'r/a', tag: 'v1' } };
  assert.equal(setImageOps(location, { name: 'r/a', tag: 'v2' }, 'update'), [
    { document: 0, ops: [{ op: 'test', path: '/images/0/newTag', value: 'v1' }, { op: 'replace', path: '/images/0/newTag', value: 'v2' }] },
  ]);
  assert.equal(setImageOps(location, { name: 'r/a', tag: 'v1' }, 'update'), [], 'nothing to change');
});

test('an image field gets the whole reference; its digest follows the policy', () => {
  const pinned: ImageLocation = { fields: [field('image', '/i')], current: { name: 'r:5000/a', tag: 'v1', digest: OLD } };
  const target = { name: 'r:5000/a', tag: 'v2', digest: NEW };
  const written = (policy: 'keep' | 'update' | 'drop') => setImageOps(pinned, target, policy)[0]?.ops.map((op) => op.value);
  assert.equal(written('update'), [`r:5000/a:v1@${OLD}`, `r:5000/a:v2@${NEW}`]);
  assert.equal(written('keep'), [`r:5000/a:v1@${OLD}`, `r:5000/a:v2@${OLD}`]);
  assert.equal(written('drop'), [`r:5000/a:v1@${OLD}`, 'r:5000/a:v2']);
  assert.equal(setImageOps(pinned, { name: 'r:5000/a', tag: 'v2' }, 'update')[0]?.ops[1]?.value, 'r:5000/a:v2', 'update without a target digest unpins');
  // Only an image already pinned by digest gets one.
  const unpinned: ImageLocation = { fields: [field('image', '/i')], current: { name: 'r/a', tag: 'v1' } };
  assert.equal(setImageOps(unpinned, { name: 'r/a', tag: 'v2', digest: NEW }, 'update')[0]?.ops[1]?.value, 'r/a:v2');
});

test('a digest field: update writes or blanks it, keep leaves it, drop removes the key', () => {
  const location: ImageLocation = { fields: [field('tag', '/t'), field('digest', '/d')], current: { name: 'r/a', tag: 'v1', digest: OLD } };
  const digestOps = (policy: 'keep' | 'update' | 'drop', digest?: string) => setImageOps(location, { name: 'r/a', tag: 'v2', ...(digest && { digest }) }, policy)[0]!.ops.slice(2);
  assert.equal(digestOps('update', NEW), [{ op: 'test', path: '/d', value: OLD }, { op: 'replace', path: '/d', value: NEW }]);
  assert.equal(digestOps('update'), [{ op: 'test', path: '/d', value: OLD }, { op: 'replace', path: '/d', value: '' }]);
  assert.equal(digestOps('keep', NEW), []);
  assert.equal(digestOps('drop', NEW), [{ op: 'test', path: '/d', value: OLD }, { op: 'remove', path: '/d' }]);
  const blank: ImageLocation = { fields: [field('digest', '/d')], current: { name: 'r/a' } };
  assert.equal(setImageOps(blank, { name: 'r/a', digest: NEW }, 'update')[0]?.ops, [{ op: 'test', path: '/d', value: '' }, { op: 'replace', path: '/d', value: NEW }]);
});

test('a name field gets the name; without one the name cannot change (HF207)', () => {
  const location: ImageLocation = { fields: [field('name', '/n'), field('tag', '/t')], current: { name: 'r/a', tag: 'v1' } };
  assert.equal(setImageOps(location, { name: 'r/b', tag: 'v1' }, 'update')[0]?.ops, [{ op: 'test', path: '/n', value: 'r/a' }, { op: 'replace', path: '/n', value: 'r/b' }]);
  const tagOnly: ImageLocation = { fields: [field('tag', '/t')], current: { name: 'r/a', tag: 'v1' } };
  assert.throws(() => setImageOps(tagOnly, { name: 'r/b', tag: 'v2' }, 'update'), /HF207/);
});

test('ops are grouped by document, in document order', () => {
  const location: ImageLocation = { fields: [field('tag', '/b', 2), field('name', '/a', 1), field('digest', '/c', 2)], current: { name: 'r/a', tag: 'v1', digest: OLD } };
  const patches = setImageOps(location, { name: 'r/b', tag: 'v2', digest: NEW }, 'update');
  assert.equal(patches.map((p) => [p.document, p.ops.map((op) => `${op.op} ${op.path}`)]), [
    [1, ['test /a', 'replace /a']],
    [2, ['test /b', 'replace /b', 'test /c', 'replace /c']],
  ]);
});

test.run();
