import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import type { Policy } from '../../policy/types.js';
import { reviewsAnything } from '../../policy/via.js';
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

/** A remote defined only on the command line, to ask git what it makes of a URL. */
const PROBE = 'hotfix-url-check';

/**
 * Where git sends a push and an ls-remote given `url` itself, when that is elsewhere:
 * git rewrites a URL on the command line with url.<base>.pushInsteadOf and insteadOf as it
 * rewrites a remote's, once. A plan records where `git push REMOTE` goes and apply pushes
 * to that URL, so no rule may rewrite it again (a rule that chains on the first, or one
 * added since the plan). Asked of git through a remote defined with `-c`: `git remote -v`
 * lists its URL and push URL as git resolves them (`remote get-url` knows only remotes
 * of config files).
 */
export async function rewrittenTo(repo: string, url: string): Promise<string[]> {
  const { stdout } = await git(repo, ['remote', '-v'], { config: [`remote.${PROBE}.url=${url}`] });
  const resolved = stdout.split('\n').filter((line) => line.startsWith(`${PROBE}\t`)).map((line) => line.slice(PROBE.length + 1).replace(/ \((fetch|push)\)$/, ''));
  return [...new Set(resolved)].filter((to) => to !== url);
}

/**
 * Every remote of the repository, each with its push URLs as git resolves them: one
 * `git remote -v`, whose (push) lines are what `remote get-url --push --all` gives, an
 * empty URL none (`name\t (push)`), a remote without any a line of its own (`name\t`). A
 * remote name cannot hold a tab or a line break (git refuses them in a ref name), so a
 * line splits at its first tab; a URL with a line break breaks that shape, and then
 * undefined: the caller asks as before, one question per answer.
 */
async function remotesWithPushUrls(repo: string): Promise<Map<string, string[]> | undefined> {
  const { stdout } = await git(repo, ['remote', '-v']);
  const remotes = new Map<string, string[]>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const tab = line.indexOf('\t');
    const kind = / \((fetch|push)\)$/.exec(line);
    if (tab < 0 || (kind === null && line.length > tab + 1)) return undefined;
    const urls = remotes.get(line.slice(0, tab)) ?? [];
    remotes.set(line.slice(0, tab), urls);
    if (kind?.[1] === 'push' && kind.index > tab + 1) urls.push(line.slice(tab + 1, kind.index));
  }
  return remotes;
}

/** The repository's remote names, and the remote the policy pushes to as facts for the planner (undefined when it does not push). */
export async function readRemotes(repo: string, policy: Policy): Promise<{ readonly names: string[]; readonly push: PushRemote | undefined }> {
  const remote = policy.spec.git?.push ? policy.spec.git.remote : undefined;
  const remotes = await remotesWithPushUrls(repo);
  const names = remotes ? [...remotes.keys()] : (await git(repo, ['remote'])).stdout.split('\n').filter(Boolean);
  if (remote === undefined) return { names, push: undefined };
  return { names, push: await pushRemoteOf(repo, policy, remote, remotes ? (remotes.get(remote) ?? []) : await pushUrls(repo, remote)) };
}

async function pushRemoteOf(repo: string, policy: Policy, remote: string, urls: readonly string[]): Promise<PushRemote> {
  const again = urls.length === 1 ? await rewrittenTo(repo, urls[0]!) : [];
  if (again.length > 0)
    throw new HotfixError([diagnostic('HF226', `${repo}: remote ${remote} pushes to ${urls[0]}, which the url.<base>.insteadOf or pushInsteadOf rules of git's config rewrite again to ${again.join(', ')} when it is pushed to; hotfix pushes exactly to the URL it shows`)]);
  // A branch pushed for review must be new on the remote as well: the plan checks it there.
  const branches = urls.length === 1 && reviewsAnything(policy) ? await remoteBranches(repo, urls[0]!) : undefined;
  return { name: remote, urls: [...urls], ...(branches ? { branches } : {}) };
}

/** The remote's branches, by their short name, and their tips. */
async function remoteBranches(repo: string, url: string): Promise<Record<string, string>> {
  const { stdout } = await git(repo, ['ls-remote', '--heads', '--end-of-options', url], { network: true });
  return Object.fromEntries(
    stdout.split('\n').flatMap((line) => {
      const [sha, ref] = line.split('\t');
      return sha && ref?.startsWith('refs/heads/') ? [[ref.slice('refs/heads/'.length), sha]] : [];
    }),
  );
}
