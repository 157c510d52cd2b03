import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotfixFailure } from '../helpers/hotfix-failure.js';
import { patchYamlText, type PatchOp } from '../../src/patch/patch-yaml.js';

const patch = (text: string, ...ops: PatchOp[]) => patchYamlText(text, [{ document: 0, ops }]);

const failure = hotfixFailure;

test('replace keeps the scalar style and the comment after it', () => {
  assert.is(patch('tag: v1 # note\n', { op: 'replace', path: '/tag', value: 'v2' }), 'tag: v2 # note\n');
  assert.is(patch("tag: 'v1'   # note\n", { op: 'replace', path: '/tag', value: 'v2' }), "tag: 'v2'   # note\n");
  assert.is(patch('tag: "v1"\n', { op: 'replace', path: '/tag', value: 'v2' }), 'tag: "v2"\n');
  assert.is(patch("tag: 'v1'\n", { op: 'replace', path: '/tag', value: "it's" }), "tag: 'it''s'\n");
  assert.is(patch('tag: "v1"\n', { op: 'replace', path: '/tag', value: 'say "hi"' }), 'tag: "say \\"hi\\""\n');
});

test('a plain scalar is quoted when plain would read as something else', () => {
  for (const value of ['1.10', 'true', 'null', '', '#x', 'a: b', 'x #y', ' padded', '*alias', '- item', 'line\nbreak'])
    assert.is(patch('tag: v1\n', { op: 'replace', path: '/tag', value }), `tag: ${JSON.stringify(value)}\n`, value);
  assert.is(patch('tag: 1.10\n', { op: 'replace', path: '/tag', value: 1.2 }), 'tag: 1.2\n');
  assert.is(patch('image: a\n', { op: 'replace', path: '/image', value: `reg:5000/a/b:t@sha256:${'0'.repeat(64)}` }), `image: reg:5000/a/b:t@sha256:${'0'.repeat(64)}\n`);
});

test('flow collections keep their layout; a comma needs quotes there', () => {
  assert.is(patch('a: [x, y]  # list\n', { op: 'replace', path: '/a/1', value: 'z' }), 'a: [x, z]  # list\n');
  assert.is(patch('a: [x, y]\n', { op: 'replace', path: '/a/1', value: 'z, w' }), 'a: [x, "z, w"]\n');
  assert.is(patch('- {name: redis, newTag: "7.2"}\n', { op: 'replace', path: '/0/newTag', value: '7.4' }), '- {name: redis, newTag: "7.4"}\n');
});

test('add a key to a block mapping: a new line after its last entry, indented like its siblings', () => {
  const text = 'images:\n  - name: api  # the service\n    newTag: v1 # tag\n\n  - name: db\nother: 1\n';
  assert.is(patch(text, { op: 'add', path: '/images/0/digest', value: 'sha256:1' }), 'images:\n  - name: api  # the service\n    newTag: v1 # tag\n    digest: sha256:1\n\n  - name: db\nother: 1\n');
  assert.is(patch(text, { op: 'add', path: '/images/1/newTag', value: 'v2' }), 'images:\n  - name: api  # the service\n    newTag: v1 # tag\n\n  - name: db\n    newTag: v2\nother: 1\n');
  assert.is(patch('a:\n  b:\n    c: 1\n', { op: 'add', path: '/a/d', value: 'x' }), 'a:\n  b:\n    c: 1\n  d: x\n');
  assert.is(patch('a: 1\nb: 2', { op: 'add', path: '/c', value: 'x' }), 'a: 1\nb: 2\nc: x');
  assert.is(patch('a: 1\r\nb: 2\r\n', { op: 'add', path: '/c', value: 'x' }), 'a: 1\r\nb: 2\r\nc: x\r\n');
});

test('add a key to a flow mapping, and an existing key is replaced', () => {
  assert.is(patch('m: {a: 1}\n', { op: 'add', path: '/m/b', value: 'x' }), 'm: {a: 1, b: x}\n');
  assert.is(patch('m: { a: 1 }\n', { op: 'add', path: '/m/b', value: 'x' }), 'm: { a: 1, b: x }\n');
  assert.is(patch('m: {}\n', { op: 'add', path: '/m/b', value: 'x' }), 'm: {b: x}\n');
  assert.is(patch('m: {a: 1}\n', { op: 'add', path: '/m/a', value: 2 }), 'm: {a: 2}\n');
});

test('remove a key: its whole line in a block mapping', () => {
  const text = 'image:\n  tag: v1\n  digest: sha256:1 # pinned\n  pullPolicy: Always\n';
  assert.is(patch(text, { op: 'remove', path: '/image/digest' }), 'image:\n  tag: v1\n  pullPolicy: Always\n');
  assert.is(patch('a: 1\nb: 2', { op: 'remove', path: '/b' }), 'a: 1');
  assert.is(patch('a: 1\r\nb: 2 # two\r\nc: 3\r\n', { op: 'remove', path: '/b' }), 'a: 1\r\nc: 3\r\n');
  assert.is(patch('a:\n  b: 1\n  c:\n    d: 2\ne: 3\n', { op: 'remove', path: '/a/c' }), 'a:\n  b: 1\ne: 3\n');
  assert.is(patch('- name: a\n  digest: x\n', { op: 'remove', path: '/0/name' }), '- digest: x\n');
  assert.is(patch('m: {a: 1, b: 2}\n', { op: 'remove', path: '/m/b' }), 'm: {a: 1}\n');
  assert.is(patch('m: {a: 1, b: 2}\n', { op: 'remove', path: '/m/a' }), 'm: {b: 2}\n');
});

