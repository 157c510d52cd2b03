import validate from './generated/validate-policy.cjs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { RULES } from './rules/index.js';
import type { RuleContext } from './rules/rule.js';
import { schemaDiagnostics } from './schema-diagnostics.js';
import type { Locate } from './data-path.js';
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

/**
 * The quick check: the policy when the value is a policy with no finding at all (no error,
 * no warning), else `undefined`. No positions, so nothing to report; a value with findings
 * goes through validatePolicy for them. Fills in defaults in the value itself, so give it a
 * value nobody else holds.
 */
export function cleanPolicy(value: unknown): Policy | undefined {
  if (!validate(value)) return undefined;
  const context: RuleContext = { policy: value as Policy, report: (code, message) => diagnostic(code, message) };
  return RULES.every((rule) => rule(context).length === 0) ? (value as Policy) : undefined;
}
