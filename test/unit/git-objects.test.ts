import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blobId, commitObject, gitDate, treeBytes, writeFile } from '../../src/plan/git-objects.js';
import type { TreeEntry } from '../../src/state/types.js';
import { tempDir } from '../helpers/temp-dir.js';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (cwd: string, args: string[], input?: string) => execFileSync('git', args, { cwd, env, input, encoding: 'utf8' }).trim();

function repo(): string {
  const dir = tempDir();
  git(dir, ['init', '-q', '-b', 'main']);
  return dir;
}

test('blob ids equal git hash-object, including non-ASCII text', () => {
  const dir = repo();
  for (const text of ['', 'newTag: main-26a4b87\n', 'ünïcødé ✓\nno newline'])
    assert.is(blobId(text), git(dir, ['hash-object', '--stdin'], text));
});

test('trees and commits computed in process equal what git writes', () => {
  const dir = repo();
  const files: Record<string, string> = { 'README.md': 'hi\n', 'app/bases/kustomization.yaml': 'images: []\n', 'app/bases-extra/x.yaml': 'x: 1\n', 'app-b': 'file\n' };
  for (const [path, text] of Object.entries(files)) {
    execFileSync('mkdir', ['-p', `${dir}/${path.split('/').slice(0, -1).join('/') || '.'}`]);
    execFileSync('tee', [`${dir}/${path}`], { input: text });
  }
  git(dir, ['add', '.']);
  const root = git(dir, ['write-tree']);
  const ls = (rev: string) =>
    git(dir, ['ls-tree', rev]).split('\n').map((line): TreeEntry => {
      const [meta, name] = line.split('\t') as [string, string];
      const [mode, type, sha] = meta.split(' ') as [string, TreeEntry['type'], string];
      return { mode, type, sha, name };
    });
  // Tree bytes in git's order ("app-b" sorts before the tree "app", read as "app/"), whatever the input order.
  const rootEntries = ls(root);
  const bytes = treeBytes([...rootEntries].reverse());
  assert.is(execFileSync('git', ['hash-object', '-t', 'tree', '--stdin'], { cwd: dir, env, input: bytes, encoding: 'utf8' }).trim(), root);

  // Changing one file rebuilds the trees on its path exactly as git does.
  const trees = { '': ls(root), app: ls(`${root}:app`), 'app/bases': ls(`${root}:app/bases`) };
  const changed = writeFile(trees, 'app/bases/kustomization.yaml', 'images: [x]\n');
  execFileSync('tee', [`${dir}/app/bases/kustomization.yaml`], { input: 'images: [x]\n' });
  git(dir, ['add', '.']);
  assert.is(changed.root, git(dir, ['write-tree']));

  const person = { name: 'hotfix', email: 'hotfix@localhost', date: '2026-11-22T10:30:00+01:00' };
  const commit = commitObject({ tree: changed.root, parents: [], author: person, committer: person, message: 'Revert "x"\n\nThis reverts commit y.\n' });
  const viaGit = execFileSync('git', ['commit-tree', changed.root, '-F', '-'], {
    cwd: dir,
    encoding: 'utf8',
    input: 'Revert "x"\n\nThis reverts commit y.\n',
    env: { ...env, GIT_AUTHOR_NAME: 'hotfix', GIT_AUTHOR_EMAIL: 'hotfix@localhost', GIT_AUTHOR_DATE: '2026-11-22T10:30:00+01:00', GIT_COMMITTER_NAME: 'hotfix', GIT_COMMITTER_EMAIL: 'hotfix@localhost', GIT_COMMITTER_DATE: '2026-11-22T10:30:00+01:00' },
  }).trim();
  assert.is(commit.id, viaGit);
});

test('git dates keep the offset', () => {
  assert.is(gitDate('2021-01-11T15:07:07Z'), '1610377627 +0000');
  assert.is(gitDate('2021-01-11T10:07:07-05:00'), '1610377627 -0500');
});

test.run();
