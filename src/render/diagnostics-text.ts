import { countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Style } from './style.js';

/** `file:line:col  severity  message  [code]`, one line per finding. */
export function diagnosticLine(d: Diagnostic, style: Style): string {
  const where = d.file === undefined ? '' : d.range ? `${d.file}:${d.range.start.line}:${d.range.start.col}` : d.file;
  const severity = d.severity === 'error' ? style.red('error') : style.yellow('warning');
  // Messages may quote user input: one line each, and no control character reaches the
  // terminal (an escape sequence in a policy name could clear it).
  const message = d.message.replace(/[\r\n]+/g, ' ').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${where ? `${where}  ` : ''}${severity}  ${message}  ${style.dim(`[${d.code}]`)}`;
}

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], style: Style): string {
  return diagnostics.map((d) => diagnosticLine(d, style) + '\n').join('');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(diagnostics: readonly Diagnostic[], style: Style): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const text = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return errors > 0 ? style.red(text) : warnings > 0 ? style.yellow(text) : style.green(text);
}
