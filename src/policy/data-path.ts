import type { SourceRange } from '../diagnostics/diagnostic.js';

/** A path into parsed data: `['spec', 'environments', 0, 'name']`. */
export type PathSegment = string | number;

/** Finds the source range of the node at a data path; `key` asks for the mapping key itself. */
export type Locate = (path: readonly PathSegment[], part?: 'key' | 'value') => SourceRange | undefined;

/** `['spec', 'environments', 0, 'name']` → `spec.environments[0].name`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
