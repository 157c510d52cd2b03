import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { identProblem } from '../../src/policy/git-ident.js';
import { refLengthProblem, refNameProblem, shortRefNameProblem, shortRefSyntaxProblem } from '../../src/policy/git-ref-name.js';
import { shadowProblem } from '../../src/policy/ref-shadowing.js';

test('ref length: the last part at most 250 bytes (git writes PART.lock), others 255, the whole 1024', () => {
  assert.is(refLengthProblem(`refs/heads/${'a'.repeat(250)}`), undefined);
  assert.match(refLengthProblem(`refs/heads/${'a'.repeat(251)}`) ?? '', /251 bytes long \(at most 250/);
  assert.is(refLengthProblem(`refs/heads/${'a'.repeat(255)}/b`), undefined);
  assert.match(refLengthProblem(`refs/heads/${'a'.repeat(256)}/b`) ?? '', /256 bytes long \(at most 255/);
  const parts = `refs/heads/${'abcdefg/'.repeat(126)}x`;
  assert.is(Buffer.byteLength(parts), 1020);
  assert.is(refLengthProblem(parts), undefined);
  assert.match(refLengthProblem(`${parts}wxyzv`) ?? '', /1025 bytes long \(at most 1024\)/);
});

test('ref length counts UTF-8 bytes, not characters', () => {
  // 126 characters, 252 bytes: git's file name would be too long.
  assert.match(refNameProblem(`refs/tags/${'é'.repeat(126)}`) ?? '', /252 bytes long/);
  assert.is(refNameProblem(`refs/tags/${'é'.repeat(125)}`), undefined);
});

test('a short name: the syntax check leaves length alone, the full check does not', () => {
  const long = 'a'.repeat(300);
  assert.is(shortRefSyntaxProblem(long), undefined);
  assert.match(shortRefNameProblem(long) ?? '', /300 bytes long/);
  assert.match(shortRefSyntaxProblem('a..b') ?? '', /\.\./);
});

test('shadowing: refs/, HEAD names, the refs/ directories, remotes and their branches', () => {
  const remotes = ['origin', 'upstream'];
  const shadows: Array<[string, RegExp]> = [
    ['refs/heads/main', /"refs\/"/],
    ['HEAD/x', /first part is "HEAD"/],
    ['FETCH_HEAD', /it is "FETCH_HEAD"/],
    ['ORIG_HEAD', /"ORIG_HEAD"/],
    ['MERGE_HEAD/1', /"MERGE_HEAD"/],
    ['CHERRY_PICK_HEAD', /"CHERRY_PICK_HEAD"/],
    ['heads/main', /refs\/heads\/main/],
    ['tags/v1', /refs\/tags\/v1/],
    ['remotes/origin/main', /refs\/remotes\/origin\/main/],
    ['notes/commits', /refs\/notes\/commits/],
    ['origin/main', /"origin\/" like the branches of remote origin/],
    ['upstream/x/y', /remote upstream/],
    ['origin', /name of remote origin/],
  ];
  for (const [name, why] of shadows) assert.match(shadowProblem(name, remotes) ?? '', why, name);
  for (const name of ['hotfix/origin/main', 'originals/x', 'HEADS-UP', 'head/x', 'Head', 'refsx/y', 'hotfix/HEAD', 'mirror/x', 'heads-up/x'])
    assert.is(shadowProblem(name, remotes), undefined, name);
  assert.match(shadowProblem('a/b/c', ['a/b']) ?? '', /remote a\/b/, 'a remote name with a slash');
});

test('git ident: no < or >, no control character, not blank', () => {
  for (const ok of ['hotfix-bot', 'José Ñúñez', 'A. B. (on call)', 'bot@example.com', '" quoted "'])
    assert.is(identProblem(ok), undefined, ok);
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['  \u00a0 ', /empty/],
    ['a <b', /"<"/],
    ['a> b', /">"/],
    ['line\nbreak', /U\+000A/],
    ['tab\there', /U\+0009/],
    ['del\x7f', /U\+007F/],
    ['next line\u0085', /U\+0085/],
    ['csi\u009b', /U\+009B/],
  ];
  for (const [value, why] of bad) assert.match(identProblem(value) ?? '', why, JSON.stringify(value));
});

test.run();
