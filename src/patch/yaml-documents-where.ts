import { Document, parseAllDocuments, visit } from 'yaml';
import { nestedCollectionKey } from '../yaml/key-nesting.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

/** A line that starts a document: `---` then a space, a tab or the line's end. */
const DOCUMENT_START = /^---(?=[ \t\r\n]|$)/gm;
/** What makes yaml's own split differ from one on `---` lines: directives, `...` ends, a byte order mark. */
const SPLIT_UNSURE = /^(?:%|\.\.\.(?:[ \t\r\n]|$))|^\uFEFF/m;
/** Text before the first `---` is a document only if something in it is neither blank nor a comment. */
const ONLY_COMMENTS = /^(?:[ \t]*(?:#.*)?\r?(?:\n|$))*$/;

/**
 * A multi-document file with only the documents that may hold what a reader looks for
 * parsed (`mayHold` sees each document's text); the others stand in as empty documents at
 * their index, so indices, offsets and lines are those of a whole parse. For reading old
 * revisions of large files (a file of two dozen HelmReleases, one of them the app's): the
 * history walk parses one document per revision instead of all. Never for a text that will
 * be edited, which must parse whole (a YAML error anywhere refuses the edit). Where the
 * split on `---` lines might not be yaml's own, or a chosen document does not parse alone,
 * the whole text is parsed as before.
 */
export function parseYamlDocumentsWhere(text: string, mayHold: (documentText: string) => boolean): YamlSource {
  const chunks = documentChunks(text);
  if (!chunks) return parseYamlSource(text);
  const documents: Document.Parsed[] = [];
  for (const { start, end } of chunks) {
    const chunk = text.slice(start, end);
    if (!mayHold(chunk)) {
      documents.push(emptyDocument());
      continue;
    }
    const doc = parseAlone(chunk);
    // What a whole parse refuses (HF211) is left for it to refuse, with its message.
    if (!doc) return parseYamlSource(text);
    documents.push(shifted(doc, start));
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

/** One document's text parsed on its own, or undefined where it is not exactly one document a whole parse would accept. */
export function parseAlone(chunk: string): Document.Parsed | undefined {
  const parsed = parseAllDocuments(chunk, { logLevel: 'error' });
  const [doc, ...more] = Array.isArray(parsed) ? parsed : [];
  return !doc || more.length > 0 || doc.errors.length > 0 || nestedCollectionKey(doc) ? undefined : doc;
}

/** A document that holds nothing (a bare `new Document(null)` holds a null scalar, which has no range). */
function emptyDocument(): Document.Parsed {
  const doc = new Document(null);
  doc.contents = null;
  return doc as Document.Parsed;
}

/** The document with every range moved by `by`: offsets into the whole text. */
function shifted(doc: Document.Parsed, by: number): Document.Parsed {
  if (by === 0) return doc;
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
