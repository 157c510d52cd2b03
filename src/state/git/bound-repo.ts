import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { refuseOtherObjectFormat } from './object-format.js';
import { assertRepository } from './read.js';

/**
 * The path bound to a repository name the policy uses, checked to be a git repository
 * whose objects hotfix can read.
 * Only the bindings' own names count: a policy naming `constructor` must not find
 * `Object.prototype.constructor` in a plain object.
 */
export async function boundRepo(repos: Readonly<Record<string, string>>, name: string): Promise<string> {
  const path = Object.hasOwn(repos, name) ? repos[name] : undefined;
  if (path === undefined) throw new HotfixError([diagnostic('HF200', `the policy names repository "${name}"; bind it with --repo ${name}=PATH`)]);
  await assertRepository(path, name);
  await refuseOtherObjectFormat(path, name);
  return path;
}
