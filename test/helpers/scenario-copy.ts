import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tempDir } from './temp-dir.js';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();

/**
 * A copy of a scenario's directory, with each clone's origin pointed at the copy's own
 * remote, so one saved plan can be applied to many identical worlds.
 */
export function copyScenario(root: string, clones: ReadonlyArray<{ clone: string; remote: string }>): { root: string; path: (original: string) => string } {
  const copy = join(tempDir('hotfix-copy-'), 'world');
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  const path = (original: string) => join(copy, relative(root, original));
  for (const { clone, remote } of clones) git(path(clone), 'remote', 'set-url', 'origin', path(remote));
  return { root: copy, path };
}

/** Every ref of every repository, by repository: what "the same final state" means. */
export function allRefs(repos: readonly string[]): string {
  return repos.map((repo) => git(repo, 'for-each-ref', '--format=%(refname) %(objectname)')).join('\n---\n');
}
