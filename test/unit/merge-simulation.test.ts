import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { putCommit } from '../../src/state/git/loose-object.js';
import { MergeSimulator } from '../../src/state/git/merge-simulation.js';
import { tempDir } from '../helpers/temp-dir.js';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@a', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@a' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const lines = (n: number, changed: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => changed[i] ?? `line ${i}`).join('\n') + '\n';

/** base → deployed; main goes on with a feature, a clean fix and a fix of a line the feature changed. */
function history() {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  const commit = (files: Record<string, string>, message: string) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    git(dir, 'add', '.');
    git(dir, 'commit', '-qm', message);
    return git(dir, 'rev-parse', 'HEAD');
  };
  const deployed = commit({ 'a.txt': lines(30), 'b.txt': lines(10) }, 'deployed');
  commit({ 'a.txt': lines(30, { 20: 'feature' }) }, 'feature');
  const cleanFix = commit({ 'a.txt': lines(30, { 2: 'fixed', 20: 'feature' }), 'b.txt': lines(10, { 5: 'fixed' }) }, 'fix');
  const conflictingFix = commit({ 'a.txt': lines(30, { 2: 'fixed', 20: 'feature, fixed' }) }, 'fix of the feature');
  return { dir, deployed, cleanFix, conflictingFix };
}

function objectCount(dir: string): number {
  return readdirSync(join(dir, '.git', 'objects')).filter((d) => /^[0-9a-f]{2}$/.test(d)).reduce((n, d) => n + readdirSync(join(dir, '.git', 'objects', d)).length, 0);
}

test('a simulated cherry-pick gives the tree git cherry-pick gives, and writes nothing to the repository', async () => {
  const h = history();
  const before = objectCount(h.dir);
  const sim = await MergeSimulator.open(h.dir, 'temporary');
  const result = await sim.merge(`${h.cleanFix}^`, await sim.treeOf(h.deployed), await sim.treeOf(h.cleanFix));
  await sim.close();
  assert.equal(result.conflicts, []);
  assert.is(objectCount(h.dir), before);

  git(h.dir, 'checkout', '-q', '-b', 'pick', h.deployed);
  git(h.dir, 'cherry-pick', h.cleanFix);
  assert.is(result.tree, git(h.dir, 'rev-parse', 'HEAD^{tree}'));
});

test('a conflicting cherry-pick names the files git cherry-pick stops on', async () => {
  const h = history();
  const sim = await MergeSimulator.open(h.dir, 'temporary');
  const result = await sim.merge(`${h.conflictingFix}^`, await sim.treeOf(h.deployed), await sim.treeOf(h.conflictingFix));
  await sim.close();
  git(h.dir, 'checkout', '-q', '-b', 'pick', h.deployed);
  let stopped: string[] = [];
  try {
    git(h.dir, 'cherry-pick', h.conflictingFix);
  } catch {
    stopped = git(h.dir, 'diff', '--name-only', '--diff-filter=U').split('\n');
  }
  assert.equal(result.conflicts, stopped);
  assert.equal(stopped, ['a.txt']);
});

test('repository storage leaves the merged tree in the repository', async () => {
  const h = history();
  const sim = await MergeSimulator.open(h.dir, 'repository');
  const result = await sim.merge(`${h.cleanFix}^`, await sim.treeOf(h.deployed), await sim.treeOf(h.cleanFix));
  await sim.close();
  assert.is(git(h.dir, 'cat-file', '-t', result.tree), 'tree');
});

test('a merge side hotfix writes itself is the commit git commit-tree makes of it, whole in the store git reads', async () => {
  const h = history();
  const tree = git(h.dir, 'rev-parse', `${h.cleanFix}^{tree}`);
  const objects = join(tempDir(), 'objects');
  mkdirSync(objects);
  const id = await putCommit(objects, `tree ${tree}\nparent ${h.deployed}\nauthor hotfix <hotfix@localhost> 0 +0000\ncommitter hotfix <hotfix@localhost> 0 +0000\n\nhotfix merge side\n`);
  const synthetic = { ...env, GIT_AUTHOR_NAME: 'hotfix', GIT_AUTHOR_EMAIL: 'hotfix@localhost', GIT_AUTHOR_DATE: '1970-01-01T00:00:00Z', GIT_COMMITTER_NAME: 'hotfix', GIT_COMMITTER_EMAIL: 'hotfix@localhost', GIT_COMMITTER_DATE: '1970-01-01T00:00:00Z' };
  const byGit = execFileSync('git', ['commit-tree', tree, '-p', h.deployed, '-m', 'hotfix merge side'], { cwd: h.dir, env: synthetic, encoding: 'utf8' }).trim();
  assert.is(id, byGit);
  const read = execFileSync('git', ['cat-file', '-p', id], { cwd: h.dir, env: { ...env, GIT_OBJECT_DIRECTORY: objects, GIT_ALTERNATE_OBJECT_DIRECTORIES: join(h.dir, '.git', 'objects') }, encoding: 'utf8' });
  assert.ok(read.startsWith(`tree ${tree}\nparent ${h.deployed}\n`), read);
});

test.run();
