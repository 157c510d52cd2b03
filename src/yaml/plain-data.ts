import type { Document, Node } from 'yaml';
import { NESTED_KEY_REASON, nestedCollectionKey } from './key-nesting.js';

/** Aliases a document may expand before it counts as an alias bomb (yaml's own default). */
export const MAX_ALIAS_COUNT = 100;

/**
 * A document's value, or why it is not read: `broken` for a plain mistake (an alias whose
 * anchor is nowhere before it), `too costly` for what would take unbounded time or memory
 * (an alias bomb, nesting too deep, keys inside keys), with the node to point at when known.
 */
export type PlainData = { readonly value: unknown } | { readonly refused: 'broken' | 'too costly'; readonly why: string; readonly node?: Node };

/**
 * The one way a parsed document (without errors) becomes plain data: yaml's toJS, with its
 * alias cap, after the checks toJS itself lacks. Never throws.
 */
export function plainData(doc: Document): PlainData {
  const nested = nestedCollectionKey(doc);
  if (nested) return { refused: 'too costly', why: NESTED_KEY_REASON, node: nested };
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (error) {
    // toJS throws a ReferenceError for an alias bomb, and for an alias whose anchor is
    // nowhere before it; a RangeError when nesting is too deep.
    const message = (error as Error).message;
    if (error instanceof ReferenceError && message.startsWith('Unresolved alias')) return { refused: 'broken', why: message };
    const why = error instanceof ReferenceError ? `its aliases expand to more than ${MAX_ALIAS_COUNT} values (an alias bomb?; an alias inside an anchored value counts each time that value is used)` : 'nesting too deep';
    return { refused: 'too costly', why };
  }
}

/** The value, or `fallback` when the document is not read. */
export const valueOr = (data: PlainData, fallback: unknown): unknown => ('value' in data ? data.value : fallback);
