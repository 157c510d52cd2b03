import { readdir, realpath, unlink } from 'node:fs/promises';
import { join, sep } from 'node:path';

/**
 * Removes from an exported tree every committed symbolic link that resolves outside it:
 * kubectl kustomize follows links, and through one the render (and the check of it) would
 * read files that are not in the repository. A render that needs such a link then fails
 * as the file's absence makes it fail; one that does not is unaffected.
 */
export async function removeEscapingLinks(root: string): Promise<void> {
  const visit = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isSymbolicLink()) {
        const target = await realpath(path).catch(() => undefined);
        if (target !== undefined && target !== root && !target.startsWith(root + sep)) await unlink(path);
      }
    }
  };
  await visit(root);
}
