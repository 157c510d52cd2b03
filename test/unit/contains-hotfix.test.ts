import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initRepo, isolatedGitEnv } from '../../fixtures/git.js';
import { containmentOf, containsHotfix } from '../../src/plan/hotfix/contains-hotfix.js';
import { hotfixBase, readContainment, type HotfixChanges } from '../../src/state/hotfix/hotfix-changes.js';
import { tempDir } from '../helpers/temp-dir.js';

const changes: HotfixChanges = {
  base: 'b'.repeat(40),
  head: 'h'.repeat(40),
  commits: [
    { sha: '1'.repeat(40), subject: 'first', patchId: 'p1', origin: 'o'.repeat(40) },
    { sha: '2'.repeat(40), subject: 'second', patchId: 'p2' },
  ],
  squashPatchId: 'p12',
};
const target = { name: 'dev', sha: 't'.repeat(40), ancestors: [] as string[], patchIds: [] as string[], pickedFrom: [] as string[] };

const cases: Array<[string, Partial<typeof target>, Array<string | undefined>]> = [
  ['nothing of it', {}, [undefined, undefined]],
  ['merged: both ancestors', { ancestors: ['1'.repeat(40), '2'.repeat(40)] }, ['ancestor', 'ancestor']],
  ['the first picked from a commit the target has', { ancestors: ['o'.repeat(40)] }, ['origin', undefined]],
  ['cherry-picked: the same patch-ids', { patchIds: ['p1', 'p2', 'other'] }, ['patch-id', 'patch-id']],
  ['cherry-picked with -x, conflicts resolved: another patch-id', { patchIds: ['resolved'], pickedFrom: ['2'.repeat(40)] }, [undefined, 'cherry-pick -x']],
  ['-x naming the commit the hotfix picked', { pickedFrom: ['o'.repeat(40)] }, ['cherry-pick -x', undefined]],
  ['squashed: one commit with the whole patch-id', { patchIds: ['p12'] }, ['squash', 'squash']],
];
for (const [name, given, heldBy] of cases)
  test(`containsHotfix: ${name}`, () => {
    const c = containsHotfix(changes, { ...target, ...given });
    assert.equal(c.commits.map((k) => k.heldBy), heldBy);
    assert.is(c.contained, heldBy.every((h) => h !== undefined));
  });

test('containsHotfix: a commit that changes nothing is held anywhere', () => {
  const c = containsHotfix({ ...changes, commits: [{ sha: '3'.repeat(40), subject: 'empty' }] }, target);
  assert.equal(c.commits.map((k) => k.heldBy), ['empty']);
  assert.ok(c.contained);
});

// Real git: a mainline with a fix, a hotfix branch cut before it that picks it, and branches that get it in different ways.
const env = { ...isolatedGitEnv(), GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const lines = (n: number, edit: Record<number, string> = {}) => Array.from({ length: n }, (_, i) => edit[i] ?? `line ${i}`).join('\n') + '\n';
function commit(repo: string, text: string, message: string): string {
  writeFileSync(join(repo, 'f.txt'), text);
  git(repo, 'commit', '-q', '-am', message);
  return git(repo, 'rev-parse', 'HEAD');
}

async function history() {
  const repo = tempDir();
  await initRepo(repo);
  writeFileSync(join(repo, 'f.txt'), lines(30));
  git(repo, 'add', 'f.txt');
  git(repo, 'commit', '-q', '-m', 'initial');
  const base = git(repo, 'rev-parse', 'HEAD');
  commit(repo, lines(30, { 20: 'line 20 on main' }), 'a feature');
  const fix = commit(repo, lines(30, { 5: 'fixed', 20: 'line 20 on main' }), 'the fix');
  git(repo, 'switch', '-q', '-c', 'hotfix', base);
  git(repo, 'cherry-pick', '-x', fix);
  const head = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'switch', '-q', 'main');
  return { repo, base, fix, head };
}

test('hotfixBase: the fork with the mainline; once merged with --no-ff, still the commit it was cut from; a mainline commit is its own', async () => {
  const { repo, base, head } = await history();
  assert.is(await hotfixBase(repo, head, 'refs/heads/main'), base);
  git(repo, 'merge', '-q', '--no-ff', '-m', 'merge the hotfix back', 'hotfix');
  assert.is(await hotfixBase(repo, head, 'refs/heads/main'), base);
  const mainHead = git(repo, 'rev-parse', 'HEAD');
  assert.is(await hotfixBase(repo, mainHead, 'refs/heads/main'), mainHead);
});

test('readContainment: a branch cut before the fix lacks it; a resolved cherry-pick -x, a clean pick and a squash each hold it', async () => {
  const { repo, base, head } = await history();
  const branch = (name: string, edit: Record<number, string>) => {
    git(repo, 'switch', '-q', '-c', name, base);
    commit(repo, lines(30, edit), `${name}'s own change`);
  };
  branch('lacks', { 25: 'elsewhere' });
  branch('conflicted', { 5: 'fixed differently', 25: 'elsewhere' });
  const conflict = execFileSyncStatus(repo, ['cherry-pick', '-x', head]);
  assert.is.not(conflict, 0, 'the pick conflicts');
  writeFileSync(join(repo, 'f.txt'), lines(30, { 5: 'fixed', 25: 'elsewhere' }));
  git(repo, 'add', 'f.txt');
  git(repo, '-c', 'core.editor=true', 'cherry-pick', '--continue');
  branch('picked', { 3: 'near the fix' });
  git(repo, 'cherry-pick', head);
  branch('squashed', { 25: 'elsewhere' });
  git(repo, 'merge', '-q', '--squash', 'hotfix');
  git(repo, 'commit', '-q', '-m', 'squash');
  const targets = ['lacks', 'conflicted', 'picked', 'squashed', 'main'].map((name) => ({ name, sha: git(repo, 'rev-parse', name) }));
  const held = containmentOf(await readContainment(repo, base, head, targets));
  assert.equal(
    held.map((c) => [c.target, c.commits[0]!.heldBy ?? 'missing']),
    [['lacks', 'missing'], ['conflicted', 'cherry-pick -x'], ['picked', 'patch-id'], ['squashed', 'patch-id'], ['main', 'origin']],
  );
});

function execFileSyncStatus(repo: string, args: string[]): number {
  try {
    execFileSync('git', args, { cwd: repo, env, stdio: 'ignore' });
    return 0;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

test.run();
