import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { gateChecks, gateChecksText } from '../plan/hotfix/gate-checks.js';
import type { HotfixSpec } from '../policy/types.js';
import type { GateAction } from './apply-plan.js';

/**
 * HF424 when the gate waits for other checks, or reads them elsewhere, than the policy the
 * plan was made from says. The plan is untrusted: an edited gate could drop the forge and
 * let `--check` stand in for CI. Pure; `hotfix` is the policy's, once its hash is the plan's.
 */
export function gatePolicyProblem(gate: GateAction, hotfix: HotfixSpec | undefined): Diagnostic | undefined {
  const wanted = hotfix ? gateChecks(hotfix) : { checks: [] };
  const from = (g: Pick<GateAction, 'checksFrom'>) => (g.checksFrom ? [g.checksFrom.forge, g.checksFrom.repository, g.checksFrom.appId ?? null, g.checksFrom.manual] : null);
  if (JSON.stringify([gate.checks, from(gate)]) === JSON.stringify([wanted.checks, from(wanted)])) return undefined;
  const shown = (g: GateAction) => gateChecksText(g) || 'no required checks';
  const { checksFrom: _planned, ...rest } = gate;
  return diagnostic('HF424', `the plan's gate waits for ${shown(gate)}, but its policy says ${shown({ ...rest, ...wanted })}; nothing was written: make and review the plan again from the policy`);
}
