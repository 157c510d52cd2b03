import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git, initRepo } from '../../fixtures/git.js';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { updateRefs } from '../../src/apply/git-write.js';
import { checkedOutBranches } from '../../src/state/git/busy-branches.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A repository with main checked out, four commits changing one file, and main-base at the first. */
async function repository(): Promise<string> {
  const repo = join(tempDir(), 'repo');
  await initRepo(repo);
  for (const text of ['one', 'two', 'three', 'four']) {
    writeFileSync(join(repo, 'a.txt'), `${text}\n`);
    await git(repo, ['add', 'a.txt']);
    await git(repo, ['commit', '-q', '-m', text]);
  }
  await git(repo, ['branch', 'main-base', 'main~3']);
  return repo;
}

test('a branch checked out in any work tree, and a symbolic ref leading to it (even through another), is busy', async () => {
  const repo = await repository();
  const other = join(repo, '..', 'other-tree');
  await git(repo, ['worktree', 'add', '-q', '-b', 'feature', other, 'main-base']);
  await git(repo, ['symbolic-ref', 'refs/heads/alias', 'refs/heads/feature']);
  await git(repo, ['symbolic-ref', 'refs/heads/alias-of-alias', 'refs/heads/alias']);
  await git(repo, ['branch', 'idle', 'main-base']);
  const busy = await checkedOutBranches(repo);
  assert.is(busy.get('refs/heads/main'), repo);
  assert.is(busy.get('refs/heads/feature'), other);
  assert.is(busy.get('refs/heads/alias'), other);
  assert.is(busy.get('refs/heads/alias-of-alias'), other);
  assert.not.ok(busy.has('refs/heads/idle'));
});

test('a branch being rebased in a linked work tree, or bisected in the main one, is busy though HEAD is detached there', async () => {
  const repo = await repository();
  const other = join(repo, '..', 'rebasing-tree');
  await git(repo, ['worktree', 'add', '-q', '-b', 'topic', other, 'main-base']);
  writeFileSync(join(other, 'a.txt'), 'elsewhere\n');
  await git(other, ['commit', '-q', '-am', 'conflicting']);
  // Stops on the conflict with `topic` as the branch the rebase will come back to.
  await git(other, ['rebase', '-q', 'main']).catch(() => undefined);
  await git(repo, ['bisect', 'start', 'main', 'main-base']);
  const listed = await git(repo, ['worktree', 'list', '--porcelain']);
  assert.not.match(listed, /branch refs\/heads\/(topic|main)\n/, 'git lists both work trees as detached');
  const busy = await checkedOutBranches(repo);
  assert.is(busy.get('refs/heads/topic'), other, 'being rebased');
  assert.is(busy.get('refs/heads/main'), repo, 'being bisected');
  assert.not.ok(busy.has('refs/heads/main-base'));
});

test('a failed git names its subcommand, not the -c options in front of it', async () => {
  const repo = await repository();
  const main = (await git(repo, ['rev-parse', 'main'])).trim();
  try {
    await updateRefs(repo, [{ ref: 'refs/heads/main', sha: main, old: '1'.repeat(40) }]);
    assert.unreachable('a stale old value must fail');
  } catch (error) {
    assert.instance(error, HotfixError);
    const message = (error as HotfixError).diagnostics[0]!.message;
    assert.match(message, /could not move refs\/heads\/main: git update-ref failed in /);
    assert.not.match(message, /git -c/);
  }
});

test.run();
