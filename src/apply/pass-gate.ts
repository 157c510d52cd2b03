import { setTimeout as sleep } from 'node:timers/promises';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ApplyOptions, GateAction } from './apply-plan.js';
import type { GateTag } from './gate-answer.js';
import type { Journal } from './journal.js';

/**
 * Apply at a gate: asks whether it is met, records an attestation before what the gate
 * guards is written, and with --wait looks again until the deadline; otherwise stops with
 * exit code 3 so a rerun goes on from here.
 */
export async function passGate(gate: GateAction, journal: Journal, options: ApplyOptions): Promise<GateTag | undefined> {
  const deadline = options.waitMs === undefined ? undefined : Date.now() + options.waitMs;
  let waited = 0;
  for (;;) {
    const answer = await options.checkGate(gate);
    if (answer === undefined || answer.kind === 'met') {
      // What was approved before the wait may not be approved after it.
      if (waited > 0) await options.recheckApproval?.();
      // Before anything the gate guards is written: a deploy never happens on an attestation the journal lacks.
      if (answer?.attested) {
        await journal.attest({ action: gate.id, ...answer.attested, at: new Date().toISOString() });
        options.log(`attested: ${answer.attested.checks.join(', ')} by ${answer.attested.by} (--check), recorded in the journal`);
      }
      return gate.tagAtGate !== undefined ? answer?.tag : undefined;
    }
    // Where `status --forge` finds the checks this hotfix waits on, while it waits and after apply stopped.
    if (waited === 0 && gate.checksFrom && gate.checks.length > 0) await journal.waitAtGate({ action: gate.id, revision: gate.revision, checks: gate.checks, checksFrom: gate.checksFrom, at: new Date().toISOString() });
    if (deadline === undefined || Date.now() >= deadline)
      throw new HotfixError([diagnostic(answer.code, `stopped at the gate: ${answer.why}. Run hotfix apply again on the same plan once it is met; it goes on from here`)], 3);
    options.log(`waiting: ${answer.why}`);
    waited++;
    await sleep(Math.min(gatePauseMs(waited, options.pollMs ?? 10_000), deadline - Date.now()), undefined, options.signal ? { signal: options.signal } : {});
  }
}

/**
 * The pause before the next look at an unmet gate, the `looks`-th: 1 s, then twice as long
 * each time up to `longestMs`. What it waits for (CI's image, a check) is often a moment away
 * when apply first gets there, and an hour away when it is not; the registry and the forge
 * answer the three or four extra looks of the first 15 s at little cost.
 */
export function gatePauseMs(looks: number, longestMs: number): number {
  return Math.min(longestMs, 1000 * 2 ** Math.min(looks - 1, 20));
}
