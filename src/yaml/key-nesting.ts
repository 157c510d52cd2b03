import { isCollection, isPair, type Document, type Node } from 'yaml';

/**
 * A collection used as a mapping key inside another collection key (`? ? ? a`), if the
 * document has one. `yaml`'s toJS turns a collection key into its YAML text, and does it
 * again at every level a key nests inside a key, so the cost grows much faster than the text:
 * 200 KB of `? ` took three minutes. No policy, Kubernetes object or Flux object has such
 * keys (a single collection key costs no more than its size, and stays allowed), so every
 * caller refuses a document that has one before calling toJS. Iterative: nesting is bounded
 * only by the file's size.
 */
export function nestedCollectionKey(doc: Document): Node | undefined {
  // Depth first in document order (the last pushed is looked at first); `keys` counts the
  // keys a node is in, itself included.
  const stack: { node: unknown; keys: number }[] = [{ node: doc.contents, keys: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, keys } = next;
    if (!isCollection(node)) continue;
    if (keys > 1) return node;
    for (const item of [...node.items].reverse()) {
      if (isPair(item)) stack.push({ node: item.value, keys }, { node: item.key, keys: keys + 1 });
      else stack.push({ node: item, keys });
    }
  }
  return undefined;
}

/** How a refusal says it, after "document N was not read: " or similar. */
export const NESTED_KEY_REASON = 'a mapping key holds another mapping key inside it (`? ? …`), which hotfix does not read';
