import { HotfixError } from '../diagnostics/errors.js';
import { latestByName, type CheckReport } from '../forge/check-reports.js';
import { parseImageRef } from '../patch/image-ref.js';
import { readImage, type RegistryOptions } from '../state/registry/read-image.js';
import type { GateAction } from './apply-plan.js';
import type { GateAnswer } from './gate-answer.js';

export interface GateSources {
  readonly registry: RegistryOptions;
  /** The checks a person attested with `--check NAME`, and who they are. */
  readonly attested: ReadonlySet<string>;
  readonly attester: string;
  /**
   * The forge's reports on the gate's revision, for a gate that reads them; rejects with a
   * HotfixError coded HF513 (refused) or HF514 (failed).
   */
  readonly reports?: (gate: GateAction) => Promise<CheckReport[]>;
}

const FORGE_READ_CODES = new Set(['HF513', 'HF514']);

/**
 * What a gate still waits for, or that it is met: the hotfix image in the registry, built
 * from the hotfix head (its revision label says so), and every required check done: as the
 * forge reports it where the gate reads checks, or attested with `--check` where the plan
 * lets a person stand in.
 */
export async function checkGate(gate: GateAction, sources: GateSources): Promise<GateAnswer> {
  const [image, checks] = await Promise.all([imageWaitsFor(gate, sources.registry), checksWaitFor(gate, sources)]);
  const waiting = [...(checks ? [checks.why] : []), ...(image ? [image] : [])];
  if (waiting.length > 0) return { kind: 'waiting', code: checks?.code ?? 'HF410', why: waiting.join('; ') };
  const attested = gate.checks.filter((c) => sources.attested.has(c));
  return { kind: 'met', ...(attested.length > 0 ? { attested: { checks: attested, by: sources.attester } } : {}) };
}

async function checksWaitFor(gate: GateAction, sources: GateSources): Promise<{ readonly why: string; readonly code?: 'HF513' | 'HF514' } | undefined> {
  const open = gate.checks.filter((c) => !sources.attested.has(c));
  if (open.length === 0) return undefined;
  if (!gate.checksFrom || !sources.reports) return { why: `checks not reported passed: ${open.join(', ')} (pass --check NAME once CI reports it)` };
  let latest: Map<string, CheckReport>;
  try {
    latest = latestByName(await sources.reports(gate));
  } catch (error) {
    const d = error instanceof HotfixError ? error.diagnostics[0] : undefined;
    if (!d || !FORGE_READ_CODES.has(d.code)) throw error;
    return { why: d.message, code: d.code as 'HF513' | 'HF514' };
  }
  const notDone = open.filter((c) => !latest.get(c)?.success);
  if (notDone.length === 0) return undefined;
  const states = notDone.map((c) => {
    const r = latest.get(c);
    // The state is the forge's word: only a word's characters reach the terminal.
    return r ? `${c} ${r.state.replace(/[^\w-]/g, '?')} (${r.source})` : `${c} missing (no check run, status or job of that name)`;
  });
  const from = gate.checksFrom;
  const manual = from.manual === 'allow' ? '; a person may attest one with --check NAME, which is recorded' : '';
  return { why: `checks not done on ${gate.revision.slice(0, 7)} in ${from.forge === 'github' ? 'GitHub' : 'GitLab'} ${from.repository}: ${states.join(', ')}${manual}` };
}

async function imageWaitsFor(gate: GateAction, registry: RegistryOptions): Promise<string | undefined> {
  let facts;
  try {
    facts = await readImage(parseImageRef(gate.image), registry);
  } catch (error) {
    return `the registry could not be asked about ${gate.image}: ${error instanceof HotfixError ? error.diagnostics.map((d) => d.message).join('; ') : String(error)}`;
  }
  if (!facts) return `${gate.image} is not in the registry yet`;
  const label = facts.labels[gate.label];
  return label !== gate.revision ? `${gate.image} exists but its ${gate.label} is ${label ?? 'missing'}, not the hotfix head ${gate.revision}` : undefined;
}
