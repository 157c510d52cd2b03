import { copyScenario } from './scenario-copy.js';

/**
 * The same scenario in a directory of its own: every path it names under its root moved to
 * the copy, each clone's origin pointed at the copy's remote. A world built once is handed
 * so to each test that may write to it; copying the repositories costs a fraction of
 * building their histories again.
 */
export function copiedScenario<S extends { readonly root: string }>(s: S, clones: ReadonlyArray<readonly [clone: keyof S, remote: keyof S]>): S {
  const { path, root } = copyScenario(
    s.root,
    clones.map(([clone, remote]) => ({ clone: s[clone] as string, remote: s[remote] as string })),
  );
  const moved = Object.entries(s).map(([key, value]) => [key, typeof value === 'string' && value.startsWith(`${s.root}/`) ? path(value) : value]);
  return { ...(Object.fromEntries(moved) as S), root };
}
