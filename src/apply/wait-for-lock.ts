import { setTimeout as sleep } from 'node:timers/promises';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { LockHeld } from './lock.js';

export interface LockWait {
  /** How long to wait for another apply's lock (ms); none: refuse at once (HF412). */
  readonly waitMs: number;
  readonly pollMs: number;
  /** As the command line gave it (`10m`), for the messages. */
  readonly text: string;
}

/**
 * Runs `attempt` until it does not stop at another apply's lock, or the wait is over. Each
 * attempt starts from the beginning (journal, preconditions, rehearsal), since the holder may
 * have finished this plan or moved what it relies on. Says once whom it waits for.
 */
export async function waitingForLock<T>(attempt: () => Promise<T>, wait: LockWait | undefined, log: (line: string) => void, signal?: AbortSignal): Promise<T> {
  if (!wait) return attempt();
  const deadline = Date.now() + wait.waitMs;
  let looks = 0;
  let said: string | undefined;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof LockHeld)) throw error;
      looks++;
      if (Date.now() >= deadline) throw new HotfixError([diagnostic('HF412', `gave up waiting for the lock after --wait-lock ${wait.text} (${looks} looks): ${error.holder} still holds it; nothing was written: run apply again once it has finished`)]);
      // A new holder (the first finished, a third took it) gets its own line.
      if (said !== error.holder) log(`waiting for the lock: ${error.holder} (up to ${wait.text})`);
      said = error.holder;
      await sleep(Math.min(wait.pollMs, Math.max(0, deadline - Date.now())), undefined, signal ? { signal } : {});
    }
  }
}
