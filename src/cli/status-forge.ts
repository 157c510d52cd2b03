import { HotfixError } from '../diagnostics/errors.js';
import { checkState, latestByName, type CheckReport, type CheckState } from '../forge/check-reports.js';
import type { ReviewRequestState, ReviewRequestStateReader } from '../forge/review-request-state.js';
import type { ChecksSource } from '../policy/types.js';
import { checksReader } from './checks-reader.js';
import { gitHubAccess, gitLabAccess, type ForgeAccessOptions } from './forge-access.js';
import type { JournalStatus } from './status-journal.js';

type Env = Record<string, string | undefined>;
type Forge = 'github' | 'gitlab';

/** Why the forge's answer for one record is not shown: its words, and the finding's code. */
export interface NotRead {
  readonly notRead: string;
  readonly code: string;
}

/** What the forge says now of the journal's pull requests and waiting gates; `notAsked` says once per forge why it was not asked. */
export interface ForgeStatus {
  readonly pullRequests: ReadonlyMap<string, { readonly state: ReviewRequestState } | NotRead>;
  readonly gates: ReadonlyMap<string, { readonly checks: readonly CheckState[] } | NotRead>;
  readonly notAsked: readonly string[];
}

/** The key a gate's answer is kept under. */
export const gateKey = (g: { readonly plan: string; readonly action: string }) => `${g.plan}\0${g.action}`;

/**
 * Asks each forge the journal names: GitHub pulls.get, GitLab MergeRequests.show for each
 * pull request; for each waiting gate, its checks on the hotfix head as the gate reads them
 * (the same reader). A forge without a token is not asked, and said once; a call that fails
 * is said for that record, in the forge's words, with its code (HF523 for a pull request; the
 * gate's own HF513 or HF514 for checks). One client per forge serves every record, so a
 * fleet's journals are asked in one call: one request per pull request, one read of the
 * checks per repository and head however many gates wait on it.
 */
export async function askForge(journal: JournalStatus, options: ForgeAccessOptions, env: Env): Promise<ForgeStatus> {
  const notAsked = new Map<Forge, string>();
  /** The forge's access, or undefined (and why, once) where there is none. */
  const access = <T>(forge: Forge, make: () => T): T | undefined => {
    if (notAsked.has(forge)) return undefined;
    try {
      return make();
    } catch (error) {
      if (!(error instanceof HotfixError)) throw error;
      notAsked.set(forge, `${forge === 'github' ? 'GitHub' : 'GitLab'} not asked: ${error.diagnostics[0]!.message} [${error.diagnostics[0]!.code}]`);
      return undefined;
    }
  };
  const github = { ...options, forgeUrl: undefined };
  const gitlab = { ...options, apiUrl: undefined };
  const makeStateReader = async (forge: Forge, origin: string | undefined): Promise<ReviewRequestStateReader | undefined> => {
    const { gitHubReviewRequestState, gitLabReviewRequestState } = await import('../forge/review-request-state.js');
    if (forge === 'github') {
      const made = access(forge, () => gitHubAccess(github, env));
      return made && gitHubReviewRequestState(made);
    }
    const made = access(forge, () => gitLabAccess(gitlab, env, origin));
    return made && gitLabReviewRequestState(made);
  };
  const readers = new Map<string, ReviewRequestStateReader | undefined>();
  const stateReader = async (forge: Forge, origin: string | undefined): Promise<ReviewRequestStateReader | undefined> => {
    // One GitHub (its API is the command line's or the environment's); a GitLab per instance the journal names.
    const key = forge === 'github' ? forge : `${forge} ${origin}`;
    if (!readers.has(key)) readers.set(key, await makeStateReader(forge, origin));
    return readers.get(key);
  };
  const pullRequests = new Map<string, { state: ReviewRequestState } | NotRead>();
  for (const r of journal.pullRequests) {
    const read = await stateReader(r.forge, originOf(r.url));
    if (!read) continue;
    try {
      pullRequests.set(r.url, { state: await read(r.repository, r.number) });
    } catch (error) {
      pullRequests.set(r.url, { notRead: await said(r.forge, error), code: 'HF523' });
    }
  }
  const gates = new Map<string, { checks: CheckState[] } | NotRead>();
  const checkReaders = new Map<Forge, ((source: ChecksSource, sha: string) => Promise<CheckReport[]>) | undefined>();
  // Gates of several plans (a fleet's policies built from one repository) may wait on the same head: read once.
  const reports = new Map<string, Promise<CheckReport[]>>();
  for (const g of journal.gates) {
    const forge = g.checksFrom.forge;
    if (!checkReaders.has(forge)) checkReaders.set(forge, access(forge, () => (forge === 'github' ? gitHubAccess(github, env) : gitLabAccess(gitlab, env))) && (await checksReader(forge, forge === 'github' ? github : gitlab, env, 'status')));
    const read = checkReaders.get(forge);
    if (!read) continue;
    const key = JSON.stringify([forge, g.checksFrom.repository, g.checksFrom.appId ?? null, g.revision]);
    if (!reports.has(key)) reports.set(key, read(g.checksFrom, g.revision));
    try {
      const latest = latestByName(await reports.get(key)!);
      gates.set(gateKey(g), { checks: g.checks.map((name) => checkState(name, latest)) });
    } catch (error) {
      const found = error instanceof HotfixError ? error.diagnostics[0] : undefined;
      gates.set(gateKey(g), found ? { notRead: found.message, code: found.code } : { notRead: await said(forge, error), code: 'HF514' });
    }
  }
  return { pullRequests, gates, notAsked: [...notAsked.values()] };
}

/** The instance a journalled URL names; none where the journal holds no valid URL (it is a file anyone may edit). */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

async function said(forge: Forge, error: unknown): Promise<string> {
  if (forge === 'github') return (await import('../forge/github-pull-requests.js')).gitHubSaid(error);
  return (await import('../forge/gitlab-merge-requests.js')).gitLabSaid(error);
}
