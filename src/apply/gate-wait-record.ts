import type { ChecksSource } from '../policy/types.js';

/**
 * A gate apply stopped or waited at whose required checks a forge reports, as the journal
 * keeps it: what `status --forge` asks the forge about while the hotfix waits there.
 */
export interface GateWaitRecord {
  readonly action: string;
  /** The hotfix head the checks must pass on. */
  readonly revision: string;
  readonly checks: readonly string[];
  readonly checksFrom: ChecksSource;
  readonly at: string;
}

/** What the plan of a journal was for, so `status` shows its records beside their environment. */
export interface JournalSubject {
  readonly policy: string;
  readonly environment: string;
  readonly kind: string;
}

export function isGateWaitRecord(value: unknown): value is GateWaitRecord {
  const r = value as Record<string, unknown> | null;
  const from = r?.checksFrom as Record<string, unknown> | null | undefined;
  return (
    typeof r === 'object' && r !== null &&
    ['action', 'revision', 'at'].every((key) => typeof r[key] === 'string') &&
    Array.isArray(r.checks) && r.checks.every((c) => typeof c === 'string') &&
    typeof from === 'object' && from !== null && (from.forge === 'github' || from.forge === 'gitlab') && typeof from.repository === 'string' && (from.manual === 'allow' || from.manual === 'refuse') && (from.appId === undefined || Number.isInteger(from.appId))
  );
}

export function isJournalSubject(value: unknown): value is JournalSubject {
  const s = value as Record<string, unknown> | null;
  return typeof s === 'object' && s !== null && ['policy', 'environment', 'kind'].every((key) => typeof s[key] === 'string');
}
