/**
 * Every git process hotfix has running, by what ends it (with what it started, for a git
 * in a process group of its own). Ctrl-C or SIGTERM ends them all at once: a git left
 * running when hotfix stops would go on writing to a repository nobody watches, and a slow
 * one would keep apply from reaching its checkpoint.
 */
const running = new Set<() => void>();

/** Registers how to end one running git; the returned function forgets it once it has exited. */
export function trackGit(end: () => void): () => void {
  running.add(end);
  return () => running.delete(end);
}

/** Ends every git still running. */
export function endRunningGit(): void {
  for (const end of [...running]) end();
}
