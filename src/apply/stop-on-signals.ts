import { constants } from 'node:os';
import { allGitEnded, endRunningGit } from '../state/git/running-git.js';

/** How long a stopped apply waits for the git processes it ended (they exit in milliseconds; a hung one is not waited for longer). */
const GIT_EXIT_WAIT_MS = 10_000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Turns the first SIGINT or SIGTERM into an aborted signal instead of a kill, so apply stops
 * at its next checkpoint, releases its locks and keeps its journal. Every git running is
 * ended at once (a slow one would hold apply before that checkpoint): apply is safe to
 * stop at any point, as it is after kill -9. `reason` makes the error
 * apply then throws, from the signal and its conventional exit code (128 + number). A
 * second signal kills at once, as the listeners are gone by then (like kill -9: a rerun
 * needs --break-lock).
 */
export function stopOnSignals(reason: (signal: NodeJS.Signals, exitCode: number) => unknown): { readonly signal: AbortSignal; readonly dispose: () => void; readonly finish: () => Promise<void> } {
  const controller = new AbortController();
  const dispose = () => {
    for (const name of SIGNALS) process.off(name, stop);
  };
  // Stopped by a signal, apply exits only once the git processes it ended are gone: one
  // still dying holds its ref locks, and a rerun at once would find them (HF407).
  const finish = async () => {
    dispose();
    if (controller.signal.aborted) await allGitEnded(GIT_EXIT_WAIT_MS);
  };
  const stop = (name: NodeJS.Signals) => {
    dispose();
    endRunningGit();
    controller.abort(reason(name, 128 + constants.signals[name]));
  };
  for (const name of SIGNALS) process.on(name, stop);
  return { signal: controller.signal, dispose, finish };
}
