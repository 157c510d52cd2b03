import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RehearsedObjects } from '../../src/apply/rehearsed-objects.js';
import { tempDir } from '../helpers/temp-dir.js';

const git = (cwd: string, args: readonly string[], input?: string) => execFileSync('git', args, { cwd, encoding: 'utf8', input, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' } }).trim();

/**
 * A repository and a stand-in that borrows its objects, as the rehearsal makes them, with a
 * blob, a tree and a commit written into the stand-in by git: what one rehearsed action made.
 */
function rehearsedCommit(): { repo: string; standIn: string; rehearsed: RehearsedObjects; commit: string; scratch: string } {
  const root = tempDir();
  const repo = join(root, 'repo');
  git(root, ['init', '--quiet', repo]);
  git(repo, ['commit', '--quiet', '--allow-empty', '-m', 'base']);
  const scratch = join(root, 'scratch');
  const standIn = join(scratch, 'deploy');
  git(root, ['init', '--quiet', '--bare', '--template=', standIn]);
  writeFileSync(join(standIn, 'objects', 'info', 'alternates'), `${join(repo, '.git', 'objects')}\n`);
  const before = readdirSync(join(standIn, 'objects')).length;
  const blob = git(standIn, ['hash-object', '-w', '--stdin'], 'newTag: main-1234567\n');
  const tree = git(standIn, ['mktree'], `100644 blob ${blob}\tkustomization.yaml\n`);
  const commit = git(standIn, ['commit-tree', tree, '-p', git(repo, ['rev-parse', 'HEAD']), '-m', 'Roll back']);
  assert.ok(readdirSync(join(standIn, 'objects')).length > before, 'git wrote loose objects in the stand-in');
  return { repo, standIn, rehearsed: new RehearsedObjects(scratch), commit, scratch };
}

async function recorded(r: ReturnType<typeof rehearsedCommit>): Promise<string[]> {
  const objects = join(r.standIn, 'objects');
  const files = await RehearsedObjects.looseFiles(objects);
  r.rehearsed.record('commit-1', r.commit, objects, new Set(), files);
  return [...files];
}

test('the objects a rehearsed action made are placed whole, as git reads them, and the rehearsal is disposed of', async () => {
  const r = rehearsedCommit();
  const files = await recorded(r);
  assert.is(files.length, 3, files.join(' '));
  assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), true);
  assert.is(git(r.repo, ['cat-file', '-t', r.commit]), 'commit');
  git(r.repo, ['update-ref', 'refs/heads/rollback', r.commit]);
  git(r.repo, ['fsck', '--strict', '--no-dangling', '--no-progress']);
  for (const file of files) assert.is(statSync(join(r.repo, '.git', 'objects', file)).mode & 0o777, 0o444, `${file} is read-only, as git leaves its objects`);
  // Placed again (a second action naming them): nothing to do, nothing broken.
  assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), true);
  await r.rehearsed.dispose();
  assert.is(existsSync(r.scratch), false);
});

test('another action, or another result, is not placed: the caller makes it', async () => {
  const r = rehearsedCommit();
  await recorded(r);
  assert.is(await r.rehearsed.place('commit-2', r.commit, r.repo), false);
  assert.is(await r.rehearsed.place('commit-1', 'f'.repeat(40), r.repo), false);
  assert.throws(() => git(r.repo, ['cat-file', '-e', r.commit]));
});

test('a file changed or gone while apply waited is not placed, and nothing of the action is: the caller makes it', async () => {
  for (const spoil of ['swap', 'truncate', 'remove'] as const) {
    const r = rehearsedCommit();
    const files = await recorded(r);
    const commitFile = files.find((f) => f.replace('/', '') === r.commit)!;
    const path = join(r.standIn, 'objects', commitFile);
    chmodSync(path, 0o644);
    if (spoil === 'swap') writeFileSync(path, deflateSync(Buffer.from('commit 5\0hello')));
    else if (spoil === 'truncate') writeFileSync(path, readFileSync(path).subarray(0, 10));
    else execFileSync('rm', ['-f', path]);
    assert.is(await r.rehearsed.place('commit-1', r.commit, r.repo), false, spoil);
    for (const file of files) assert.is(existsSync(join(r.repo, '.git', 'objects', file)), false, `${spoil}: ${file} was placed`);
  }
});

test.run();
