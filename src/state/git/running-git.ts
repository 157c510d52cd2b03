/**
 * Every git process hotfix has running, by what ends it (with what it started, for a git
 * in a process group of its own). Ctrl-C or SIGTERM ends them all at once: a git left
 * running when hotfix stops would go on writing to a repository nobody watches, and a slow
 * one would keep apply from reaching its checkpoint.
 */
const running = new Set<() => void>();
/** Who waits for the last running git to exit. */
const waiting: Array<() => void> = [];

/** Registers how to end one running git; the returned function forgets it once it has exited. */
export function trackGit(end: () => void): () => void {
  running.add(end);
  return () => {
    running.delete(end);
    if (running.size === 0) for (const done of waiting.splice(0)) done();
  };
}

/**
 * Resolves once no git hotfix started is still running, or after `ms`. A git ended by a
 * signal takes a moment to remove its lock files; an apply that exits before it may leave
 * `refs/heads/….lock` behind for a rerun at once to trip over (HF407).
 */
export function allGitEnded(ms: number): Promise<void> {
  if (running.size === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    waiting.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Ends every git still running. */
export function endRunningGit(): void {
  for (const end of [...running]) end();
}
