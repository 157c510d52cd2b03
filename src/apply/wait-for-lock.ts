import { setTimeout as sleep } from 'node:timers/promises';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { LockHeld } from './lock.js';

/**
 * Another apply of the plan wrote its journal between this one's reading it and taking the
 * lock (it finished, or stopped, just then): what this one read is stale, and it starts again.
 */
export class JournalRace extends HotfixError {
  constructor(repo: string) {
    super([diagnostic('HF412', `another apply of this plan wrote its journal in ${repo} each time this one took the lock; nothing was written: run hotfix apply again`)]);
  }
}

/** Starts again after a JournalRace at most this many times: each is another apply finishing a step just then. */
const RACES = 3;

export interface LockWait {
  /** How long to wait for another apply's lock (ms); none: refuse at once (HF412). */
  readonly waitMs: number;
  readonly pollMs: number;
  /** As the command line gave it (`10m`), for the messages. */
  readonly text: string;
}

/**
 * Runs `attempt` until it does not stop at another apply's lock, or the wait is over (no
 * wait: once). Each attempt starts from the beginning (journal, preconditions, rehearsal),
 * since the holder may have finished this plan or moved what it relies on; so does one whose
 * journal another apply wrote as it took the lock. Says once whom it waits for.
 */
export async function waitingForLock<T>(attempt: () => Promise<T>, wait: LockWait | undefined, log: (line: string) => void, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + (wait?.waitMs ?? 0);
  let looks = 0;
  let races = 0;
  let said: string | undefined;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (error instanceof JournalRace && ++races <= RACES) continue;
      if (!(error instanceof LockHeld) || !wait) throw error;
      looks++;
      if (Date.now() >= deadline) throw new HotfixError([diagnostic('HF412', `gave up waiting for the lock after --wait-lock ${wait.text} (${looks} looks): ${error.holder} still holds it; nothing was written: run apply again once it has finished`)]);
      // A new holder (the first finished, a third took it) gets its own line.
      if (said !== error.holder) log(`waiting for the lock: ${error.holder} (up to ${wait.text})`);
      said = error.holder;
      await sleep(Math.min(wait.pollMs, Math.max(0, deadline - Date.now())), undefined, signal ? { signal } : {});
    }
  }
}
