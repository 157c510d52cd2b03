import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { parseImageRef } from '../patch/image-ref.js';
import type { Plan, Precondition } from '../plan/types.js';
import type { ClusterState } from '../state/types.js';
import { git } from '../state/git/run-git.js';
import { resolveRevisions, verifyRevision } from '../state/git/resolve-revisions.js';
import { FETCH_WHOLE_HISTORY, isAncestor, isShallow } from '../state/git/read.js';
import { VERSION } from '../version.js';
import { refEffect, refKey } from './ref-effects.js';
import { pushUrls, rewrittenTo } from '../state/git/push-remote.js';
import { remoteRefs } from './git-write.js';
import { shellWord } from '../plan/shell-word.js';
import { pullRequestBaseRefs } from '../plan/pull-request-base.js';
import { rederivedBranch, trackedRefOf } from '../plan/rederive-rule.js';
import { awaitsOwnCommits } from './rederive.js';
import { remembered } from '../state/remembered.js';

export interface Facts {
  /** Where each repository is on this machine: the plan's bindings, or --repo overrides. */
  readonly repos: Readonly<Record<string, string>>;
  /** Where the policy is on this machine: the plan's path from here, or --policy. */
  readonly policyFile: string;
  /** Reads the running image of an environment, when the plan relies on it. */
  readonly cluster: (environment: string) => Promise<ClusterState | undefined>;
}

/**
 * Re-checks every fact the plan relies on; returns one finding per fact that changed. A ref
 * may also hold a value this plan's own actions give it (an earlier apply got that far).
 */
export async function verifyPreconditions(plan: Plan, facts: Facts, planned: ReadonlyMap<string, ReadonlySet<string>> = new Map()): Promise<Diagnostic[]> {
  const failures: Diagnostic[] = [];
  const preconditions = withPushTargets(plan);
  const found = await objectsNamed(preconditions, facts);
  // The running image is read where the policy says (its cluster section): only once the
  // policy is known to be the plan's, so the policy is checked first.
  const ordered = [...preconditions.filter((p) => p.kind === 'policy'), ...preconditions.filter((p) => p.kind !== 'policy')];
  let policyDiffers = false;
  const cutOff = new Set<string>();
  for (const precondition of ordered) {
    if (precondition.kind === 'running-image' && policyDiffers) continue;
    if (precondition.kind === 'blob' && !found.get(revisionKey(precondition)) && (await notInShallowClone(repoPath(facts.repos, precondition.repo), precondition.commit))) {
      // Said once per repository: every later commit the plan reads there is cut off the same way.
      if (!cutOff.has(precondition.repo)) failures.push(diagnostic('HF392', `${precondition.repo}: ${repoPath(facts.repos, precondition.repo)} is a shallow clone without ${precondition.commit.slice(0, 7)}, the commit the plan read ${precondition.path} from, so apply cannot check that the plan still holds; nothing was written. Fetch the whole history there (${FETCH_WHOLE_HISTORY}) and run apply again`));
      cutOff.add(precondition.repo);
      continue;
    }
    const problem =
      precondition.kind === 'ref' ? await refProblem(plan, precondition, found.get(revisionKey(precondition)) ?? null, planned, facts)
      : precondition.kind === 'blob' ? checkBlob(precondition, found.get(revisionKey(precondition)) ?? null)
      : await check(plan, precondition, facts);
    if (problem) failures.push(diagnostic('HF404', problem));
    if (problem && precondition.kind === 'policy') policyDiffers = true;
  }
  return [...failures, ...(await symbolicRefs(plan, facts))];
}

/** A commit a shallow clone (CI's default checkout) has cut off: the clone is shallow and lacks it. */
async function notInShallowClone(repo: string, commit: string): Promise<boolean> {
  return (await isShallow(repo)) && (await verifyRevision(repo, `${commit}^{commit}`)) === undefined;
}

type Named = Extract<Precondition, { kind: 'ref' | 'blob' }>;

/** What a ref or blob precondition names in its repository, as rev-parse would resolve it. */
const revisionOf = (p: Named) => (p.kind === 'ref' ? refRevision(p.ref) : `${p.commit}:${p.path}`);
const revisionKey = (p: Named) => `${p.repo}\0${revisionOf(p)}`;

/**
 * The objects every ref and blob precondition names now, keyed by revisionKey: one git per
 * repository for all of them instead of one per precondition.
 */
