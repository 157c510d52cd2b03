import type { KustomizationFile, KustomizePatch } from '../state/types.js';
import { buildChain } from './kustomize-graph.js';

/** A patch that sets an ImagePolicy's tag selection, and the kustomization that applies it. */
export interface SelectionPatch {
  readonly kustomization: string;
  readonly patch: KustomizePatch;
}

/**
 * The patches that set this ImagePolicy's `filterTags` or `policy`, in the order kustomize
 * applies them (the innermost kustomization first, each in its own order): the last one
 * that sets a field is the one Flux sees. Pure.
 */
export function selectionPatches(policy: { readonly file: string; readonly name: string }, kustomizations: readonly KustomizationFile[]): SelectionPatch[] {
  return buildChain(policy.file, kustomizations).flatMap((k) =>
    k.targets
      .filter((t) => t.setsSelection && (t.kind === undefined || t.kind === 'ImagePolicy') && (t.name === undefined || t.name === policy.name))
      .map((patch) => ({ kustomization: k.file, patch })),
  );
}