test('JSON stays JSON: double quotes, and new members on their own lines', () => {
  const json = '{\n  "image": {\n    "tag": "v1"\n  },\n  "replicas": 2\n}\n';
  assert.is(patch(json, { op: 'replace', path: '/image/tag', value: 'v2' }), json.replace('"v1"', '"v2"'));
  assert.is(patch(json, { op: 'add', path: '/image/digest', value: 'sha256:1' }), '{\n  "image": {\n    "tag": "v1",\n    "digest": "sha256:1"\n  },\n  "replicas": 2\n}\n');
  assert.is(patch(json, { op: 'remove', path: '/replicas' }), '{\n  "image": {\n    "tag": "v1"\n  }\n}\n');
  assert.is(patch('{"a": "x"}', { op: 'add', path: '/b', value: 'y' }), '{"a": "x", "b": "y"}');
  assert.is(patch('{}', { op: 'add', path: '/b', value: 'y' }), '{"b": "y"}');
  assert.is(patch('{\n\t"a": 1\n}\n', { op: 'add', path: '/b', value: 'x' }), '{\n\t"a": 1,\n\t"b": "x"\n}\n');
});

test('several ops apply in order; other documents keep every byte', () => {
  const text = '# head\na: [1,2]   \n---\nb:   x   # keep\n---\nc: 3\n';
  const out = patchYamlText(text, [{ document: 1, ops: [{ op: 'test', path: '/b', value: 'x' }, { op: 'replace', path: '/b', value: 'y' }, { op: 'add', path: '/d', value: 'z' }, { op: 'replace', path: '/d', value: 'w' }] }]);
  assert.is(out, '# head\na: [1,2]   \n---\nb:   y   # keep\nd: w\n---\nc: 3\n');
});

test('an empty value gets the new value apart from its colon and comment', () => {
  assert.is(patch('a:\nb: # c\n', { op: 'replace', path: '/a', value: 'x' }, { op: 'replace', path: '/b', value: 'y' }), 'a: x\nb: y # c\n');
});

test('test ops compare the whole value (HF320) and name path, expected and actual', () => {
  assert.is(patch('a: {b: [1, 2]}\n', { op: 'test', path: '/a', value: { b: [1, 2] } }), 'a: {b: [1, 2]}\n');
  assert.is(failure(() => patch('tag: v2\n', { op: 'test', path: '/tag', value: 'v1' }, { op: 'replace', path: '/tag', value: 'v3' })), 'HF320 test failed at /tag in document 0: expected "v1", found "v2"');
  assert.match(failure(() => patch('a: {b: [1, 2]}\n', { op: 'test', path: '/a', value: { b: [1] } })), /^HF320 /);
  assert.match(failure(() => patch('tag: "1"\n', { op: 'test', path: '/tag', value: 1 })), /^HF320 /);
});

test('paths that are not there (HF321)', () => {
  assert.is(failure(() => patch('a: 1\n', { op: 'replace', path: '/b', value: 2 })), 'HF321 no value at /b in document 0');
  assert.match(failure(() => patch('a: 1\n', { op: 'test', path: '/a/b', value: 2 })), /^HF321 /);
  assert.match(failure(() => patch('a: 1\n', { op: 'remove', path: '/b' })), /^HF321 no key at \/b/);
  assert.match(failure(() => patch('a: 1\n', { op: 'add', path: '/x/y', value: 2 })), /^HF321 no mapping holds/);
  assert.match(failure(() => patchYamlText('a: 1\n', [{ document: 1, ops: [{ op: 'replace', path: '/a', value: 2 }] }])), /^HF321 the file has no document 1 \(it has 1\)/);
});

test('the cross-check refuses an edit that means something else (HF322)', () => {
  // Writing over an anchored value would change every alias of it too.
  assert.match(failure(() => patch('a: &x 1\nb: *x\n', { op: 'replace', path: '/a', value: 2 })), /^HF322 patch cross-check failed: document 0 does not read as the ops intend/);
  assert.match(failure(() => patch('- a: 1\n', { op: 'remove', path: '/0/a' })), /^HF322 /);
  assert.match(failure(() => patch('a: [1]\n', { op: 'add', path: '/a/1', value: 2 })), /^HF322 /);
});

test('a file with YAML errors is refused (HF211), never patched', () => {
  assert.match(failure(() => patch('a: [1\nb: 2\n', { op: 'replace', path: '/b', value: 3 })), /^HF211 the config file is not valid YAML \(document 0, line \d+\)/);
});

test.run();
