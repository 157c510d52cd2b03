import type { Diagnostic } from '../../diagnostics/diagnostic.js';

/**
 * A finding about one placeholder, moved from the template's whole value onto the
 * placeholder itself, so an editor points at `{timestamp}` in `"{branch}-{sha8}-{timestamp}"`.
 * Only where the value's source is the template as written on one line, plain or quoted
 * without escapes (its width says so); anywhere else the value's range stays. Pure.
 */
export function atPlaceholder(finding: Diagnostic, template: string, offset: number, name: string): Diagnostic {
  const range = finding.range;
  if (!range || range.start.line !== range.end.line) return finding;
  const width = range.end.col - range.start.col;
  const quote = width === template.length ? 0 : width === template.length + 2 ? 1 : undefined;
  if (quote === undefined) return finding;
  const col = range.start.col + quote + offset;
  return { ...finding, range: { start: { line: range.start.line, col }, end: { line: range.start.line, col: col + name.length + 2 } } };
}
