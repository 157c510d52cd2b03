import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Locate } from './data-path.js';
import { makeLocate } from './source-map.js';
import { plainData } from '../yaml/plain-data.js';

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
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  // parseAllDocuments returns an EmptyStream (not an array) for input with no documents.
  const list: Document[] = Array.isArray(docs) ? docs : [];
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
      for (const d of yamlErrors(doc, file, rangeOf)) diagnostics.push(d);
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

function yamlErrors(doc: Document, file: string, rangeOf: (o: readonly number[]) => SourceRange): Diagnostic[] {
  const codeOf = (yamlCode: string): DiagnosticCode =>
    yamlCode === 'DUPLICATE_KEY' ? 'HF103' : yamlCode === 'RESOURCE_EXHAUSTION' ? 'HF105' : 'HF102';
  // Resource exhaustion makes every later error noise: report it alone, at the start of its
  // document, since where the parser ran out of stack depends on how deep the stack already was.
  const exhausted = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (exhausted) return [diagnostic('HF105', 'document was not read: nesting too deep', { file, range: rangeOf(doc.range ?? [0, 0]) })];
  const errors = doc.errors;
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    const code = codeOf(error.code);
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const key = `${code}:${error.pos[0]}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(diagnostic(code, message, { file, range: rangeOf(error.pos) }));
  }
  return out;
}
