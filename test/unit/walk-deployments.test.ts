import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { git, initRepo } from '../../fixtures/git.js';
import { declaredRevision } from '../../src/state/declared-revision.js';
import { CatFileBatch } from '../../src/state/git/cat-file.js';
import { walkDeployments } from '../../src/state/git/walk-deployments.js';
import { tempDir } from '../helpers/temp-dir.js';

// Pull requests merged with --no-ff, as on a config branch protected by review: what the
// branch ran is what its first-parent line had, whatever a pull request's branch went through.
const FILE = 'apps/app/kustomization.yaml';
const kustomization = (tag: string) => `images:\n  - name: app\n    newName: registry.example.com/team/app\n    newTag: "${tag}"\n`;

async function repoWithPullRequests() {
  const repo = join(tempDir(), 'deploy');
  await initRepo(repo);
  const shas: Record<string, string> = {};
  let day = 1;
  const on = (branch: string, from?: string) => git(repo, ['checkout', '-q', ...(from ? ['-b', branch, from] : [branch])]);
  await mkdir(join(repo, 'apps', 'app'), { recursive: true });
  const add = async (name: string, path: string, text: string) => {
    await writeFile(join(repo, path), text);
    await git(repo, ['add', '--', path]);
    await git(repo, ['commit', '-q', '-m', name, '--date', `2026-11-${String(day++).padStart(2, '0')}T10:00:00Z`]);
    shas[name] = (await git(repo, ['rev-parse', 'HEAD'])).trim();
  };
  const merge = async (name: string, branch: string) => {
    await git(repo, ['merge', '-q', '--no-ff', '-m', name, branch]);
    shas[name] = (await git(repo, ['rev-parse', 'HEAD'])).trim();
  };
  await add('init', FILE, kustomization('1.0'));
  await on('pr-1', 'main');
  await add('bump 1.1', FILE, kustomization('1.1'));
  await add('bump 1.2', FILE, kustomization('1.2'));
  await on('main');
  await add('other', 'README.md', 'config\n');
  await merge('merge #1', 'pr-1');
  await on('pr-2', 'main');
  await add('bump 1.3', FILE, kustomization('1.3'));
  await on('main');
  await merge('merge #2', 'pr-2');
  return { repo, shas };
}

test('merged pull requests: one bump is attributed to its commit, two bumps to the merge; a value only the branch had was never deployed', async () => {
  const { repo, shas } = await repoWithPullRequests();
  const blobs = new CatFileBatch(repo);
  try {
    const head = (await git(repo, ['rev-parse', 'main'])).trim();
    const walk = await walkDeployments({
      repo,
      head,
      file: FILE,
      currentImage: 'registry.example.com/team/app:1.3',
      depth: 10,
      revisionAt: async (sha, newer) => declaredRevision(await blobs.read(`${sha}:${FILE}`), { kustomizeImage: 'app' }, 'registry.example.com/team/app', newer),
    });
    assert.equal(
      walk.deployments.map((d) => [d.image.split(':')[1], d.commit.subject, d.landed?.subject]),
      [
        ['1.3', 'bump 1.3', 'merge #2'],
        ['1.2', 'merge #1', undefined],
        ['1.0', 'init', undefined],
      ],
    );
    assert.is(walk.deployments[0]!.landed!.sha, shas['merge #2']);
    assert.equal(walk.end, { kind: 'first-commit', commit: shas['init'], skipped: [] });
  } finally {
    blobs.close();
  }
});

test.run();
