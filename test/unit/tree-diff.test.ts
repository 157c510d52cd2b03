import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MergeSimulator } from '../../src/state/git/merge-simulation.js';
import { tempDir } from '../helpers/temp-dir.js';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@a', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@a' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A repository with one commit changing a line next to an empty one, adding a file and removing one. */
function repo(): { dir: string; before: string; after: string } {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  const commit = (files: Record<string, string | null>) => {
    for (const [name, text] of Object.entries(files)) {
      if (text === null) git(dir, 'rm', '-q', name);
      else writeFileSync(join(dir, name), text);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'c');
    return git(dir, 'rev-parse', 'HEAD').trim();
  };
  const lines = Array.from({ length: 20 }, (_, i) => (i === 8 ? '' : `line ${i}`));
  const before = commit({ 'a.txt': `${lines.join('\n')}\n`, 'gone.txt': 'x\n' });
  const after = commit({ 'a.txt': `${lines.map((l, i) => (i === 10 ? 'changed' : l)).join('\n')}\n`, 'new.txt': 'a\n\nb\n', 'gone.txt': null });
  return { dir, before, after };
}

/** treeDiff as plan and apply run it: in an object view of the repository. */
async function treeDiff(dir: string, from: string, to: string): Promise<string> {
  const sim = await MergeSimulator.open(dir, 'temporary');
  try {
    return await sim.diff(from, to);
  } finally {
    await sim.close();
  }
}

test('treeDiff is git diff-tree -p with full ids, whatever the repository config says about diffs', async () => {
  const { dir, before, after } = repo();
  const plain = await treeDiff(dir, before, after);
  assert.is(plain, git(dir, 'diff-tree', '-r', '-p', '--full-index', before, after), 'the form git prints by default, with full blob ids');
  assert.match(plain, /^diff --git a\/a\.txt b\/a\.txt\nindex [0-9a-f]{40}\.\.[0-9a-f]{40} 100644\n/);
  assert.ok(plain.includes('\n \n'), 'an empty context line keeps its space');
  // Settings a user or a repository may have: the same diff in every case.
  for (const setting of ['diff.noprefix=true', 'diff.mnemonicPrefix=true', 'diff.suppressBlankEmpty=true', 'diff.context=1', 'diff.algorithm=patience', 'diff.renames=copies', 'core.abbrev=12', 'color.diff=always', 'diff.external=false']) {
    const [key, value] = setting.split('=') as [string, string];
    git(dir, 'config', key, value);
    assert.is(await treeDiff(dir, before, after), plain, setting);
    git(dir, 'config', '--unset', key);
  }
  assert.is(await treeDiff(dir, before, before), '', 'no change, no diff');
});

test('a simulated pick: the diff from the trees in the scratch store is the one the repository gives once they are written', async () => {
  const { dir, before, after } = repo();
  const sim = await MergeSimulator.open(dir, 'temporary');
  try {
    const tree = (await sim.merge(`${after}^`, await sim.treeOf(before), await sim.treeOf(after))).tree;
    assert.is(await sim.diff(before, tree), git(dir, 'diff-tree', '-r', '-p', '--full-index', before, after));
  } finally {
    await sim.close();
  }
});

test.run();
