import { posix } from 'node:path';
import type { KustomizationFile } from '../state/types.js';

/**
 * Which files kustomize combines with a config file: the kustomizations that build it
 * (the one it is, or those that list it), everything they include (resources, bases,
 * components, patches, recursively), and the overlays above them with their own files
 * and patches, but not the other overlays' branches. Pure.
 */
export function combinedFiles(file: string, kustomizations: readonly KustomizationFile[]): Set<string> {
  const { byDir, includers } = graphOf(kustomizations);
  const listing = new Set(includers.get(file));
  const own = kustomizations.filter((k) => k.file === file || listing.has(k));
  const out = new Set<string>([file]);
  const down = (k: KustomizationFile, seen: Set<string>) => {
    if (seen.has(k.file)) return;
    seen.add(k.file);
    out.add(k.file);
    for (const path of includes(k)) {
      const child = byDir.get(path);
      if (child) down(child, seen);
      else out.add(path);
    }
  };
  const seen = new Set<string>();
  for (const k of own) down(k, seen);
  for (const k of overlaysOf(own, kustomizations)) {
    out.add(k.file);
    for (const path of includes(k)) if (!byDir.has(path)) out.add(path);
  }
  return out;
}

/** The kustomizations above these, nearest first: those whose resources name one of their directories. */
export function overlaysOf(start: readonly KustomizationFile[], kustomizations: readonly KustomizationFile[]): KustomizationFile[] {
  const { includers } = graphOf(kustomizations);
  const out: KustomizationFile[] = [];
  let level = start.map((k) => posix.dirname(k.file));
  const seen = new Set(start.map((k) => k.file));
  while (level.length > 0) {
    const above = new Set(level.flatMap((dir) => includers.get(dir) ?? []));
    const next = kustomizations.filter((k) => !seen.has(k.file) && above.has(k));
    for (const k of next) seen.add(k.file);
    out.push(...next);
    level = next.map((k) => posix.dirname(k.file));
  }
  return out;
}

/** The kustomizations that build a file, innermost first: those that list it, then the overlays above them. */
export function buildChain(file: string, kustomizations: readonly KustomizationFile[]): KustomizationFile[] {
  const own = graphOf(kustomizations).includers.get(file) ?? [];
  return [...own, ...overlaysOf(own, kustomizations)];
}

/** The kustomizations that build a file and that no other builds: the directories a Flux Kustomization applies. */
export function outermost(file: string, kustomizations: readonly KustomizationFile[]): KustomizationFile[] {
  const { includers } = graphOf(kustomizations);
  return buildChain(file, kustomizations).filter((k) => !includers.has(posix.dirname(k.file)));
}

/** The namespace kustomize gives the objects of a file that does not set one: the outermost kustomization's that builds it. */
export function kustomizedNamespace(file: string, kustomizations: readonly KustomizationFile[]): string | undefined {
  return buildChain(file, kustomizations).filter((k) => k.namespace !== undefined).at(-1)?.namespace;
}

/**
 * The paths a kustomization includes, relative to the repository root. Kept per
 * kustomization: every question above asks it of every kustomization of the repository,
 * and a fleet's status asks those questions for each of hundreds of environments of one
 * repository (600 kustomizations, 400 environments: 1.5 s of path joins without it).
 */
export function includes(k: KustomizationFile): ReadonlySet<string> {
  let paths = included.get(k);
  if (!paths) included.set(k, (paths = new Set([...k.resources, ...k.patches].filter((p) => !/^[a-z]+:\/\//.test(p)).map((p) => fromRoot(k, p)))));
  return paths;
}

const included = new WeakMap<KustomizationFile, ReadonlySet<string>>();

interface Graph {
  /** Each kustomization by its directory. */
  readonly byDir: ReadonlyMap<string, KustomizationFile>;
  /** For each path, the kustomizations that include it, in the repository's order. */
  readonly includers: ReadonlyMap<string, readonly KustomizationFile[]>;
}

/**
 * The repository's kustomizations indexed once, for every question asked of them: a fleet's
 * status asks for each of hundreds of environments of one repository, and a look through
 * every kustomization each time made that quadratic.
 */
function graphOf(kustomizations: readonly KustomizationFile[]): Graph {
  let graph = graphs.get(kustomizations);
  if (!graph) {
    const includers = new Map<string, KustomizationFile[]>();
    for (const k of kustomizations)
      for (const path of includes(k)) {
        const list = includers.get(path);
        if (list) list.push(k);
        else includers.set(path, [k]);
      }
    graphs.set(kustomizations, (graph = { byDir: new Map(kustomizations.map((k) => [posix.dirname(k.file), k])), includers }));
  }
  return graph;
}

const graphs = new WeakMap<readonly KustomizationFile[], Graph>();

/** The patch files a kustomization applies, relative to the repository root. */
export function patchesOf(k: KustomizationFile): string[] {
  return k.patches.map((p) => fromRoot(k, p));
}

function fromRoot(k: KustomizationFile, path: string): string {
  return posix.normalize(posix.join(posix.dirname(k.file), path)).replace(/\/$/, '');
}
