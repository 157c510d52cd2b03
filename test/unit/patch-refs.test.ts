import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dotPathTokens } from '../../src/patch/dot-path.js';
import { formatImageRef, parseImageRef } from '../../src/patch/image-ref.js';
import { arrayIndex, formatPointer, parsePointer } from '../../src/patch/json-pointer.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('image refs: a port colon is not a tag', () => {
  assert.equal(parseImageRef('nginx'), { name: 'nginx' });
  assert.equal(parseImageRef('nginx:1.25'), { name: 'nginx', tag: '1.25' });
  assert.equal(parseImageRef('registry:5000/a/b'), { name: 'registry:5000/a/b' });
  assert.equal(parseImageRef('registry:5000/a/b:tag'), { name: 'registry:5000/a/b', tag: 'tag' });
  assert.equal(parseImageRef(`registry:5000/a/b:tag@${DIGEST}`), { name: 'registry:5000/a/b', tag: 'tag', digest: DIGEST });
  assert.equal(parseImageRef(`registry:5000/a/b@${DIGEST}`), { name: 'registry:5000/a/b', digest: DIGEST });
});

test('image refs: format is the inverse of parse', () => {
  for (const text of ['nginx', 'nginx:1.25', 'registry:5000/a/b', `registry:5000/a/b:tag@${DIGEST}`, `a/b@${DIGEST}`])
    assert.is(formatImageRef(parseImageRef(text)), text);
  assert.is(formatImageRef({ name: 'a/b', tag: 'v1' }), 'a/b:v1');
});

test('JSON pointers: RFC 6901 escapes and the whole-document pointer', () => {
  assert.equal(parsePointer(''), []);
  assert.equal(parsePointer('/a~1b/m~0n/0'), ['a/b', 'm~n', '0']);
  assert.equal(parsePointer('/~01'), ['~1']);
  assert.is(formatPointer(['a/b', 'm~n', 0]), '/a~1b/m~0n/0');
  assert.is(formatPointer(['~1']), '/~01');
  assert.is(formatPointer([]), '');
  assert.throws(() => parsePointer('a/b'), /must start with "\/"/);
});

test('JSON pointers: array indexes have no sign and no leading zero', () => {
  assert.is(arrayIndex('0'), 0);
  assert.is(arrayIndex('12'), 12);
  for (const bad of ['01', '-1', '+1', '-', '1.0', '']) assert.is(arrayIndex(bad), undefined, bad);
});

test('dot paths: keys and [n] indexes', () => {
  assert.equal(dotPathTokens('spec.template.spec.containers[0].image'), ['spec', 'template', 'spec', 'containers', '0', 'image']);
  assert.equal(dotPathTokens('a[1][2].b'), ['a', '1', '2', 'b']);
  assert.equal(dotPathTokens('image.tag'), ['image', 'tag']);
});

test.run();
