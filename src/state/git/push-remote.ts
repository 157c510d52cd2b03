import type { Policy } from '../../policy/types.js';
import type { PushRemote } from '../types.js';
import { git } from './run-git.js';

/**
 * Where `git push NAME` would send objects: the remote's push URLs as git resolves them
 * (pushurl, else url, with the insteadOf rules applied). None when no remote has that
 * name: git would then take the name as a path, which hotfix never pushes to.
 */
export async function pushUrls(repo: string, remote: string): Promise<string[]> {
  const result = await git(repo, ['remote', 'get-url', '--push', '--all', '--', remote], { okCodes: [2] });
  return result.code === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/** The remote the policy pushes to, as facts for the planner; undefined when it does not push. */
export async function readPushRemote(repo: string, policy: Policy): Promise<PushRemote | undefined> {
  if (!policy.spec.git?.push) return undefined;
  return { name: policy.spec.git.remote, urls: await pushUrls(repo, policy.spec.git.remote) };
}
