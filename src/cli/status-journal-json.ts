import { gateKey, type ForgeStatus } from './status-forge.js';
import type { JournalStatus } from './status-journal.js';

/**
 * The journal's part of `status --format json`, each list only where it has entries: each
 * pull request with `state` (open, merged, closed, locked) or `stateNotRead` (and its
 * `stateNotReadCode`) once the forge was asked, the approvals, each waiting gate with
 * `checkStates` or `checksNotRead` (and `checksNotReadCode`), and
 * `forgeNotAsked` for a forge `--forge` could not ask.
 */
export function journalStatusJson(journal: JournalStatus, forge: ForgeStatus | undefined): Record<string, unknown> {
  const pullRequests = journal.pullRequests.map((r) => {
    const now = forge?.pullRequests.get(r.url);
    return now === undefined ? r : 'state' in now ? { ...r, state: now.state } : { ...r, stateNotRead: now.notRead, stateNotReadCode: now.code };
  });
  const gates = journal.gates.map((g) => {
    const now = forge?.gates.get(gateKey(g));
    return now === undefined ? g : 'checks' in now ? { ...g, checkStates: now.checks } : { ...g, checksNotRead: now.notRead, checksNotReadCode: now.code };
  });
  return {
    ...(pullRequests.length > 0 ? { pullRequests } : {}),
    ...(journal.approvals.length > 0 ? { approvals: journal.approvals } : {}),
    ...(gates.length > 0 ? { gatesWaiting: gates } : {}),
    ...(forge && forge.notAsked.length > 0 ? { forgeNotAsked: forge.notAsked } : {}),
  };
}
