import { Document, visit } from 'yaml';
import { parseAllDocumentsBounded } from '../yaml/bounded-parse.js';
import { nestedCollectionKey } from '../yaml/key-nesting.js';
import { unresolvedAlias } from '../yaml/unresolved-alias.js';
import { RecentByText } from './recent-by-text.js';
import { parseYamlSource, yamlParsed, type YamlSource } from './yaml-source.js';

// Lines as YAML breaks them: after \n or \r only. JavaScript's `^`, `$` (with the m flag)
// and `.` also take U+2028 and U+2029 for line ends, which YAML reads as text (a comment's,
// say), so none of them is used here.
/** A line that starts a document: `---` then a space, a tab or the line's end. */
const DOCUMENT_START = /(?<![^\n\r])---(?=[ \t\r\n]|$)/g;
/** What makes yaml's own split differ from one on `---` lines: directives, `...` ends, a byte order mark. */
const SPLIT_UNSURE = /(?<![^\n\r])(?:%|\.\.\.(?:[ \t\r\n]|$)|\uFEFF)/;
/** Text before the first `---` is a document only if something in it is neither blank nor a comment. */
const ONLY_COMMENTS = /^(?:[ \t]*(?:#[^\r\n]*)?\r?(?:\n|$))*$/;

/**
 * A multi-document file with only the documents that may hold what a reader looks for
 * parsed (`mayHold` sees each document's text and index); the others stand in as empty
 * documents at their index, so indices, offsets and lines are those of a whole parse. For
 * reading old revisions of large files (a file of two dozen HelmReleases, one of them the
 * app's): the history walk parses one document per revision instead of all. Where the split
 * on `---` lines might not be yaml's own, or a chosen document does not parse alone, the
 * whole text is parsed as before. With `readable`, every other document is checked too,
 * for a text that will be edited (see parseYamlSourceWhere): one `readable` does not vouch
 * for is parsed, and the whole text if it does not parse alone.
 */
export function parseYamlDocumentsWhere(text: string, mayHold: (documentText: string, index: number) => boolean, readable?: (documentText: string) => boolean): YamlSource {
  const chunks = documentChunks(text);
  if (!chunks) return parseYamlSource(text);
  const documents: Document.Parsed[] = [];
  for (const [index, { start, end }] of withPreamble(chunks)) {
    const chunk = text.slice(start, end);
    const wanted = mayHold(chunk, index);
    if (!wanted && (!readable || readable(chunk))) {
      documents.push(emptyDocument());
      continue;
    }
    const doc = placedDocument(chunk, start, end < text.length);
    // What a whole parse refuses (HF211) is left for it to refuse, with its message.
    if (!doc) return parseYamlSource(text);
    documents.push(wanted ? doc : emptyDocument());
  }
  return { text, documents, lineOf: lineOfOffset(text) };
}

/** Where each document of a multi-document text lies, as yaml would split it; undefined where a split on `---` lines might not be yaml's. */
export function documentChunks(text: string): Array<{ readonly start: number; readonly end: number }> | undefined {
  const starts = [...text.matchAll(DOCUMENT_START)].map((m) => m.index);
  if (starts.length === 0 || SPLIT_UNSURE.test(text)) return undefined;
  const chunks = starts.map((start, i) => ({ start, end: starts[i + 1] ?? text.length }));
  if (!ONLY_COMMENTS.test(text.slice(0, starts[0]))) chunks.unshift({ start: 0, end: starts[0]! });
  return chunks;
}

/**
 * The chunks, indexed, the first one from the text's start: comments before the first `---`
 * are no document of their own but the first one's (its commentBefore), so it is parsed
 * with them to read as in the whole text.
 */
function withPreamble(chunks: ReadonlyArray<{ readonly start: number; readonly end: number }>): Array<[number, { readonly start: number; readonly end: number }]> {
  return chunks.map((chunk, index) => [index, index === 0 ? { start: 0, end: chunk.end } : chunk]);
}

/** One document's text parsed on its own, or undefined where it is not exactly one document a whole parse would accept. Callers only read it. */
export function parseAlone(chunk: string): Document.Parsed | undefined {
  return placedDocument(chunk, 0, false);
}

/**
 * Parses of document texts, by text: a file's revisions share most of their documents byte
 * for byte (a bot bump changes one HelmRelease of two dozen), and a plan reads the same
 * revision from several places, so each distinct document is parsed once and copied where
 * it lies at another offset. The parse at offset 0 is the original; `null` where the text
 * is not one document a whole parse accepts. Sound because no caller changes a document
 * (edits splice the text and parse the result).
 */
const parsedDocuments = new RecentByText<{ readonly doc: Document.Parsed | null; readonly at: Map<number, Document.Parsed> }>(2 * 1024 * 1024);

/**
 * A document's text (a chunk of documentChunks) as yaml reads it where it lies in the whole
 * text: at `start`, and, when `followed`, before another document's `---`, which yaml must
 * see to end the document as in the whole text (a document ending in a key with no value
 * and a comment ends before the comment's line break when a `---` follows, after it at the
 * end of the text). Undefined where it is not exactly one document a whole parse would
 * accept.
 */
export function placedDocument(chunk: string, start: number, followed: boolean): Document.Parsed | undefined {
  const parsedText = followed ? `${chunk}---` : chunk;
  let known = parsedDocuments.get(parsedText);
  if (!known) parsedDocuments.set(parsedText, (known = { doc: parseOne(parsedText, followed ? 2 : 1), at: new Map() }));
  if (!known.doc || start === 0) return known.doc ?? undefined;
  let placed = known.at.get(start);
  if (!placed) known.at.set(start, (placed = shifted(known.doc.clone() as Document.Parsed, start)));
  return placed;
}

/** The first document of a text that must hold `count` (the one, and an empty one after it), none with an error. */
function parseOne(text: string, count: number): Document.Parsed | null {
  yamlParsed.documents++;
  yamlParsed.bytes += text.length;
  const parsed = parseAllDocumentsBounded(text, { logLevel: 'error' });
  const documents = Array.isArray(parsed) ? parsed : [];
  const [doc] = documents;
  // What the whole parse refuses, left for it to refuse with its message.
  return !doc || documents.length !== count || documents.some((d) => d.errors.length > 0) || nestedCollectionKey(doc) || (text.includes('*') && unresolvedAlias(doc)) ? null : doc;
}

/** A document that holds nothing (a bare `new Document(null)` holds a null scalar, which has no range). */
function emptyDocument(): Document.Parsed {
  const doc = new Document(null);
  doc.contents = null;
  return doc as Document.Parsed;
}

/** The document (a copy no one else holds) with every range moved by `by`: offsets into the whole text. */
function shifted(doc: Document.Parsed, by: number): Document.Parsed {
  const move = (range: [number, number, number]): [number, number, number] => [range[0] + by, range[1] + by, range[2] + by];
  doc.range = move(doc.range);
  visit(doc, {
    Node(_, node) {
      if (node.range) node.range = move(node.range);
    },
  });
  return doc;
}

/** 1-based line of an offset, as yaml's LineCounter gives it for the whole text. */
function lineOfOffset(text: string): (offset: number) => number {
  const lineStarts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineStarts.push(at + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
