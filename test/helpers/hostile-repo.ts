import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { copyScenario } from './scenario-copy.js';

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@a', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@a' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, env: ENV, encoding: 'utf8' }).trim();

/**
 * Config files a repository can hold against the tool, committed on the checked-out branch
 * of `repo`, by path. `outside` is a directory out of the repository that links point to.
 */
export function commitHostileFiles(repo: string, image: string, outside: string): void {
  const laughs = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)];
  const files: Record<string, string | Buffer> = {
    'hostile/alias-bomb.yaml': `images:\n  - name: ${image}\n    newTag: x\n${laughs.join('\n')}\n`,
    'hostile/deep.yaml': `images: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    'hostile/binary.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]),
    'hostile/latin1.yaml': Buffer.concat([Buffer.from(`images:\n  - name: ${image}\n    newTag: caf`), Buffer.from([0xe9, 0x0a])]),
    'hostile/broken.yaml': 'images: [\n',
    'hostile/empty.yaml': '',
    'hostile/twice.yaml': `images:\n  - name: ${image}\n    newTag: a\n  - name: ${image}\n    newTag: b\n`,
    'hostile/huge.yaml': `images:\n  - name: ${image}\n    newTag: ${'t'.repeat(5 * 1024 * 1024)}\n`,
    'hostile/dir.yaml/kustomization.yaml': `images:\n  - name: ${image}\n    newTag: x\n`,
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const links: Record<string, string> = {
    'hostile/link-out.yaml': relative(join(repo, 'hostile'), join(outside, 'kustomization.yaml')),
    'hostile/link-absolute.yaml': join(outside, 'kustomization.yaml'),
    'hostile/link-in.yaml': '../app/bases/kustomization.yaml',
    'hostile/etc': '/etc',
    'hostile/outside-dir': outside,
  };
  for (const [path, target] of Object.entries(links)) symlinkSync(target, join(repo, path));
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '--message', 'Hostile files');
}

/**
 * A copy of a scenario's directory for a command that may write, with each clone's origin
 * pointed at the copy's own remote. Returns the copy's path of any original path.
 */
export function copyWorld(root: string, clones: ReadonlyArray<{ clone: string; remote: string }>): (original: string) => string {
  return copyScenario(root, clones).path;
}
