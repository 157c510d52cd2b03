import { posix } from 'node:path';
import { parseAllDocumentsBounded } from '../../yaml/bounded-parse.js';
import { plainData, valueOr } from '../../yaml/plain-data.js';
import { repoPath } from './repo-path.js';

/** A file of the rendered tree by repository-relative path; undefined when there is no such file. */
export type ReadFile = (path: string) => string | undefined;

interface Kustomization {
  readonly dir: string;
  readonly file: string;
  readonly data: Record<string, unknown>;
}

/** The names kustomize looks for, in its order. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The file that decides which image runs, in the render of `renderDir`: the first, in the
 * order in which kustomize lets one file override another, that sets an image called one
 * of `names`. Kustomize runs a kustomization's own transformers after those of its
 * components (the last listed last), which run after everything its resources and bases
 * brought in; and within one kustomization `images:` after its patches, and those after its
 * manifests. So the walk goes depth first from renderDir, and asks of each kustomization:
 * its `images:` (an entry whose name or newName is one of `names`), then its patch files,
 * inline patches and manifests (one that holds the image literally), then its components
 * from last to first, then its resources and bases. Returns a repository-relative path.
 */
export function findImageWinner(read: ReadFile, renderDir: string, names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  const visit = (dir: string): string | undefined => {
    // A cycle in resources is kustomize's error to report; here it must only not loop.
    if (seen.has(dir)) return undefined;
    seen.add(dir);
    const k = kustomizationIn(read, dir);
    if (!k) return undefined;
    if (setsImage(k.data, names)) return k.file;
    const literal = ownFiles(read, k).find((file) => holdsImage(read(file) ?? '', names));
    if (literal) return literal;
    for (const child of [...entries(k, 'components').reverse(), ...entries(k, 'resources'), ...entries(k, 'bases')]) {
      const winner = visit(child);
      if (winner) return winner;
    }
    return undefined;
  };
  return visit(renderDir);
}

function kustomizationIn(read: ReadFile, dir: string): Kustomization | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = posix.join(dir, name);
    const text = read(file);
    if (text === undefined) continue;
    const data = parseQuietly(text);
    return typeof data === 'object' && data !== null ? { dir, file, data: data as Record<string, unknown> } : undefined;
  }
  return undefined;
}

/** kubectl rendered this tree already, so a kustomization that does not parse is not one it used. */
function parseQuietly(text: string): unknown {
  const docs = parseAllDocumentsBounded(text, { logLevel: 'error' });
  const [doc] = docs;
  return docs.length !== 1 || !doc || doc.errors.length > 0 ? undefined : valueOr(plainData(doc), undefined);
}

function setsImage(data: Record<string, unknown>, names: readonly string[]): boolean {
  const images = Array.isArray(data.images) ? (data.images as unknown[]) : [];
  return images.some((entry) => {
    const { name, newName } = (entry ?? {}) as { name?: unknown; newName?: unknown };
    return names.some((n) => n === name || n === newName);
  });
}

/** Files this kustomization itself contributes, the one applied last first. */
function ownFiles(read: ReadFile, k: Kustomization): string[] {
  const patchFiles = [...entries(k, 'patchesStrategicMerge'), ...pathsOf(k, 'patches'), ...pathsOf(k, 'patchesJson6902')];
  const manifests = entries(k, 'resources').filter((path) => !kustomizationIn(read, path));
  return [...patchFiles, k.file, ...manifests];
}

/** The image, as an image reference of its own: not the tail of a longer name (`other/x` in `my/other/x`). */
function holdsImage(text: string, names: readonly string[]): boolean {
  return names.some((name) => new RegExp(`(?<![\\w./-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w./-])`).test(text));
}

/** Local paths listed under `key`, resolved against the kustomization's directory. */
function entries(k: Kustomization, key: string): string[] {
  const list = Array.isArray(k.data[key]) ? (k.data[key] as unknown[]) : [];
  return resolve(k, list.filter((e): e is string => typeof e === 'string'));
}

function pathsOf(k: Kustomization, key: string): string[] {
  const list = Array.isArray(k.data[key]) ? (k.data[key] as unknown[]) : [];
  return resolve(k, list.map((e) => (e as { path?: unknown } | null)?.path).filter((p): p is string => typeof p === 'string'));
}

/** A remote base (`https://…`, `git::…`, `git@host:…`, `…?ref=v1`) is not in this repository. */
const REMOTE = /^([a-z][\w+.-]*:\/\/|[\w+.-]*::|git@)|\?ref=/i;

function resolve(k: Kustomization, list: readonly string[]): string[] {
  return list.flatMap((entry) => {
    const path = REMOTE.test(entry) ? undefined : repoPath(posix.join(k.dir, entry));
    return path === undefined ? [] : [path];
  });
}
