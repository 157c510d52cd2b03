import type { Document, LineCounter, YAMLError } from 'yaml';
import { diagnostic, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { duplicateKeyMessages } from './duplicate-keys.js';
import type { IndentationSlip } from './indentation-slips.js';

export interface YamlErrorContext {
  readonly file: string;
  readonly lineCounter: LineCounter;
  /** The file's indentation slips, worked out on first need. */
  readonly slips: () => readonly IndentationSlip[];
}

/**
 * What yaml reports once a line is indented unlike its block: the slip itself and every
 * line after it the parser can no longer place. Replaced by one finding per slip.
 */
function followsIndentation(error: YAMLError): boolean {
  switch (error.code) {
    case 'BAD_INDENT':
    case 'TAB_AS_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'UNEXPECTED_TOKEN':
      return true;
    case 'MISSING_CHAR':
      return /^(Sequence item without|Implicit map keys need)/.test(error.message);
    default:
      return false;
  }
}

/** A document's parse errors as findings: each once, with what yaml's words leave out. */
export function yamlErrors(doc: Document, context: YamlErrorContext): Diagnostic[] {
  const { file, lineCounter } = context;
  const rangeOf = (offsets: readonly number[]): SourceRange => ({ start: lineCounter.linePos(offsets[0] ?? 0), end: lineCounter.linePos(offsets[1] ?? offsets[0] ?? 0) });
  // Resource exhaustion makes every later error noise: report it alone, at the start of its
  // document, since where the parser ran out of stack depends on how deep the stack already was.
  if (doc.errors.some((e) => e.code === 'RESOURCE_EXHAUSTION')) return [diagnostic('HF105', 'document was not read: nesting too deep', { file, range: rangeOf(doc.range ?? [0, 0]) })];

  const slips = doc.errors.some(followsIndentation) ? slipsIn(doc, context) : [];
  const errors = slips.length > 0 ? doc.errors.filter((e) => !followsIndentation(e)) : doc.errors;
  const duplicates = errors.some((e) => e.code === 'DUPLICATE_KEY') ? duplicateKeyMessages(doc, lineCounter) : undefined;
  const out: Diagnostic[] = slips.map((slip) => diagnostic('HF102', slip.message, { file, range: slip.range }));
  const seen = new Set<string>();
  let run: { message: string; code: DiagnosticCode; first: Diagnostic; lastLine: number; index: number } | undefined;
  for (const error of errors) {
    const code: DiagnosticCode = error.code === 'DUPLICATE_KEY' ? 'HF103' : 'HF102';
    const message = duplicates?.get(error.pos[0]) ?? error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const key = `${code}:${error.pos[0]}:${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const range = rangeOf(error.pos);
    // The same complaint on each following line is one finding about those lines.
    if (run && run.code === code && run.message === message && range.start.line === run.lastLine + 1) {
      run.lastLine = range.start.line;
      out[run.index] = { ...run.first, message: `lines ${run.first.range!.start.line}–${run.lastLine}: ${message}`, range: { start: run.first.range!.start, end: range.end } };
      continue;
    }
    const finding = diagnostic(code, message, { file, range });
    run = { message, code, first: finding, lastLine: range.start.line, index: out.length };
    out.push(finding);
  }
  return out;
}

function slipsIn(doc: Document, { slips, lineCounter }: YamlErrorContext): readonly IndentationSlip[] {
  const [from = 0, , to = from] = doc.range ?? [];
  const first = lineCounter.linePos(from).line;
  const last = lineCounter.linePos(to).line;
  return slips().filter((s) => s.range.start.line >= first && s.range.start.line <= last);
}
