import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { assertRepository, checkedObjectFormat } from './read.js';
import { git } from './run-git.js';

/**
 * Refuses a repository whose objects are not named by SHA-1 (`git init --object-format=sha256`).
 * hotfix reads objects through object views that declare SHA-1 (object-view.ts), and plans
 * name commits and blobs by 40-hex ids: such a repository would fail deep inside a plan with
 * a git error about an object name, or an apply would refuse every precondition as moved.
 * A path that is no repository says nothing here: the bind checks report it in their words.
 */
export async function refuseOtherObjectFormat(path: string, name: string): Promise<void> {
  // Asked with the repository check (one git for every fact of the repository, remembered
  // for the commands after it); one it refuses is reported where that check runs.
  if (checkedObjectFormat(path) === undefined) await assertRepository(path, name).catch(() => undefined);
  // Not remembered (no repository there, or a path with a line break): asked on its own.
  const known = checkedObjectFormat(path);
  const result = known === undefined ? await git(path, ['rev-parse', '--show-object-format'], { okCodes: [128] }).catch(() => undefined) : undefined;
  const format = known ?? (result?.code === 0 ? result.stdout.trim() : 'sha1');
  if (format === 'sha1') return;
  throw new HotfixError([diagnostic('HF227', `repository "${name}" at ${path} uses the ${format} object format; hotfix reads SHA-1 repositories only: bind a SHA-1 mirror of it (git init --object-format=sha1, then git fast-export --all from this repository piped into git fast-import there)`)]);
}

/** The same for every repository a command is given, by name. */
export async function refuseOtherObjectFormats(repos: Readonly<Record<string, string>>): Promise<void> {
  for (const name of Object.keys(repos)) await refuseOtherObjectFormat(repos[name]!, name);
}
