import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { diagnostic, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import type { Locate } from './data-path.js';
import { makeLocate } from './source-map.js';
import { NESTED_KEY_REASON, nestedCollectionKey } from '../yaml/key-nesting.js';

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

/** Aliases allowed per document before it counts as an alias bomb (yaml's own default). */
const MAX_ALIAS_COUNT = 100;

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
    const nestedKey = nestedCollectionKey(doc);
    if (nestedKey) {
      diagnostics.push(diagnostic('HF105', `document ${index + 1} was not read: ${NESTED_KEY_REASON}`, { file, range: rangeOf(nestedKey.range ?? doc.range ?? [0, 0]) }));
      return;
    }
    try {
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      documents.push({ index, value, locate: makeLocate(doc, lineCounter) });
    } catch (error) {
      // toJS throws a ReferenceError for an alias bomb, and for an alias whose anchor is
      // nowhere before it (a plain mistake); a RangeError when nesting is too deep.
      const message = (error as Error).message;
      const range = rangeOf(doc.range ?? [0, 0]);
      if (error instanceof ReferenceError && message.startsWith('Unresolved alias')) diagnostics.push(diagnostic('HF102', message, { file, range }));
      else {
        const reason = error instanceof ReferenceError ? `its aliases expand to more than ${MAX_ALIAS_COUNT} values (an alias bomb?; an alias inside an anchored value counts each time that value is used)` : 'nesting too deep';
        diagnostics.push(diagnostic('HF105', `document ${index + 1} was not read: ${reason}`, { file, range }));
      }
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
