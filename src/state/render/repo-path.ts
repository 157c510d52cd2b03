import { posix } from 'node:path';

/**
 * A repository-relative path in normal form (`''` for the root), or undefined when it is
 * absolute or climbs out of the repository: such a path must never reach the file system
 * of the exported tree, whether it comes from the plan or from a kustomization.
 */
export function repoPath(path: string): string | undefined {
  if (path.includes('\0') || posix.isAbsolute(path) || path.startsWith('\\')) return undefined;
  const normal = posix.normalize(path).replace(/\/+$/, '');
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal === '.' ? '' : normal;
}
