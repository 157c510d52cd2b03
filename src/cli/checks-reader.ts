import type { CheckReport, ChecksReaderCommand } from '../forge/check-reports.js';
import type { ChecksSource } from '../policy/types.js';
import { gitHubAccess, gitLabAccess, type ForgeAccessOptions } from './forge-access.js';

/** How apply (or status --forge) reads a commit's checks from the policy's forge, with the token and address the command line and environment give. */
export async function checksReader(forge: ChecksSource['forge'], options: ForgeAccessOptions, env: Record<string, string | undefined>, reader: ChecksReaderCommand = 'apply'): Promise<(source: ChecksSource, sha: string) => Promise<CheckReport[]>> {
  if (forge === 'github') {
    const access = gitHubAccess(options, env);
    return (await import('../forge/github-checks.js')).gitHubChecksReader(access, reader);
  }
  const access = gitLabAccess(options, env);
  return (await import('../forge/gitlab-checks.js')).gitLabChecksReader(access, reader);
}
