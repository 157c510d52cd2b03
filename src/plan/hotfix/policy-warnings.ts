import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';

/**
 * Lint findings of the policy that change what a hotfix plan does, so a reviewer of the plan
 * must read them there, not only in `hotfix lint`: HF146, a hotfix image tag with a literal
 * mainline prefix, makes the plan's gate wait for an image CI never builds.
 */
const HOTFIX_PLAN_FINDINGS: readonly DiagnosticCode[] = ['HF146'];

/**
 * The policy's warnings a hotfix plan carries among its own, with their code. Without the
 * file's path: a plan names its policy by hash, never by a path of the machine it was made
 * on, and these messages name the policy field. Pure.
 */
export function hotfixPolicyWarnings(lint: readonly Diagnostic[]): Diagnostic[] {
  return lint.filter((d) => d.severity === 'warning' && HOTFIX_PLAN_FINDINGS.includes(d.code)).map(({ code, severity, message }) => ({ code, severity, message }));
}
