import type { Plan } from '../plan/types.js';
import { git } from '../state/git/run-git.js';
import type { ApprovalRecord } from './approval-record.js';
import { approversIn, withApprovers } from './approved-by.js';
import { fetchIfMissing, remoteRefs } from './git-write.js';
import { repoPath } from './verify-preconditions.js';

/** Where an earlier run's approvers were read from, for the line apply prints. */
export interface EarlierSigner {
  readonly approval: ApprovalRecord;
  readonly ref: string;
  readonly sha: string;
  readonly remote: string;
}

/**
 * The approvers an earlier apply of this plan wrote into what it pushed, for a run that has
 * no journal of it: a CI job runs apply in a fresh clone each time, so after a run that was
 * killed or stopped at a gate, the next one finds only the remote. Each ref the plan pushes
 * is asked where the push remote has it; a commit or tag there that names approvers of this
 * pull request in Approved-by trailers is taken only when the plan signed with exactly
 * those approvers makes that very object (same id). Then every run writes the commits the
 * first one pushed, whoever approved since; otherwise (nothing pushed yet, or what is
 * there is no such object) there is none, and this run's approvers sign.
 */
export async function earlierSigner(plan: Plan, approval: ApprovalRecord, repos: Readonly<Record<string, string>>, options: { readonly fetch: boolean }): Promise<EarlierSigner | undefined> {
  const signedNow = withApprovers(plan, approval);
  if (signedNow.signed.size === 0) return undefined;
  for (const push of signedNow.plan.actions) {
    if (push.kind !== 'push') continue;
    const repo = repoPath(repos, push.repo);
    // No answer is no earlier run to follow: the push itself then reports the remote.
    const there = await remoteRefs(repo, push.url, push.refs.map((r) => r.ref));
    for (const { ref, sha } of push.refs) {
      const found = there?.get(ref);
      // As this run would push it: this run's approvers are the first run's.
      if (found === sha) return undefined;
      if (found === undefined) continue;
      // A dry run writes nothing, objects included; a fetch that fails leaves this run's approvers to sign, and the push to report the remote.
      if (options.fetch) await fetchIfMissing(repo, push.url, ref, found).catch(() => undefined);
      const object = await git(repo, ['cat-file', '-p', found], { okCodes: [128] });
      const approvers = object.code === 0 ? approversIn(object.stdout, approval.pullRequest) : [];
      if (approvers.length === 0) continue;
      const candidate: ApprovalRecord = { ...approval, approvers };
      const made = withApprovers(plan, candidate).plan.actions.find((a) => a.id === push.id);
      if (made?.kind === 'push' && made.refs.some((r) => r.ref === ref && r.sha === found)) return { approval: candidate, ref, sha: found, remote: push.remote };
    }
  }
  return undefined;
}
