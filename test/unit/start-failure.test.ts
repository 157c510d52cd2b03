import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git as fixtureGit, initRepo } from '../../fixtures/git.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { firstParentHistory } from '../../src/state/git/commit-log.js';
import { git } from '../../src/state/git/run-git.js';
import { hotfixRejection } from '../helpers/hotfix-failure.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A git that cannot be started is a coded error saying why (HF225: not installed, out of
// file descriptors), and a directory that is not there is one naming it (HF224): never
// `spawn git ENOENT`, and never an empty answer that reads as "nothing found".

async function repository(): Promise<string> {
  const repo = join(tempDir(), 'repo');
  await initRepo(repo);
  writeFileSync(join(repo, 'README.md'), 'hello\n');
  await fixtureGit(repo, ['add', 'README.md']);
  await fixtureGit(repo, ['commit', '-q', '-m', 'first']);
  return repo;
}

/** Runs one git operation of hotfix in a process that has no file descriptor left. */
function withoutFileDescriptors(operation: string, repo: string): { taken: number; failure?: string; other?: string } {
  const child = spawnSync('bash', ['-c', 'ulimit -n 256 && exec "$0" --import tsx "$@"', process.execPath, join(ROOT, 'test', 'helpers', 'out-of-files.ts'), operation, repo], { cwd: ROOT, encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { taken: number; failure?: string; other?: string };
}

for (const operation of ['git', 'cat-file', 'log']) {
  test(`${operation}: out of file descriptors (EMFILE) is HF225 saying so`, async () => {
    const outcome = withoutFileDescriptors(operation, await repository());
    assert.ok(outcome.taken > 100, `the child took ${outcome.taken} descriptors`);
    assert.is(outcome.other, undefined);
    assert.is(outcome.failure, 'HF225 git could not be started: too many open files (ulimit -n)');
  });
}

test('git not on PATH is HF225 "not installed or not on PATH", from every way hotfix starts git', async () => {
  const repo = await repository();
  const saved = process.env.PATH;
  process.env.PATH = tempDir();
  try {
    const expected = 'HF225 git is not installed or not on PATH';
    assert.is(await hotfixRejection(git(repo, ['rev-parse', 'HEAD'])), expected);
    const blobs = new CatFileBatch(repo);
    assert.is(await hotfixRejection(blobs.read('HEAD:README.md')), expected);
    blobs.close();
    assert.is(await hotfixRejection(firstParentHistory(repo, 'HEAD', 'README.md').next()), expected);
  } finally {
    process.env.PATH = saved;
  }
});

test('a directory that is not there, or is a file, is HF224 naming it, not "git is not installed"', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a-file'), '');
  assert.is(await hotfixRejection(git(join(dir, 'gone'), ['rev-parse', 'HEAD'])), `HF224 could not run git in ${join(dir, 'gone')}: no such file or directory`);
  assert.is(await hotfixRejection(git(join(dir, 'a-file'), ['rev-parse', 'HEAD'])), `HF224 could not run git in ${join(dir, 'a-file')}: it is not a directory`);
  assert.is(await hotfixRejection(firstParentHistory(join(dir, 'gone'), 'HEAD', 'README.md').next()), `HF224 could not run git in ${join(dir, 'gone')}: no such file or directory`);
});

test.run();
