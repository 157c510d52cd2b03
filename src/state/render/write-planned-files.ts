import { lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';

/**
 * Writes the planned files over the exported tree at `root`. `paths` are repository paths
 * in normal form. A symlink committed in the tree must not carry a write outside it, so
 * no directory on the way may be one, and a file that is one is replaced, not followed.
 */
export async function writePlannedFiles(root: string, files: readonly { readonly path: string; readonly text: string }[]): Promise<void> {
  for (const file of files) {
    const parts = file.path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      dir = join(dir, part);
      const stat = await lstat(dir).catch(() => undefined);
      if (stat?.isSymbolicLink() || (stat && !stat.isDirectory()))
        throw new HotfixError([diagnostic('HF210', `cannot render the planned ${file.path}: ${dir.slice(root.length + 1)} is not a directory in the tree`)]);
      if (!stat) await mkdir(dir);
    }
    const target = join(root, file.path);
    await rm(target, { force: true });
    await writeFile(target, file.text);
  }
}
