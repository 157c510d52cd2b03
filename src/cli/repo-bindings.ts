import { resolve } from 'node:path';
import { UsageError } from 'clipanion';

/**
 * `--repo NAME=PATH`, repeatable: binds the repository names a policy uses to checkouts,
 * so one policy serves every machine.
 */
export function parseRepoBindings(values: readonly string[], cwd: string): Record<string, string> {
  // No prototype: a repository may be called "constructor".
  const repos: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const value of values) {
    const at = value.indexOf('=');
    const name = value.slice(0, at);
    const path = value.slice(at + 1);
    if (at < 1 || !path) throw new UsageError(`--repo takes NAME=PATH, not "${value}"`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) throw new UsageError(`--repo: "${name}" is not a repository name (letters, digits, ".", "_", "-")`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || /^[^/]+@[^/]+:/.test(path)) throw new UsageError(`--repo ${name}: remote URLs are not supported yet; clone it and bind the path`);
    if (repos[name] !== undefined) throw new UsageError(`--repo ${name} is given twice`);
    repos[name] = resolve(cwd, path);
  }
  return repos;
}
