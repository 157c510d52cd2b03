import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A hash of everything under `dir`, `.git` included and nothing left out: each entry's
 * path, type and permission bits, a file's bytes, a symlink's target. Two equal snapshots
 * mean the tree is byte-identical (times are not compared: reading may update them).
 */
export function snapshot(dir: string): string {
  const hash = createHash('sha256');
  const visit = (relative: string) => {
    const full = join(dir, relative);
    const info = lstatSync(full);
    const mode = (info.mode & 0o7777).toString(8);
    if (info.isSymbolicLink()) hash.update(`L ${relative} ${mode} -> ${readlinkSync(full)}\0`);
    else if (info.isDirectory()) {
      hash.update(`D ${relative} ${mode}\0`);
      for (const name of readdirSync(full).sort()) visit(relative === '' ? name : `${relative}/${name}`);
    } else if (info.isFile()) hash.update(`F ${relative} ${mode} ${info.size}\0`).update(readFileSync(full)).update('\0');
    else hash.update(`O ${relative} ${mode}\0`);
  };
  visit('');
  return hash.digest('hex');
}

/** The snapshot of each directory, by directory. */
export function snapshots(dirs: readonly string[]): Map<string, string> {
  return new Map(dirs.map((dir) => [dir, snapshot(dir)]));
}
