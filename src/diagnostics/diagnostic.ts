import { CODES, type DiagnosticCode, type Severity } from './codes.js';

/** 1-based line and column, as editors and SARIF count them. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
}

/** A finding: plain data, so it serialises and renders without classes. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Path as the user named it (relative to the working directory where possible). */
  readonly file?: string;
  readonly range?: SourceRange;
}

/**
 * The longest message a finding keeps. Messages quote outside text (a registry label, file
 * content, git's stderr); one line of a refusal must never grow to megabytes because an
 * answer did, so every finding is capped here, in the one place all of them are made.
 */
export const MAX_MESSAGE_CHARS = 4096;

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: { file?: string; range?: SourceRange } = {},
): Diagnostic {
  return { code, severity: CODES[code].severity, message: capped(message), ...where };
}

/**
 * The message as is, or its start and its end around what was left out: the end says what
 * is wrong and what to do, the start what it is about. Never half a surrogate pair.
 */
function capped(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  const keep = (MAX_MESSAGE_CHARS - 64) / 2;
  const head = withoutHalfPair(message.slice(0, keep), 'end');
  const tail = withoutHalfPair(message.slice(-keep), 'start');
  const left = Buffer.byteLength(message.slice(head.length, message.length - tail.length));
  return `${head}… (${left} bytes left out) …${tail}`;
}

function withoutHalfPair(text: string, side: 'start' | 'end'): string {
  if (side === 'end') return /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text;
  return /^[\uDC00-\uDFFF]/.test(text) ? text.slice(1) : text;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const d of diagnostics) if (d.severity === 'error') errors++;
  return { errors, warnings: diagnostics.length - errors };
}

/** Stable order: by file, then position, then code. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    (a.file ?? '').localeCompare(b.file ?? '') ||
    (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) ||
    (a.range?.start.col ?? 0) - (b.range?.start.col ?? 0) ||
    a.code.localeCompare(b.code)
  );
}