async function objectsNamed(preconditions: readonly Precondition[], facts: Facts): Promise<Map<string, string | undefined>> {
  const byRepo = new Map<string, { path: string; refs: Set<string>; blobs: Set<string> }>();
  for (const p of preconditions) {
    if (!('repo' in p)) continue;
    // An unbound repository is refused here, as the first precondition naming it would be.
    const path = repoPath(facts.repos, p.repo);
    const entry = byRepo.get(p.repo) ?? { path, refs: new Set<string>(), blobs: new Set<string>() };
    byRepo.set(p.repo, entry);
    if (p.kind === 'ref' || p.kind === 'blob') (p.kind === 'ref' ? entry.refs : entry.blobs).add(revisionOf(p));
  }
  const found = new Map<string, string | undefined>();
  for (const [repo, { path, refs, blobs }] of byRepo) {
    const revisions = [...refs, ...blobs];
    if (revisions.length === 0) continue;
    // A blob precondition's commit may be gone (exit 128): that is a missing blob, not a failure.
    const answers = await resolveRevisions(path, revisions, (revision) => (blobs.has(revision) ? [1, 128] : [1]));
    revisions.forEach((revision, index) => found.set(`${repo}\0${revision}`, answers[index]));
  }
  return found;
}

/**
 * The plan's preconditions, and for each push the URL it goes to as a `remote` fact of its
 * own: a plan whose push names another URL than its precondition still pushes only where
 * the remote resolves now.
 */
function withPushTargets(plan: Plan): Precondition[] {
  const pushes = plan.actions.flatMap((a): Precondition[] => (a.kind === 'push' ? [{ kind: 'remote', repo: a.repo, remote: a.remote, url: a.url }] : []));
  return [...new Map([...plan.preconditions, ...pushes].map((p) => [JSON.stringify(p), p])).values()];
}

/**
 * A ref the plan moves must be a ref of its own, not a symbolic ref: git would move the
 * branch it points to (HEAD, or an alias of a checked-out branch), which the plan never
 * names; a dangling one would create that branch.
 */
async function symbolicRefs(plan: Plan, facts: Facts): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const action of plan.actions) {
    const effect = refEffect(action);
    if (!effect || seen.has(refKey(effect.repo, effect.ref))) continue;
    seen.add(refKey(effect.repo, effect.ref));
    const target = await symbolicTarget(repoPath(facts.repos, effect.repo), effect.ref);
    if (target !== undefined) out.push(diagnostic('HF420', `${effect.repo}: ${effect.ref} is a symbolic ref to ${target}; apply moves only the refs the plan names, never the one a symbolic ref points to. Delete it (git symbolic-ref --delete ${effect.ref}) or make the plan again`));
  }
  return out;
}

