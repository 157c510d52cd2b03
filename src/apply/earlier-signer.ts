import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { Plan } from '../plan/types.js';
import { git } from '../state/git/run-git.js';
import type { ApprovalRecord } from './approval-record.js';
import { approversIn, withApprovers } from './approved-by.js';
import { fetchIfMissing, remoteRefs } from './git-write.js';
import type { Journal } from './journal.js';
import { remoteProblem, repoPath } from './verify-preconditions.js';

/** Where an earlier run's approvers were read from, for the line apply prints. */
export interface EarlierSigner {
  readonly approval: ApprovalRecord;
  readonly ref: string;
  readonly sha: string;
  readonly remote: string;
}

/**
 * The approval whose approvers the commits apply makes carry: the one the journal marks as
 * signing (the first recorded before anything was written), else, with nothing done yet,
 * what an earlier run pushed says (`earlier`), else this run's. A journal signed on another
 * pull request than this run checked is HF525.
 */
export async function signingApproval(plan: Plan, journal: Journal, approval: ApprovalRecord | undefined, repos: Readonly<Record<string, string>>, options: { readonly fetch: boolean }): Promise<{ readonly signing: ApprovalRecord | undefined; readonly earlier?: EarlierSigner }> {
  const signer = journal.signer;
  if (signer && approval && signer.pullRequest !== approval.pullRequest)
    throw new HotfixError([diagnostic('HF525', `this plan's journal says an earlier apply wrote it approved on ${signer.pullRequest}, and its commits carry those approvers; this run checked ${approval.pullRequest}. Nothing was written: run apply again with --pr ${signer.pullRequest}`)]);
  if (signer || journal.done.size > 0 || !approval) return { signing: signer };
  const earlier = await earlierSigner(plan, approval, repos, options);
  return earlier ? { signing: earlier.approval, earlier } : { signing: approval };
}

/** As approvedByTrailers bounds them: a longer list is no commit apply writes. */
const MAX_APPROVERS = 50;

/**
 * The approvers an earlier apply of this plan wrote into what it pushed, for a run that has
 * no journal of it: a CI job runs apply in a fresh clone each time, so after a run that was
 * killed or stopped at a gate, the next one finds only the remote. Each ref the plan pushes
 * and signing changes is asked where the push remote has it; a commit or tag there that
 * names approvers of this pull request in Approved-by trailers, and that the plan signed
 * with exactly them makes (same id), was made by this plan. It is followed only when those
 * approvers approve the pull request now, as many as it requires (this run's approval, just
 * checked on the forge): the id proves which plan made the object, not who approved it, and
 * anyone who can push could have run the plan against a forge of their own (HF526 then).
 * Otherwise (nothing pushed yet, or no such object there) there is none, and this run's
 * approvers sign. Only a URL the repository's remote still pushes to is asked, and fetched
 * from: one that moved is the precondition check's to refuse, before anything is written.
 */
async function earlierSigner(plan: Plan, approval: ApprovalRecord, repos: Readonly<Record<string, string>>, options: { readonly fetch: boolean }): Promise<EarlierSigner | undefined> {
  const signedNow = withApprovers(plan, approval);
  if (signedNow.signed.size === 0) return undefined;
  const unsigned = new Map(plan.actions.flatMap((a) => (a.kind === 'push' ? a.refs.map((r) => [`${a.id}\0${r.ref}`, r.sha] as const) : [])));
  for (const push of signedNow.plan.actions) {
    if (push.kind !== 'push') continue;
    const repo = repoPath(repos, push.repo);
    // Only refs whose value the approvers change can tell whose approvers an earlier run wrote (a hotfix's picks cannot).
    const telling = push.refs.filter((r) => unsigned.get(`${push.id}\0${r.ref}`) !== r.sha);
    if (telling.length === 0) continue;
    // A URL the remote no longer pushes to is not asked at all: the precondition check refuses it.
    if ((await remoteProblem(push.repo, repo, push.remote, push.url)) !== undefined) continue;
    // No answer is no earlier run to follow: the push itself then reports the remote.
    const there = await remoteRefs(repo, push.url, telling.map((r) => r.ref));
    for (const { ref, sha } of telling) {
      const found = there?.get(ref);
      // As this run would push it: this run's approvers are the first run's.
      if (found === sha) return undefined;
      if (found === undefined) continue;
      // A dry run writes nothing, objects included; a fetch that fails leaves this run's approvers to sign, and the push to report the remote.
      if (options.fetch) await fetchIfMissing(repo, push.url, ref, found).catch(() => undefined);
      const object = await git(repo, ['cat-file', '-p', found], { okCodes: [128] });
      const approvers = object.code === 0 ? approversIn(object.stdout, approval.pullRequest) : [];
      if (approvers.length === 0 || approvers.length > MAX_APPROVERS) continue;
      const candidate: ApprovalRecord = { ...approval, approvers };
      const made = withApprovers(plan, candidate).plan.actions.find((a) => a.id === push.id);
      if (made?.kind !== 'push' || !made.refs.some((r) => r.ref === ref && r.sha === found)) continue;
      const absent = approvers.filter((login) => !approval.approvers.includes(login));
      if (absent.length > 0 || approvers.length < approval.required)
        throw new HotfixError([
          diagnostic(
            'HF526',
            `${push.remote} has ${ref} at ${found.slice(0, 7)}, made by an earlier apply of this plan with Approved-by: ${approvers.join(', ')} (${approval.pullRequest}), but ${absent.length > 0 ? `${absent.join(', ')} ${absent.length === 1 ? 'does' : 'do'} not approve ${approval.pullRequest} now` : `that is fewer than the ${approval.required} approvals it requires`} (it has ${approval.approvers.join(', ')}); nothing was written. Find out who pushed it: if no apply of yours did, delete ${ref} on ${push.remote} and run apply again; if an approval was withdrawn since, have it given again`,
          ),
        ]);
      return { approval: candidate, ref, sha: found, remote: push.remote };
    }
  }
  return undefined;
}
