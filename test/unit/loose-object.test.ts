import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { putCommit } from '../../src/state/git/loose-object.js';
import { tempDir } from '../helpers/temp-dir.js';

const git = (cwd: string, args: readonly string[], input?: string) => execFileSync('git', args, { cwd, encoding: 'utf8', input, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();
const side = `tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor hotfix <hotfix@localhost> 0 +0000\ncommitter hotfix <hotfix@localhost> 0 +0000\n\nhotfix merge side\n`;

test('red team: many writers of one object at once all succeed, and leave it whole with no partial file', async () => {
  const repo = join(tempDir(), 'repo');
  git(repo.replace(/\/repo$/, ''), ['init', '--quiet', '--bare', repo]);
  const objects = join(repo, 'objects');
  const ids = await Promise.all(Array.from({ length: 200 }, () => putCommit(objects, side)));
  assert.equal(new Set(ids).size, 1);
  assert.is(git(repo, ['cat-file', '-t', ids[0]!]), 'commit');
  assert.equal(readdirSync(join(objects, ids[0]!.slice(0, 2))), [ids[0]!.slice(2)]);
});

test('red team: in a repository that shares nothing, a new fan-out directory takes the umask as git does', async () => {
  for (const umask of [0o077, 0o002]) {
    const old = process.umask(umask);
    try {
      const repo = join(tempDir(), 'repo');
      git(repo.replace(/\/repo$/, ''), ['init', '--quiet', '--bare', repo]);
      const objects = join(repo, 'objects');
      // The object directory as another umask made it (a clone made by someone else, or earlier).
      execFileSync('chmod', ['0755', objects]);
      const id = await putCommit(objects, side);
      const own = git(repo, ['hash-object', '-w', '--stdin'], 'written by git itself\n');
      assert.is.not(own.slice(0, 2), id.slice(0, 2));
      const mode = (dir: string) => (statSync(join(objects, dir)).mode & 0o7777).toString(8);
      assert.is(mode(id.slice(0, 2)), mode(own.slice(0, 2)), `umask ${umask.toString(8)}`);
    } finally {
      process.umask(old);
    }
  }
});

test.run();
