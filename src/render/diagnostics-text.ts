import { countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Style } from './style.js';

/** `file:line:col  severity  message  [code]`, one line per finding. */
export function diagnosticLine(d: Diagnostic, style: Style): string {
  const where = d.file === undefined ? '' : d.range ? `${d.file}:${d.range.start.line}:${d.range.start.col}` : d.file;
  const severity = d.severity === 'error' ? style.red('error') : style.yellow('warning');
  // Messages may quote user input: one line each (what else could steer the terminal is
  // made visible where all output is written: cli/terminal-output.ts).
  const message = d.message.replace(/[\r\n]+/g, ' ');
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