/** What a symbolic ref points to, or undefined for a plain ref or none. */
async function symbolicTarget(repo: string, ref: string): Promise<string | undefined> {
  const result = await git(repo, ['symbolic-ref', '--quiet', '--', ref], { okCodes: [1, 128] });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/**
 * A ref's problem, where a hotfix pull request's base may have moved on (git.via pull-request): the
 * plan only pushes a branch for review into it, which the forge merges onto whatever head the
 * base has then, so a base the plan never writes may be any descendant of what it found.
 */
async function refProblem(plan: Plan, p: Extract<Precondition, { kind: 'ref' }>, now: string | null, planned: ReadonlyMap<string, ReadonlySet<string>>, facts: Facts): Promise<string | undefined> {
  const problem = checkRef(p, now, planned);
  if (problem && now === null && p.sha !== null && p.ref.startsWith('refs/heads/')) return `${problem}${await onlyTracked(repoPath(facts.repos, p.repo), p.ref.slice('refs/heads/'.length), p.sha)}`;
  if (!problem || now === null || p.sha === null) return problem;
  if (followedTrackedRef(plan, p, now) || (await awaitingMerge(plan, p, now, facts))) return undefined;
  // A rollback's revert may be wrong or empty on a moved base: only a hotfix's pull requests take this.
  const base = plan.request.kind === 'hotfix' && plan.actions.some((a) => a.kind === 'open-pull-request' && a.repo === p.repo && pullRequestBaseRefs(plan, p.repo, a.base).includes(p.ref));
  const written = plan.actions.some((a) => refEffect(a)?.repo === p.repo && refEffect(a)?.ref === p.ref);
  if (!base || written) return problem;
  // A sealed id that names no commit here (an edited plan) is the ref's problem, as without this rule.
  return (await isAncestor(repoPath(facts.repos, p.repo), p.sha, now).catch(() => false)) ? undefined : problem;
}

/**
 * What to do about a branch the plan found here and this clone has only as a remote-tracking
 * branch: a CI job whose checkout differs from the plan job's (the plan job checked out prd,
 * the apply job the default branch). Apply never makes a branch the plan does not make, so
 * the person makes it; the plan's rule takes it from there if it has moved. Empty if none.
 */
async function onlyTracked(repo: string, branch: string, planned: string): Promise<string> {
  const { stdout } = await git(repo, ['for-each-ref', '--format=%(refname:strip=2)%00%(objectname)', '--', `refs/remotes/*/${branch}`]);
  const [tracked, sha] = stdout.split('\n').find(Boolean)?.split('\0') ?? [];
  if (!tracked || !sha) return '';
  const where = sha === planned ? 'where the plan found it' : `the plan found it at ${planned.slice(0, 7)}`;
  return `: this clone has ${branch} only as ${tracked} (at ${sha.slice(0, 7)}, ${where}). Make the local branch there and run apply again (git branch ${shellWord(branch)} ${shellWord(tracked)}), or check ${branch} out in this job as in the plan's (actions/checkout with ref: ${branch})`;
}

/**
 * A remote-tracking branch (origin/prd) the plan makes its local branch at, which moved in a
 * clone made or fetched since the plan, where apply made the commit on that branch again at
 * its new head by the plan's rule (moved-branches.ts): the plan as carried out starts there.
 */
function followedTrackedRef(plan: Plan, p: Extract<Precondition, { kind: 'ref' }>, now: string): boolean {
  return p.ref.startsWith('refs/remotes/') && plan.actions.some((a) => (a.kind === 'commit' || a.kind === 'merge') && a.rederive !== undefined && a.repo === p.repo && (a.kind === 'commit' ? a.parent : a.parents[0]) === now && pullRequestBaseRefs(plan, a.repo, rederivedBranch(a)).includes(p.ref));
}

/**
 * The branch a merge-back goes into (or a fresh clone's origin/<branch> the plan makes it
 * from), moved on (to a descendant) before apply made the hotfix commits the merge brings in:
 * the rehearsal judges the merge there by the plan's rule, where it makes those commits, and
 * refuses it (HF417) before anything is written; apply makes it again when it reaches it.
 */
async function awaitingMerge(plan: Plan, p: Extract<Precondition, { kind: 'ref' }>, now: string, facts: Facts): Promise<boolean> {
  const merge = plan.actions.find((a): a is Extract<typeof a, { kind: 'merge' }> => a.kind === 'merge' && a.rederive !== undefined && a.repo === p.repo && a.parents[0] === p.sha && (trackedRefOf(plan, a) === p.ref || `refs/heads/${a.into}` === p.ref));
  if (!merge) return false;
  const repo = repoPath(facts.repos, p.repo);
  return (await awaitsOwnCommits(merge, repo)) && (await isAncestor(repo, p.sha!, now).catch(() => false));
}

/** A ref is where the plan found it, or at a value the plan's own actions give it. */
function checkRef(p: Extract<Precondition, { kind: 'ref' }>, now: string | null, planned: ReadonlyMap<string, ReadonlySet<string>>): string | undefined {
  if (now === p.sha || (now !== null && planned.get(refKey(p.repo, p.ref))?.has(now))) return undefined;
  if (p.sha === null) return `${p.repo}: ${p.ref} exists now (at ${now!.slice(0, 7)}); the plan would create it`;
  return `${p.repo}: ${p.ref} moved from ${p.sha.slice(0, 7)} to ${now === null ? '(deleted)' : now.slice(0, 7)}`;
}

function checkBlob(p: Extract<Precondition, { kind: 'blob' }>, now: string | null): string | undefined {
  return now === p.blob ? undefined : `${p.repo}: ${p.path} at ${p.commit.slice(0, 7)} is ${now ? `blob ${now.slice(0, 7)}` : 'missing'}, not ${p.blob.slice(0, 7)}`;
}

async function check(plan: Plan, p: Exclude<Precondition, { kind: 'ref' | 'blob' }>, facts: Facts): Promise<string | undefined> {
  switch (p.kind) {
    case 'running-image': {
      const cluster = await facts.cluster(p.environment);
      if (!cluster) return `the running image of ${p.environment} could not be read to check it is still ${p.image}`;
      const same = parseImageRef(cluster.image).tag === parseImageRef(p.image).tag && cluster.image === p.image && (p.digest === undefined || cluster.digest === p.digest);
      return same ? undefined : `${p.environment} now runs ${cluster.image}${cluster.digest ? `@${cluster.digest}` : ''}, not ${p.image}${p.digest ? `@${p.digest}` : ''}`;
    }
    case 'policy': {
      // A device or a FIFO named by an edited plan would never end: only a regular file is read.
      const file = facts.policyFile;
      const regular = await stat(file).then((info) => info.isFile()).catch(() => false);
      const bytes = regular ? await readFile(file).catch(() => undefined) : undefined;
      if (!bytes) return `the policy ${file} is gone or is not a regular file; bind it with --policy FILE`;
      const now = createHash('sha256').update(bytes).digest('hex');
      return now === p.sha256 ? undefined : `the policy ${file} is not the one the plan was made from (its sha256 differs); pass the plan's policy with --policy FILE`;
    }
    case 'remote':
      return remoteProblem(p.repo, repoPath(facts.repos, p.repo), p.remote, p.url);
    case 'remote-ref':
      return remoteRefProblem(plan, p, repoPath(facts.repos, p.repo));
    case 'tool':
      return p.version === VERSION ? undefined : `the plan was made by hotfix ${p.version}; this is ${VERSION}`;
  }
}

/** remoteProblem's answers, for the life of the process: apply asks before it reads the remote (earlier-signer.ts) and again with every precondition. */
const remoteAnswers = new Map<string, Promise<string | undefined>>();

/** Whether the repository's remote still pushes exactly to the plan's URL, and nothing rewrites it there; else what changed. */
export function remoteProblem(name: string, repo: string, remote: string, url: string): Promise<string | undefined> {
  return remembered(remoteAnswers, JSON.stringify([name, repo, remote, url]), () => askRemote(name, repo, remote, url));
}

async function askRemote(name: string, repo: string, remote: string, url: string): Promise<string | undefined> {
  const urls = await pushUrls(repo, remote);
  if (urls.length === 1 && urls[0] === url) {
    const again = await rewrittenTo(repo, url);
    return again.length === 0 ? undefined : `${name}: a url.<base>.insteadOf or pushInsteadOf rule now rewrites ${url} to ${again.join(', ')}; the plan pushes to ${url}`;
  }
  return urls.length === 0 ? `${name}: remote ${remote} is not configured any more; the plan pushes to ${url}` : `${name}: remote ${remote} now pushes to ${urls.join(', ')}, not ${url} as the plan shows`;
}

/** A branch on the remote is where the plan found it, or at the value the plan's own push gives it (an earlier apply got that far). */
async function remoteRefProblem(plan: Plan, p: Extract<Precondition, { kind: 'remote-ref' }>, repo: string): Promise<string | undefined> {
  const remote = await remoteRefs(repo, p.url, [p.ref]);
  if (!remote) return `${p.repo}: ${p.url} could not be asked where ${p.ref} is (git ls-remote failed); retry once it answers`;
  const now = remote.get(p.ref) ?? null;
  const pushed = plan.actions.some((a) => a.kind === 'push' && a.repo === p.repo && a.url === p.url && a.refs.some((r) => r.ref === p.ref && r.sha === now));
  if (now === p.sha || pushed) return undefined;
  if (p.sha === null) return `${p.repo}: ${p.ref} exists on ${p.url} now (at ${now!.slice(0, 7)}); the plan pushes it there as a new branch for review`;
  return `${p.repo}: ${p.ref} on ${p.url} moved from ${p.sha.slice(0, 7)} to ${now === null ? '(deleted)' : now.slice(0, 7)}`;
}

/** What a ref points at: a commit, or an annotated tag object for tags. */
export async function refValue(repo: string, ref: string): Promise<string | undefined> {
  return verifyRevision(repo, refRevision(ref));
}

/** refValue of several refs of one repository, with one git. */
export async function refValues(repo: string, refs: readonly string[]): Promise<Map<string, string | undefined>> {
  const values = await resolveRevisions(repo, refs.map(refRevision));
  return new Map(refs.map((ref, index) => [ref, values[index]]));
}

const refRevision = (ref: string) => (ref.startsWith('refs/tags/') ? ref : `${ref}^{commit}`);

export function repoPath(repos: Readonly<Record<string, string>>, name: string): string {
  const path = Object.hasOwn(repos, name) ? repos[name] : undefined;
  if (path === undefined) throw new HotfixError([diagnostic('HF200', `the plan names repository "${name}"; bind it with --repo ${name}=PATH`)]);
  return path;
}
