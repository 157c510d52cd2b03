/**
 * Telling policy documents from the other YAML that shares a tree (manifests,
 * kustomizations, CI files), which `hotfix lint` ignores.
 */
export const API_GROUP = 'hotfix.dev/';
export const KIND = 'HotfixPolicy';

/** A parsed document claims to be a policy by its kind or its API group. */
export function isPolicyDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as Record<string, unknown>;
  return kind === KIND || (typeof apiVersion === 'string' && apiVersion.startsWith(API_GROUP));
}

/** For text that could not be parsed: does it look like it meant to be a policy? */
export function looksLikePolicy(text: string): boolean {
  return text.includes(KIND) || text.includes(API_GROUP);
}
