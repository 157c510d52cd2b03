/**
 * A fault-injection seam for the crash tests: with HOTFIX_TEST_KILL_AT=ACTION:POINT the
 * process sends itself a signal at that checkpoint: SIGKILL, as a power cut or `kill -9`
 * would, or the one HOTFIX_TEST_KILL_SIGNAL names (SIGINT: a Ctrl-C there). Unset, it does
 * nothing.
 */
export function killSwitch(at: string | undefined, signal: string | undefined): ((name: string) => void) | undefined {
  if (!at) return undefined;
  const sent = signal === 'SIGINT' || signal === 'SIGTERM' ? signal : 'SIGKILL';
  return (name) => {
    if (name === at) process.kill(process.pid, sent);
  };
}
