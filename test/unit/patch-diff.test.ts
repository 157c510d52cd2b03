import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blobId as gitBlobId } from '../../src/plan/git-objects.js';
import { unifiedDiff } from '../../src/patch/unified-diff.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** What real git prints for committing `after` over `before` in a fresh repository with no user config. */
function gitShow(path: string, before: string, after: string): string {
  const dir = tempDir('hotfix-diff-');
  const env = { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
  const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], { cwd: dir, env, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  mkdirSync(join(dir, dirname(path)), { recursive: true });
  writeFileSync(join(dir, path), before);
  git('add', path);
  git('commit', '-q', '-m', 'before');
  writeFileSync(join(dir, path), after);
  git('commit', '-q', '-a', '-m', 'after');
  assert.is(git('hash-object', path).trim(), gitBlobId(after), 'blob id');
  return git('-c', 'core.abbrev=7', 'show', '--format=', 'HEAD');
}

function assertLikeGit(before: string, after: string, path = 'deploy/values.yaml'): void {
  const ours = unifiedDiff(path, before, after, { before: gitBlobId(before), after: gitBlobId(after) });
  assert.fixture(ours, gitShow(path, before, after));
}

/** A 40-line YAML file whose top-level keys are candidates for git's hunk function names. */
const lines = Array.from({ length: 40 }, (_, i) => (i % 10 === 0 ? `section${i}:` : `  key${i}: value-${i} # note`));
const file = `${lines.join('\n')}\n`;
const edit = (text: string, change: (all: string[]) => void): string => {
  const all = text.split('\n');
  change(all);
  return all.join('\n');
};

test('gitBlobId is git hash-object', () => {
  assert.is(gitBlobId(''), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  assert.is(gitBlobId('hello\n'), 'ce013625030ba8dba906f756967f9e9ca394464a');
});

test('one line changed in the middle: hunk named by the section above', () => {
  assertLikeGit(file, edit(file, (all) => (all[14] = '  key14: changed')));
});

test('a change near the start, where the hunk begins at line 1', () => {
  assertLikeGit(file, edit(file, (all) => (all[1] = '  key1: changed')));
  assertLikeGit(file, edit(file, (all) => (all[0] = 'renamed:')));
});

test('a change near the end', () => {
  assertLikeGit(file, edit(file, (all) => (all[39] = '  key39: changed')));
});

test('two distant changes make two hunks; six lines apart still one', () => {
  assertLikeGit(file, edit(file, (all) => ((all[3] = '  key3: x'), (all[33] = '  key33: y'))));
  assertLikeGit(file, edit(file, (all) => ((all[12] = '  key12: x'), (all[19] = '  key19: y'))));
  assertLikeGit(file, edit(file, (all) => ((all[12] = '  key12: x'), (all[20] = '  key20: y'))));
});

test('lines added and removed', () => {
  assertLikeGit(file, edit(file, (all) => all.splice(15, 0, '  added: line')));
  assertLikeGit(file, edit(file, (all) => all.splice(25, 2)));
});

test('files without a final line break', () => {
  const open = file.slice(0, -1);
  assertLikeGit(open, edit(open, (all) => (all[39] = '  key39: changed')));
  assertLikeGit(open, edit(open, (all) => (all[20] = '  key20: changed')));
  assertLikeGit(open, file);
  assertLikeGit(file, open);
});

test('CRLF line endings, a long function line, no function line at all', () => {
  assertLikeGit(file.replace(/\n/g, '\r\n'), edit(file, (all) => (all[14] = '  key14: changed')).replace(/\n/g, '\r\n'));
  const indented = file.replace(/^section/gm, '  section');
  assertLikeGit(indented, edit(indented, (all) => (all[24] = '  key24: changed')));
  // git cuts the name at 80 bytes, counting UTF-8 bytes, then trims trailing blanks.
  for (const head of [`${'x'.repeat(100)}:`, `${'é'.repeat(30)}${'y'.repeat(30)}:`, `${'z'.repeat(79)}   :`]) {
    const long = `${head}\n${indented}`;
    assertLikeGit(long, edit(long, (all) => (all[24] = '  key24: changed')));
  }
});

test('unchanged content has no diff', () => {
  assert.is(unifiedDiff('a', file, file, { before: gitBlobId(file), after: gitBlobId(file) }), '');
});

test('the golden patch fixtures diff as git diffs them', () => {
  const dir = join(ROOT, 'fixtures', 'patch');
  for (const expected of readdirSync(dir).filter((f) => f.includes('.expected.'))) {
    const input = expected.replace(/^([^.]+)\..*\.(\w+)$/, '$1.input.$2');
    assertLikeGit(readFileSync(join(dir, input), 'utf8'), readFileSync(join(dir, expected), 'utf8'), `config/${input}`);
  }
});

test.run();
