import { LineCounter, type Document } from 'yaml';
import { parseAllDocumentsBounded } from '../yaml/bounded-parse.js';
import { diagnostic, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import type { Locate } from './data-path.js';
import { indentationSlips, type IndentationSlip } from './indentation-slips.js';
import { makeLocate } from './source-map.js';
import { plainData } from '../yaml/plain-data.js';
import { yamlErrors } from './yaml-errors.js';

export interface ParsedDocument {
  /** Position of the document in its file, 0 for the first. */
  readonly index: number;
  readonly value: unknown;
  readonly locate: Locate;
}

export interface ParsedFile {
  /** Documents that parsed cleanly; documents with errors are reported, not returned. */
  readonly documents: readonly ParsedDocument[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Parses every YAML document of a file. Pure: never throws on bad input. */
export function parseDocuments(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocumentsBounded(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  // parseAllDocuments returns an EmptyStream (not an array) for input with no documents.
  const list: Document[] = Array.isArray(docs) ? docs : [];
  let found: readonly IndentationSlip[] | undefined;
  const slips = () => (found ??= indentationSlips(text));
  const documents: ParsedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const rangeOf = (offsets: readonly number[]): SourceRange => {
    const start = lineCounter.linePos(offsets[0] ?? 0);
    const end = lineCounter.linePos(offsets[1] ?? offsets[0] ?? 0);
    return { start, end };
  };

  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      // Not push(...): a 1 MiB file can hold more errors than a call takes arguments.
      for (const d of yamlErrors(doc, { file, lineCounter, slips })) diagnostics.push(d);
      return;
    }
    const data = plainData(doc);
    if ('value' in data) documents.push({ index, value: data.value, locate: makeLocate(doc, lineCounter) });
    else {
      const range = rangeOf(data.node?.range ?? doc.range ?? [0, 0]);
      diagnostics.push(data.refused === 'broken' ? diagnostic('HF102', data.why, { file, range }) : diagnostic('HF105', `document ${index + 1} was not read: ${data.why}`, { file, range }));
    }
  });
  return { documents, diagnostics };
}
