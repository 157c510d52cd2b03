import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, initRepo } from '../../fixtures/git.js';
import { tempDir } from './temp-dir.js';

/**
 * A config repository `deploy` holding `files` in one commit, then given the `git config`
 * settings in `config` (a user's config that must not change what hotfix reads).
 */
export async function oneCommitRepo(files: Record<string, string>, config: readonly string[][] = []): Promise<{ repo: string; head: string }> {
  const repo = join(tempDir(), 'deploy');
  await initRepo(repo);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'flux']);
  for (const setting of config) await git(repo, ['config', ...setting]);
  return { repo, head: (await git(repo, ['rev-parse', 'HEAD'])).trim() };
}
