import { isAlias, isMap, isPair, isScalar, isSeq, stringify, type Document, type LineCounter, type Node } from 'yaml';
import type { SourceRange } from '../diagnostics/diagnostic.js';
import type { Locate } from './data-path.js';

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

export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  // A collection as a key: toJS names it by its flow YAML, `[ a, b ]`, and so does this.
  if (isMap(key) || isSeq(key)) {
    const flow = key.clone();
    flow.flow = true;
    return stringify(flow).trimEnd();
  }
  return typeof key === 'string' ? key : undefined;
}
