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

export function diagnostic(
  code: DiagnosticCode,
  message: string,
  where: { file?: string; range?: SourceRange } = {},
): Diagnostic {
  return { code, severity: CODES[code].severity, message, ...where };
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
