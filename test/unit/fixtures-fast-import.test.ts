import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commitCommand, type Identity, resetCommand, runFastImport, tagCommand } from '../../fixtures/fast-import.js';
import { git, initRepo } from '../../fixtures/git.js';
import { tempDir } from '../helpers/temp-dir.js';

const alice: Identity = { name: 'Alice Example', email: 'alice@example.com' };
const bob: Identity = { name: 'Bob Example', email: 'bob@example.com' };
const day = (n: number): Date => new Date(Date.UTC(2021, 0, n));

/** main: A ─ B ─ M, topic: A ─ T (merged into M), tag v1 on B, and `old` reset to A. */
function* smallHistory(): Generator<string> {
  yield commitCommand({ ref: 'refs/heads/main', mark: 1, author: alice, date: day(1), message: 'A\n', files: [{ path: 'README.md', content: 'héllo\n' }] });
  yield commitCommand({ ref: 'refs/heads/main', mark: 2, author: alice, committer: bob, date: day(2), message: 'B\n\nbody\n', files: [{ path: 'dir/with space.txt', content: 'b\n' }] });
  yield commitCommand({ ref: 'refs/heads/topic', mark: 3, author: bob, date: day(3), message: 'T\n', from: 1, files: [{ path: 't.txt', content: 't\n' }] });
  yield commitCommand({ ref: 'refs/heads/main', mark: 4, author: alice, date: day(4), message: 'M\n', from: 2, merge: [3], files: [{ path: 't.txt', content: 't\n' }] });
  yield tagCommand({ name: 'v1', from: 2, tagger: alice, date: day(5), message: 'release 1\n' });
  yield resetCommand('refs/heads/old', 1);
}

async function importSmallHistory(): Promise<{ repo: string; marks: Map<number, string> }> {
  const repo = tempDir();
  await initRepo(repo);
  return { repo, marks: await runFastImport(repo, smallHistory()) };
}

test('fast-import: commits, merges, tags and resets, with the commit id of every mark', async () => {
  const { repo, marks } = await importSmallHistory();
  assert.equal([...marks.keys()], [1, 2, 3, 4]);
  const ids = (ref: string) => git(repo, ['rev-parse', ref]).then((out) => out.trim());
  assert.is(await ids('main'), marks.get(4));
  assert.is(await ids('topic'), marks.get(3));
  assert.is(await ids('old'), marks.get(1));
  assert.is(await ids('v1^{commit}'), marks.get(2));
  assert.is(await git(repo, ['cat-file', '-t', 'v1']), 'tag\n');
  assert.is((await git(repo, ['log', '-1', '--format=%P', 'main'])).trim(), `${marks.get(2)} ${marks.get(3)}`);
  assert.is((await git(repo, ['log', '-1', '--format=%an|%cn|%aI|%B', 'main~1'])).trim(), 'Alice Example|Bob Example|2021-01-02T00:00:00+00:00|B\n\nbody');
  assert.is(await git(repo, ['show', 'main:README.md']), 'héllo\n', 'data counts UTF-8 bytes');
  assert.is(await git(repo, ['show', 'main:dir/with space.txt']), 'b\n');
});

test('fast-import: fixed dates make the same commit ids every time', async () => {
  const [first, second] = await Promise.all([importSmallHistory(), importSmallHistory()]);
  assert.equal(first.marks, second.marks);
});

test('fast-import: a bad stream rejects with what git said, and imports nothing', async () => {
  const repo = tempDir();
  await initRepo(repo);
  const stream = [commitCommand({ ref: 'refs/heads/main', author: alice, date: day(1), message: 'x\n', from: 99 })];
  try {
    await runFastImport(repo, stream);
    assert.unreachable('should have failed');
  } catch (error) {
    assert.match(String(error), /fast-import failed.*mark :99/s);
  }
  assert.is(await git(repo, ['for-each-ref']), '');
});

test('fast-import: a generator that throws midway fails the import instead of leaving half a history', async () => {
  const repo = tempDir();
  await initRepo(repo);
  function* failing(): Generator<string> {
    yield commitCommand({ ref: 'refs/heads/main', author: alice, date: day(1), message: 'x\n' });
    throw new Error('generator broke');
  }
  try {
    await runFastImport(repo, failing());
    assert.unreachable('should have failed');
  } catch (error) {
    assert.match(String(error), /generator broke/);
  }
  assert.is(await git(repo, ['for-each-ref']), '');
});

test('fast-import: identities and paths it cannot write are refused before git sees them', () => {
  assert.throws(() => commitCommand({ ref: 'refs/heads/main', author: { name: 'a <b>', email: 'x@y' }, date: day(1), message: 'x\n' }), /invalid identity/);
  assert.throws(() => commitCommand({ ref: 'refs/heads/main', author: alice, date: day(1), message: 'x\n', files: [{ path: 'a\nb', content: '' }] }), /unsupported path/);
});

test.run();
