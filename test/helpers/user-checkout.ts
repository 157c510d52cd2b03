import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { snapshot } from './hostile-snapshot.js';

/**
 * What a user of a clone sees of it: every file of the work tree and the index, byte for
 * byte. Refs and objects under .git are left out: apply may write those.
 */
export function checkoutSnapshot(repo: string): Record<string, string> {
  const entries = readdirSync(repo).filter((name) => name !== '.git').sort();
  const index = join(repo, '.git', 'index');
  return Object.fromEntries([...entries.map((name) => [name, snapshot(join(repo, name))]), ['.git/index', existsSync(index) ? snapshot(index) : 'none']]);
}
