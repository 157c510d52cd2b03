import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { formatPath, type PathSegment } from './data-path.js';
import { keyText } from './source-map.js';

/**
 * What yaml's DUPLICATE_KEY errors leave out, by the offset each is reported at: the key,
 * the mapping that holds it twice, and where it was first given. yaml compares keys the
 * same way (scalars by value). One walk of the tree, made only when there is such an error;
 * a stack, not recursion, since nesting can be as deep as the parser allows.
 */
export function duplicateKeyMessages(doc: Document, lineCounter: LineCounter): Map<number, string> {
  const out = new Map<number, string>();
  const stack: Array<{ node: unknown; path: PathSegment[] }> = [{ node: doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (isMap(node)) {
      const first = new Map<unknown, Node>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        const identity = isScalar(key) ? key.value : key;
        const earlier = first.get(identity);
        if (earlier === undefined) first.set(identity, key as Node);
        else if (key?.range) out.set(key.range[0], message(keyText(key) ?? String(identity), path, earlier, key, lineCounter));
        const text = keyText(key);
        if (text !== undefined) stack.push({ node: pair.value, path: [...path, text] });
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => stack.push({ node: item, path: [...path, i] }));
  }
  return out;
}

function message(key: string, path: readonly PathSegment[], earlier: Node, again: Node, lineCounter: LineCounter): string {
  const where = path.length === 0 ? 'the document' : formatPath(path);
  const first = lineCounter.linePos(earlier.range?.[0] ?? 0);
  const now = lineCounter.linePos(again.range?.[0] ?? 0);
  const at = first.line === now.line ? `line ${first.line}, column ${first.col}` : `line ${first.line}`;
  return `${where} has the key ${JSON.stringify(key)} twice: first on ${at}, again here`;
}
