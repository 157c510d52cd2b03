import { countBySeverity, type Diagnostic } from '../diagnostics/diagnostic.js';
import { plural } from './diagnostics-text.js';
import { codeSpan } from './markdown-literal.js';

/** One line per finding: code, where, and the message, which may quote any input, as literal text. */
export function findingsMarkdown(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const where = d.file === undefined ? '' : `${codeSpan(d.range ? `${d.file}:${d.range.start.line}:${d.range.start.col}` : d.file)} `;
    return `${d.severity === 'error' ? '❌' : '⚠️'} **${d.code}** ${where}${codeSpan(d.message)}`;
  });
}

/**
 * The PR comment of a command that made no plan (a refusal, a plan file show rejects), so a
 * CI job that posts stdout posts the reason rather than an empty comment.
 */
export function renderFindingsMarkdown(diagnostics: readonly Diagnostic[]): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  return ['### hotfix: no plan', '', `hotfix stopped with ${plural(errors, 'error')} and ${plural(warnings, 'warning')}; there is no plan to review.`, '', ...findingsMarkdown(diagnostics).map((l) => `- ${l}`), ''].join('\n');
}
