import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

const found = new Map<string, string>();

/**
 * The program `name` as the PATH finds it, by its absolute path, found once per PATH.
 *
 * Spawning a bare name makes the child try every PATH entry with an exec of its own; on a
 * long PATH (version managers' shims first) that was 8 failed execs per git, a third of
 * each spawn's cost, and hotfix starts dozens of gits per command. Only absolute entries
 * count: a relative one (`.` or an empty entry) would be read from the directory git runs
 * in, which is the repository, whose files the tool does not trust. Where no entry holds
 * it, the bare name is returned, so the spawn fails as before (ENOENT, HF225). A name with a
 * slash is a path already, not looked up, as execvp does.
 */
export function programOnPath(name: string): string {
  if (name.includes('/')) return name;
  const path = process.env.PATH ?? '';
  const key = `${name}\0${path}`;
  const known = found.get(key);
  if (known !== undefined) return known;
  const program = path.split(delimiter).filter((dir) => isAbsolute(dir)).map((dir) => join(dir, name)).find(isExecutableFile) ?? name;
  found.set(key, program);
  return program;
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
