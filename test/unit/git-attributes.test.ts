import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MergeSimulator } from '../../src/state/git/merge-simulation.js';
import { exportTree } from '../../src/state/render/export-tree.js';
import { tempDir } from '../helpers/temp-dir.js';

const isolated = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@a', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@a' };
const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = isolated) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const lines = (n: number, changed: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => changed[i] ?? `  key${i}: value ${i}`).join('\n') + '\n';

/**
 * A repository whose every attribute source names drivers, each a program that logs to
 * `marker`: the tree's .gitattributes (committed, as git-lfs and linguist users commit
 * theirs), info/attributes, and the user's attributes file with drivers in ~/.gitconfig.
 * The repository's config defines the drivers as a repository may (merge.<x>.driver,
 * diff.<x>.textconv / command / binary / xfuncname, filter.<x>.smudge / clean, required)
 * and merge.default. The history: `base` → `ours` and `theirs` changing lines far apart
 * in one file, so git's own merge is clean and a driver would be asked.
 */
function hostileRepo() {
  const root = tempDir();
  const dir = join(root, 'repo');
  const marker = join(root, 'ran.log');
  const program = (name: string, then: string) => `sh -c 'echo ${name} >> ${marker}; ${then}' --`;
  mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main']);
  const commit = (files: Record<string, string>, message: string) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    git(dir, ['add', '.']);
    git(dir, ['commit', '-qm', message]);
    return git(dir, ['rev-parse', 'HEAD']);
  };
  const base = commit({ 'values.yaml': lines(30) }, 'base');
  const ours = commit({ 'values.yaml': lines(30, { 2: '  key2: ours' }) }, 'ours');
  git(dir, ['checkout', '-q', '-b', 'side', base]);
  const theirs = commit({ 'values.yaml': lines(30, { 25: '  key25: theirs' }) }, 'theirs');
  git(dir, ['checkout', '-q', 'main']);
  const clean = { dir, base, ours, theirs };

  // Attributes added after the history, so the commits above are those of a clean repository.
  const withAttributes = commit({ '.gitattributes': '*.yaml merge=evil diff=evil filter=evil\n' }, 'attributes');
  writeFileSync(join(dir, '.git', 'info', 'attributes'), '* merge=evilinfo diff=evil filter=evil\n');
  const settings: Array<[string, string]> = [
    ['merge.evil.driver', program('merge-driver', 'echo DRIVER > "$1"; exit 0')],
    ['merge.evilinfo.driver', program('info-merge-driver', 'exit 0')],
    ['merge.default', 'evil'],
    ['merge.conflictStyle', 'zdiff3'],
    ['diff.evil.textconv', program('textconv', 'cat "$1"')],
    ['diff.evil.command', program('external-diff', 'exit 0')],
    ['diff.evil.binary', 'true'],
    ['diff.evil.xfuncname', '^(.*)$'],
    ['diff.evil.algorithm', 'patience'],
    ['filter.evil.smudge', program('smudge', 'echo SMUDGED')],
    ['filter.evil.clean', program('clean', 'cat')],
    ['filter.evil.required', 'true'],
  ];
  for (const [key, value] of settings) git(dir, ['config', key, value]);
  // The user's side: an attributes file and drivers in ~/.gitconfig (HOME is what git is given).
  const home = join(root, 'home');
  mkdirSync(join(home, '.config', 'git'), { recursive: true });
  writeFileSync(join(home, '.config', 'git', 'attributes'), '* merge=evilhome\n');
  writeFileSync(join(home, '.gitconfig'), `[core]\n\tattributesFile = ${join(home, 'user-attributes')}\n[merge "evilhome"]\n\tdriver = ${program('home-merge-driver', 'exit 0')}\n`);
  writeFileSync(join(home, 'user-attributes'), '* merge=evilhome\n');
  return { ...clean, root, marker, home, withAttributes };
}

/** Runs `work` with HOME (and so ~/.gitconfig and ~/.config/git) pointed at `home`, as git run by hotfix sees it. */
async function withHome<T>(home: string, work: () => Promise<T>): Promise<T> {
  const saved = { HOME: process.env.HOME, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
  process.env.HOME = home;
  delete process.env.XDG_CONFIG_HOME;
  try {
    return await work();
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const ran = (marker: string) => (existsSync(marker) ? readFileSync(marker, 'utf8') : '');

test('git itself runs the repository\'s drivers here: the repository is as hostile as the tests below need', () => {
  const h = hostileRepo();
  const tree = git(h.dir, ['merge-tree', '--write-tree', h.ours, h.theirs]);
  assert.match(ran(h.marker), /merge-driver/);
  assert.not.match(git(h.dir, ['cat-file', 'blob', `${tree}:values.yaml`]), /theirs/, 'the driver decided the merge: their change is lost');
  assert.match(git(h.dir, ['diff-tree', '-p', '--no-ext-diff', '--no-textconv', h.base, h.ours]), /Binary files/);
});

for (const storage of ['temporary', 'repository'] as const) {
  test(`merges and diffs (${storage} storage) run no driver and give what they give without any attribute`, async () => {
    const h = hostileRepo();
    const { merged, diff } = await withHome(h.home, async () => {
      const sim = await MergeSimulator.open(h.dir, storage);
      try {
        const result = await sim.merge(h.base, await sim.treeOf(h.ours), await sim.treeOf(h.theirs));
        assert.equal(result.conflicts, []);
        return { merged: result.tree, diff: await sim.diff(h.base, h.ours) };
      } finally {
        await sim.close();
      }
    });
    assert.is(ran(h.marker), '', 'no driver, filter or diff program ran');
    // The same history in a repository with no attribute anywhere: git's own merge and diff.
    const plain = tempDir();
    git(plain, ['clone', '-q', '--bare', '--no-local', h.dir, '.']);
    const expected = git(plain, ['merge-tree', '--write-tree', h.ours, h.theirs]);
    assert.is(merged, expected, 'the tree git merges without the attributes');
    assert.is(diff.trimEnd(), git(plain, ['diff-tree', '-r', '-p', '--full-index', '--no-renames', h.base, h.ours]), 'the diff git gives without them');
    assert.match(diff, /^@@ -1,6 \+1,6 @@\n/m, 'no function name from an xfuncname');
  });
}

test('a render export writes the blobs: no smudge filter runs, even one the repository marks required', async () => {
  const h = hostileRepo();
  const scratch = tempDir();
  const tree = join(scratch, 'tree');
  mkdirSync(tree);
  await withHome(h.home, () => exportTree(h.dir, h.withAttributes, tree, scratch));
  assert.is(ran(h.marker), '', 'no filter ran');
  assert.is(readFileSync(join(tree, 'values.yaml'), 'utf8'), lines(30, { 2: '  key2: ours' }), 'the committed bytes');
});

test.run();
