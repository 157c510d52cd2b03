import { endRunningGit } from '../state/git/running-git.js';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * SIGINT and SIGTERM end hotfix as they would without a handler (by that signal: 130 or
 * 143 in a shell), but first end every git it has running. Ctrl-C reaches the git
 * processes in the terminal's process group, but not a network git (a group of its own),
 * and a signal sent to hotfix's pid alone (a CI runner cancelling a job) reaches none of
 * them: they would run on, writing to a repository nobody watches. While a command handles
 * the signals itself (apply's stopOnSignals, registered after this), it decides, and ends
 * the running git itself.
 */
export function endGitOnSignals(): void {
  const end = (name: NodeJS.Signals) => {
    if (process.listenerCount(name) > 1) return;
    endRunningGit();
    for (const signal of SIGNALS) process.off(signal, end);
    process.kill(process.pid, name);
  };
  for (const name of SIGNALS) process.on(name, end);
}
