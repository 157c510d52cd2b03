import { HotfixError } from '../diagnostics/errors.js';
import { parseImageRef } from '../patch/image-ref.js';
import { readImage, type RegistryOptions } from '../state/registry/read-image.js';
import type { GateAction } from './apply-plan.js';

/**
 * What a gate still waits for, or undefined when it is met: the hotfix image in the
 * registry, built from the hotfix head (its revision label says so), and the required
 * checks reported passed.
 */
export async function gateWaitsFor(gate: GateAction, passedChecks: ReadonlySet<string>, registry: RegistryOptions): Promise<string | undefined> {
  const missing = gate.checks.filter((c) => !passedChecks.has(c));
  const checks = missing.length > 0 ? `; checks not reported passed: ${missing.join(', ')} (pass --check NAME once CI reports it)` : '';
  let facts;
  try {
    facts = await readImage(parseImageRef(gate.image), registry);
  } catch (error) {
    return `the registry could not be asked about ${gate.image}: ${error instanceof HotfixError ? error.diagnostics.map((d) => d.message).join('; ') : String(error)}${checks}`;
  }
  if (!facts) return `${gate.image} is not in the registry yet${checks}`;
  const label = facts.labels[gate.label];
  if (label !== gate.revision) return `${gate.image} exists but its ${gate.label} is ${label ?? 'missing'}, not the hotfix head ${gate.revision}${checks}`;
  return missing.length > 0 ? checks.slice(2) : undefined;
}
