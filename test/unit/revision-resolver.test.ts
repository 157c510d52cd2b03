import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git, initRepo } from '../../fixtures/git.js';
import { resolveRevisions, verifyRevision } from '../../src/state/git/resolve-revisions.js';
import { counted } from '../helpers/counting-shim.js';
import { tempDir } from '../helpers/temp-dir.js';

/** What git itself says, the answer the resolver must give. */
function revParse(repo: string, revision: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', revision], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** main with two commits, an annotated and a light tag, a blob, a ref to an object the store lacks, a name like an option. */
async function repository(): Promise<string> {
  const repo = join(tempDir(), 'repo');
  await initRepo(repo);
  for (const text of ['one', 'two']) {
    writeFileSync(join(repo, 'a.txt'), `${text}\n`);
    await git(repo, ['add', 'a.txt']);
    await git(repo, ['commit', '-q', '-m', `commit ${text}`]);
  }
  await git(repo, ['tag', '-a', '-m', 'release', 'v1', 'main~1']);
  await git(repo, ['tag', 'light', 'main']);
  await git(repo, ['update-ref', 'refs/heads/-x', 'main~1']);
  // A ref written by hand whose object was never stored (a broken clone, a hand edit).
  writeFileSync(join(repo, '.git', 'refs', 'heads', 'dangling'), `${'1'.repeat(40)}\n`);
  return repo;
}

const NAMES = [
  'main', 'refs/heads/main^{commit}', 'main^{tree}', 'main~1', 'refs/tags/v1', 'refs/tags/v1^{commit}', 'v1^{tree}', 'light',
  'main:a.txt', 'main:missing.txt', 'refs/heads/dangling', 'refs/heads/dangling^{commit}', 'refs/heads/absent', 'refs/heads/absent^{commit}',
  'refs/heads/-x', '-x', '--all', ':/commit one', 'a.txt^{commit}', `${'0'.repeat(40)}^{commit}`, 'main\nrefs/tags/v1', ' main', '',
];

test('every revision resolves to what git rev-parse --verify gives: peeled or not, tags, blobs, a dangling ref, names like options, a line break', async () => {
  const repo = await repository();
  const answers = await resolveRevisions(repo, NAMES);
  NAMES.forEach((name, i) => assert.is(answers[i], revParse(repo, name), JSON.stringify(name)));
});

test('a ref moved after it was first resolved, loose or packed, is read afresh', async () => {
  const repo = await repository();
  const before = await verifyRevision(repo, 'refs/heads/main^{commit}');
  writeFileSync(join(repo, 'a.txt'), 'three\n');
  await git(repo, ['commit', '-q', '-am', 'three']);
  const moved = await verifyRevision(repo, 'refs/heads/main^{commit}');
  assert.is.not(moved, before);
  assert.is(moved, revParse(repo, 'main'));
  await git(repo, ['pack-refs', '--all']);
  await git(repo, ['update-ref', 'refs/heads/main', before!]);
  assert.is(await verifyRevision(repo, 'refs/heads/main^{commit}'), before);
  await git(repo, ['update-ref', '-d', 'refs/heads/main']);
  assert.is(await verifyRevision(repo, 'refs/heads/main^{commit}'), undefined);
});

test('many revisions of one repository cost one git process, not one each', async () => {
  const repo = await repository();
  const names = Array.from({ length: 40 }, (_, i) => (i % 2 ? `main~${i % 2}^{commit}` : 'refs/tags/v1'));
  const { value, invocations } = await counted('git', () => resolveRevisions(repo, names));
  assert.equal(value, names.map((name) => revParse(repo, name)));
  assert.is(invocations.length, 1, invocations.join('\n'));
  assert.match(invocations[0]!, /cat-file --batch-check/);
});

test.run();
