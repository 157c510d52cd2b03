import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RehearsedObjects } from '../../src/apply/rehearsed-objects.js';
import { tempDir } from '../helpers/temp-dir.js';

const git = (cwd: string, args: readonly string[], input?: string) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', input, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com', GIT_AUTHOR_DATE: '2026-12-04T05:00:00Z', GIT_COMMITTER_DATE: '2026-12-04T05:00:00Z' } }).trim();
const fsckClean = (repo: string) => git(repo, ['fsck', '--strict', '--no-dangling', '--no-progress']);
const loose = (repo: string, id: string) => join(repo, '.git', 'objects', id.slice(0, 2), id.slice(2));

/**
 * A repository and a stand-in that borrows its objects, as the rehearsal makes them, with a
 * blob, a tree and a commit written into the stand-in by git: what one rehearsed action made.
 */
function rehearsedCommit(shared?: string) {
  const root = tempDir();
  const repo = join(root, 'repo');
  git(root, ['init', '--quiet', ...(shared ? [`--shared=${shared}`] : []), repo]);
  git(repo, ['commit', '--quiet', '--allow-empty', '-m', 'base']);
  const scratch = join(root, 'scratch');
  const standIn = join(scratch, 'deploy');
  git(root, ['init', '--quiet', '--bare', '--template=', standIn]);
  writeFileSync(join(standIn, 'objects', 'info', 'alternates'), `${join(repo, '.git', 'objects')}\n`);
  const blob = git(standIn, ['hash-object', '-w', '--stdin'], 'newTag: main-1234567\n');
  const tree = git(standIn, ['mktree'], `100644 blob ${blob}\tkustomization.yaml\n`);
  const base = git(repo, ['rev-parse', 'HEAD']);
  const commit = git(standIn, ['commit-tree', tree, '-p', base, '-m', 'Roll back']);
  return { repo, standIn, objects: join(standIn, 'objects'), rehearsed: new RehearsedObjects(scratch), blob, tree, base, commit, scratch };
}

test('the objects a rehearsed action made are placed whole, as git reads them, and the rehearsal is disposed of', async () => {
  const r = rehearsedCommit();
  await r.rehearsed.record('commit-1', r.commit, r.objects);
  assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), true);
  for (const id of [r.blob, r.tree, r.commit]) assert.is(statSync(loose(r.repo, id)).mode & 0o777, 0o444, `${id} is read-only, as git leaves its objects`);
  git(r.repo, ['update-ref', 'refs/heads/rollback', r.commit]);
  fsckClean(r.repo);
  // Placed again (a second action naming them): nothing to do, nothing broken.
  assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), true);
  await r.rehearsed.dispose();
  assert.is(existsSync(r.scratch), false);
});

test('another action, or another result, is not placed: the caller makes it', async () => {
  const r = rehearsedCommit();
  await r.rehearsed.record('commit-1', r.commit, r.objects);
  assert.is(await r.rehearsed.place('commit-2', r.commit, r.repo), false);
  assert.is(await r.rehearsed.place('commit-1', 'f'.repeat(40), r.repo), false);
  assert.throws(() => git(r.repo, ['cat-file', '-e', r.commit]));
});

test('a file changed or gone while apply waited is not placed, and nothing of the action is: the caller makes it', async () => {
  for (const spoil of ['swap', 'truncate', 'remove'] as const) {
    const r = rehearsedCommit();
    await r.rehearsed.record('commit-1', r.commit, r.objects);
    const path = join(r.objects, r.commit.slice(0, 2), r.commit.slice(2));
    chmodSync(path, 0o644);
    if (spoil === 'swap') writeFileSync(path, deflateSync(Buffer.from('commit 5\0hello')));
    else if (spoil === 'truncate') writeFileSync(path, readFileSync(path).subarray(0, 10));
    else rmSync(path);
    assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), false, spoil);
    for (const id of [r.blob, r.tree, r.commit]) assert.is(existsSync(loose(r.repo, id)), false, `${spoil}: ${id} was placed`);
  }
});

