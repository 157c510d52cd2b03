import type { HotfixSpec } from '../../policy/types.js';
import type { Action } from '../types.js';

type Gate = Extract<Action, { kind: 'gate' }>;

/**
 * The checks a hotfix gate waits for and where apply reads them, as the policy says. Plan
 * seals this into the gate; apply derives it again from the policy and refuses a gate that
 * differs, so an edited plan cannot drop the forge and let `--check` stand in.
 */
export function gateChecks(hotfix: HotfixSpec): Pick<Gate, 'checks' | 'checksFrom'> {
  const from = hotfix.checks;
  return {
    checks: hotfix.requiredChecks ?? [],
    ...(from ? { checksFrom: { forge: from.forge, repository: from.repository, ...(from.appId !== undefined ? { appId: from.appId } : {}), manual: from.manual ?? 'allow' } } : {}),
  };
}

const FORGE = { github: 'GitHub', gitlab: 'GitLab' } as const;

/** The gate's checks in words, empty when it has none: which, where they are read, and whether a person may attest them. */
export function gateChecksText(gate: Gate): string {
  if (gate.checks.length === 0) return '';
  const names = gate.checks.join(', ');
  const from = gate.checksFrom;
  if (!from) return `checks passed: ${names} (reported with --check)`;
  const app = from.appId !== undefined ? `, check runs of GitHub App ${from.appId} only` : '';
  const manual = from.manual === 'refuse' ? 'manual attestation refused' : 'or attested with --check, recorded';
  return `checks ${names} read from ${FORGE[from.forge]} ${from.repository}${app} for ${gate.revision.slice(0, 7)} (${manual})`;
}
