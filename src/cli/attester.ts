import { userInfo } from 'node:os';

/** Who attests a check with `apply --check`: the CI's user who started the run, else the OS user. */
export function attester(env: Record<string, string | undefined>): string {
  for (const name of ['GITHUB_ACTOR', 'GITLAB_USER_LOGIN'] as const) {
    const value = env[name]?.trim();
    // Printed and journalled: only the characters a login has.
    if (value) return `${value.replace(/[^\w.@[\]-]/g, '?')} (${name})`;
  }
  try {
    return `${userInfo().username} (OS user)`;
  } catch {
    // No passwd entry for this uid (a container's arbitrary user): still say it was not CI.
    return 'an unnamed OS user';
  }
}
