import type TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

/**
 * Loads ts-morph, which bundles the TypeScript compiler: importing it costs about half a
 * second, so `hotfix --version` and YAML-only plans never do. Commands call this once,
 * before `findImage` or a patch reaches a TypeScript config file; the finders and the
 * patcher then use the module synchronously, keeping the patch engine's synchronous API.
 */
export async function loadTypeScriptSupport(): Promise<void> {
  // ts-morph is CommonJS: its `default` is its exports, whether Node or a bundler imports it.
  loaded ??= (await import('ts-morph')).default;
}

/** ts-morph, once loaded. Reaching TypeScript config without loading it first is a bug in the caller. */
export function tsMorph(): typeof TsMorph {
  if (!loaded) throw new Error('TypeScript config was reached before loadTypeScriptSupport() loaded ts-morph');
  return loaded;
}
