import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceRange } from '../diagnostics/diagnostic.js';

export type PathSegment = string | number;

/** Finds the source range of the node at a data path; `key` asks for the mapping key itself. */
export type Locate = (path: readonly PathSegment[], part?: 'key' | 'value') => SourceRange | undefined;

/**
 * Walks the YAML node tree along a data path. Where the path goes further than the
 * document (a missing property), the deepest node that exists is returned, so a finding
 * always points somewhere a reader can see.
 */
export function makeLocate(doc: Document, lineCounter: LineCounter): Locate {
  const toRange = (node: Node | null | undefined): SourceRange | undefined => {
    const range = node?.range;
    if (!range) return undefined;
    const start = lineCounter.linePos(range[0]);
    const end = lineCounter.linePos(Math.max(range[0], range[1]));
    return { start: { line: start.line, col: start.col }, end: { line: end.line, col: end.col } };
  };

  return (path, part = 'value') => {
    let node: unknown = doc.contents;
    let keyNode: unknown;
    let complete = true;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(doc);
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
        if (!pair) {
          complete = false;
          break;
        }
        keyNode = pair.key;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number' && node.items[segment] !== undefined) {
        keyNode = undefined;
        node = node.items[segment];
      } else {
        complete = false;
        break;
      }
    }
    // A missing property is reported at the key of its closest existing ancestor.
    const chosen = (part === 'key' || !complete) && keyNode ? keyNode : node;
    return toRange(chosen as Node) ?? toRange(doc.contents as Node);
  };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/** `['spec', 'environments', 0, 'name']` → `spec.environments[0].name`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