test('red team: an object a later action shares with an earlier one is placed with it, even when the earlier one was made otherwise', async () => {
  const r = rehearsedCommit();
  await r.rehearsed.record('merge-main', r.commit, r.objects);
  // A second merge-back with the same tree, on another branch at the same commit.
  const release = git(r.standIn, ['commit-tree', r.tree, '-p', r.base, '-m', 'Merge into release']);
  await r.rehearsed.record('merge-release', release, r.objects);
  // The first was made again on a moved branch (another result): not placed; the second is, with the tree and blob.
  assert.is(await r.rehearsed.place('merge-main', 'f'.repeat(40), r.repo), false);
  assert.is(await r.rehearsed.place('merge-release', release, r.repo), true);
  git(r.repo, ['update-ref', 'refs/heads/release', release]);
  fsckClean(r.repo);
});

test('red team: what git packed in the stand-in (core.bigFileThreshold) is not placed: the caller makes it', async () => {
  const r = rehearsedCommit();
  // A blob bulk-checked-in to a pack, as hash-object does above the threshold.
  git(r.standIn, ['-c', 'core.bigFileThreshold=1', 'hash-object', '-w', '--stdin-paths'], `${join(r.standIn, 'config')}\n`);
  assert.ok(readdirSync(join(r.objects, 'pack')).some((f) => f.endsWith('.pack')), 'git wrote a pack');
  await r.rehearsed.record('commit-1', r.commit, r.objects);
  assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), false);
});

test('red team: a write that fails half-way leaves no object naming a missing one; git\'s shared modes are kept', async () => {
  const r = rehearsedCommit();
  await r.rehearsed.record('commit-1', r.commit, r.objects);
  // A file where the commit's fan-out directory goes: mkdir fails there, as ENOSPC or EACCES would.
  // (The dates are fixed, so the ids are: no other object of the repository has that directory.)
  const fanOut = join(r.repo, '.git', 'objects', r.commit.slice(0, 2));
  assert.is(existsSync(fanOut), false);
  writeFileSync(fanOut, '');
  await r.rehearsed.place('commit-1', r.commit, r.repo).then(
    () => assert.unreachable('placed into a file'),
    (error: Error) => assert.match(error.message, /\[HF421\]/),
  );
  rmSync(fanOut);
  assert.ok(existsSync(loose(r.repo, r.tree)), 'what the commit names was placed first');
  fsckClean(r.repo);
  // Modes as git gives its own objects in the same repository (a new one it writes after).
  for (const shared of ['group', '0600'] as const) {
    const old = process.umask(0o022);
    try {
      const s = rehearsedCommit(shared);
      await s.rehearsed.record('commit-1', s.commit, s.objects);
      const before = new Set(readdirSync(join(s.repo, '.git', 'objects')));
      assert.is(await s.rehearsed.place('commit-1', s.commit, s.repo), true);
      const own = git(s.repo, ['hash-object', '-w', '--stdin'], 'written by git itself\n');
      const mode = (path: string, bits: number) => (statSync(path).mode & bits).toString(8);
      const made = [s.blob, s.tree, s.commit].map((id) => id.slice(0, 2)).filter((d) => !before.has(d));
      assert.ok(made.length > 0, 'hotfix made a fan-out directory');
      assert.not.ok([...before, ...made].includes(own.slice(0, 2)), 'git made a fan-out directory of its own to compare with');
      for (const d of made) assert.is(mode(join(s.repo, '.git', 'objects', d), 0o7777), mode(join(s.repo, '.git', 'objects', own.slice(0, 2)), 0o7777), `${shared}: fan-out directory ${d}`);
      for (const id of [s.blob, s.tree, s.commit]) assert.is(mode(loose(s.repo, id), 0o777), mode(loose(s.repo, own), 0o777), `${shared}: object ${id}`);
      fsckClean(s.repo);
    } finally {
      process.umask(old);
    }
  }
});

test.run();
