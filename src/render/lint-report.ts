import { countBySeverity } from '../diagnostics/diagnostic.js';
import type { LintResult } from '../policy/lint.js';
import { plural, renderDiagnosticsText, summaryLine } from './diagnostics-text.js';
import type { Style } from './style.js';

export const LINT_FORMAT_VERSION = '1.0';

export function renderLintText(result: LintResult, style: Style): string {
  const checked = `${plural(result.policies.length, 'policy')} in ${plural(result.files, 'file')}`.replace('policys', 'policies');
  return `${renderDiagnosticsText(result.diagnostics, style)}${checked}: ${summaryLine(result.diagnostics, style)}\n`;
}

/** Versioned JSON for machines: a major bump of formatVersion is a breaking change. */
export function renderLintJson(result: LintResult, toolVersion: string): string {
  const { errors, warnings } = countBySeverity(result.diagnostics);
  const body = {
    formatVersion: LINT_FORMAT_VERSION,
    tool: { name: 'hotfix', version: toolVersion },
    summary: { files: result.files, policies: result.policies.length, errors, warnings },
    policies: result.policies.map(({ name, file }) => ({ name, file })),
    diagnostics: result.diagnostics,
  };
  return JSON.stringify(body, null, 2) + '\n';
}
