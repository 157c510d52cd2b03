import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { parseAllDocumentsBounded } from '../yaml/bounded-parse.js';
import { NESTED_KEY_REASON, nestedCollectionKey } from '../yaml/key-nesting.js';
import { unresolvedAlias } from '../yaml/unresolved-alias.js';
import { arrayIndex } from './json-pointer.js';
import { RecentByText } from './recent-by-text.js';

/** A config file's text with its YAML documents (JSON is YAML too), for finding and editing nodes. */
export interface YamlSource {
  readonly text: string;
  readonly documents: readonly Document.Parsed[];
  /** 1-based line of a character offset. */
  readonly lineOf: (offset: number) => number;
}

/**
 * The last texts parsed, by content. A plan reads the same revision of a config file from
 * several places (the gather, the history walk, the plan's image change, the automation
 * guard, the patch); a cold parse of a 28 KB file costs hundreds of milliseconds, so each
 * distinct text is parsed once. Sound because no caller changes the documents (edits
 * splice the text and parse the result). Bounded in bytes, so a long walk of a large file
 * keeps few trees alive.
 */
const recent = new RecentByText<YamlSource>(2 * 1024 * 1024);

/**
 * What yaml has parsed in this process: whole texts, documents parsed alone, and their
 * bytes. For the tests that bound a command's work by counting it.
 */
export const yamlParsed = { texts: 0, documents: 0, bytes: 0 };

/** Parses every document; a file with YAML errors cannot be edited safely, so it is refused (HF211). */
export function parseYamlSource(text: string): YamlSource {
  const known = recent.get(text);
  if (known) return known;
  const source = parseFresh(text);
  recent.set(text, source);
  return source;
}

function parseFresh(text: string): YamlSource {
  yamlParsed.texts++;
  yamlParsed.bytes += text.length;
  const lineCounter = new LineCounter();
  const parsed = parseAllDocumentsBounded(text, { lineCounter, logLevel: 'error' });
  // An input with no documents gives an EmptyStream, not an array.
  const documents = Array.isArray(parsed) ? parsed : [];
  const broken = documents.flatMap((doc, index) => doc.errors.map((error) => ({ index, error })));
  const first = broken[0];
  if (first) {
    const line = lineCounter.linePos(first.error.pos[0]).line;
    const message = first.error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new HotfixError([diagnostic('HF211', `the config file is not valid YAML (document ${first.index}, line ${line}): ${message}`)]);
  }
  documents.forEach((doc, index) => {
    const key = nestedCollectionKey(doc);
    if (key) throw new HotfixError([diagnostic('HF211', `the config file cannot be read safely (document ${index}, line ${lineCounter.linePos(key.range?.[0] ?? 0).line}): ${NESTED_KEY_REASON}`)]);
    const alias = text.includes('*') ? unresolvedAlias(doc) : undefined;
    if (alias) throw new HotfixError([diagnostic('HF211', `the config file is not valid YAML (document ${index}, line ${lineCounter.linePos(alias.range?.[0] ?? 0).line}): alias *${alias.source} names no anchor before it`)]);
  });
  return { text, documents, lineOf: (offset) => lineCounter.linePos(offset).line };
}

/** A node reached by a path, with the context its new text must suit. */
export interface NodeAt {
  readonly node: Node;
  /** Whether the node sits inside a flow collection, where `,[]{}` end a plain scalar. */
  readonly inFlow: boolean;
}

/**
 * Follows path tokens from a document's root; undefined when any step is missing. Aliases
 * are not followed: an edit there would change every place the anchor is used.
 */
export function nodeAt(doc: Document.Parsed, tokens: readonly string[]): NodeAt | undefined {
  if (!doc.contents) return undefined;
  let at: NodeAt = { node: doc.contents, inFlow: false };
  for (const token of tokens) {
    const { node } = at;
    const inFlow = at.inFlow || ((isMap(node) || isSeq(node)) && node.flow === true);
    if (isMap(node)) {
      const pair = pairOf(node, token);
      if (!pair?.value) return undefined;
      at = { node: pair.value, inFlow };
    } else if (isSeq(node)) {
      const index = arrayIndex(token);
      const item = index === undefined ? undefined : node.items[index];
      if (!item) return undefined;
      at = { node: item as Node, inFlow };
    } else {
      return undefined;
    }
  }
  return at;
}

/** The pair whose scalar key reads as the token. */
export function pairOf(map: YAMLMap, token: string): Pair<Node, Node | null> | undefined {
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === token);
  return pair as Pair<Node, Node | null> | undefined;
}
