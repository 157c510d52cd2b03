import safeRegex from 'safe-regex2';
import type { KustomizationFile, KustomizePatch } from '../state/types.js';
import { buildChain } from './kustomize-graph.js';

/** A patch that sets an ImagePolicy's tag selection, and the kustomization that applies it. */
export interface SelectionPatch {
  readonly kustomization: string;
  readonly patch: KustomizePatch;
}

/** The ImagePolicy: `namespaced` false when its file sets no namespace (a kustomization gives it one). */
export interface PolicyObject {
  readonly file: string;
  readonly name: string;
  readonly namespace?: string;
  readonly namespaced?: boolean;
}

/**
 * The patches that set this ImagePolicy's `filterTags` or `policy`, in the order kustomize
 * applies them (the innermost kustomization first, each in its own order): the last one
 * that sets a field is the one Flux sees. Pure.
 */
export function selectionPatches(policy: PolicyObject, kustomizations: readonly KustomizationFile[]): SelectionPatch[] {
  return buildChain(policy.file, kustomizations).flatMap((k) =>
    k.targets
      .filter((t) => t.setsSelection && selects(t.kind, 'ImagePolicy') && selects(t.name, policy.name) && (policy.namespaced === false || selects(t.namespace, policy.namespace)))
      .map((patch) => ({ kustomization: k.file, patch })),
  );
}

/**
 * Whether a patch target's field selects a value, as kustomize matches it (api/types
 * selector.go): a regular expression anchored as `^(?:…)$`, an empty or absent one
 * selecting anything. kustomize compiles it as Go's RE2; one JavaScript reads otherwise
 * or cannot read, or one that could backtrack for ever on the name, is taken to select:
 * a patch taken for one that does not only makes the plan render the policy to see what
 * wins (render-image-policies.ts), a patch missed would make it pin the wrong place.
 */
export function selects(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined || pattern === '' || pattern === value) return true;
  if (value === undefined) return true;
  const source = `^(?:${pattern})$`;
  if (!safeRegex(source)) return true;
  try {
    return new RegExp(source).test(value);
  } catch {
    return true;
  }
}
