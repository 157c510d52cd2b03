import { isAlias, visit, type Alias, type Document } from 'yaml';

/**
 * An alias that names no anchor before it in its document (`team: *nope`), if the document
 * has one. yaml parses such a document without an error and fails only when the value is
 * read (toJS), so every caller that reads values refuses it first. One pass in document
 * order, the order in which yaml's own resolution looks for the anchor.
 */
export function unresolvedAlias(doc: Document): Alias | undefined {
  const anchors = new Set<string>();
  let found: Alias | undefined;
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        if (anchors.has(node.source)) return undefined;
        found = node;
        return visit.BREAK;
      }
      if (node.anchor !== undefined) anchors.add(node.anchor);
      return undefined;
    },
  });
  return found;
}
