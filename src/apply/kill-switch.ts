/**
 * A fault-injection seam for the crash tests: with HOTFIX_TEST_KILL_AT=ACTION:POINT the
 * process kills itself with SIGKILL at that checkpoint, as a power cut or `kill -9` would.
 * Unset, it does nothing.
 */
export function killSwitch(at: string | undefined): ((name: string) => void) | undefined {
  if (!at) return undefined;
  return (name) => {
    if (name === at) process.kill(process.pid, 'SIGKILL');
  };
}
