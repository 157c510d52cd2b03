import validate from './generated/validate-policy.cjs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { RULES } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import type { Locate } from './source-map.js';
import type { Policy } from './types.js';

export interface ValidationResult {
  /** Present when there are no errors (warnings allowed). */
  readonly policy?: Policy;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Validates one parsed policy document: the schema (every violation), then the semantic
 * rules, which only run on schema-valid data because they rely on its shape. Pure.
 */
export function validatePolicy(value: unknown, locate: Locate, file?: string): ValidationResult {
  // The validator fills in defaults, so it works on a copy.
  const data = structuredClone(value);
  if (!validate(data)) return { diagnostics: schemaDiagnostics(validate.errors ?? [], value, locate, file) };

  const policy = data as Policy;
  const context: RuleContext = {
    policy,
    report: (code, message, path, part) => diagnostic(code, message, { file, range: locate(path, part) }),
  };
  const diagnostics = RULES.flatMap((rule) => rule(context));
  return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { policy, diagnostics };
}
