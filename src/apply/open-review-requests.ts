import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { reviewRequestContent, type PullRequestAction } from '../forge/review-request-content.js';
import type { ReviewRequestForge } from '../forge/review-requests.js';
import type { Plan } from '../plan/types.js';
import type { ApprovalRecord } from './approval-record.js';
import { pullRequestWithTags } from './gate-tag.js';
import { Journal } from './journal.js';
import { RepoLocks } from './lock.js';
import { waitingForLock, type LockWait } from './wait-for-lock.js';
import type { ReviewRequestRecord } from './review-request-record.js';
import { repoPath } from './verify-preconditions.js';

/** Where one pull request of the plan goes: chosen before apply writes anything. */
export interface ReviewRequestTarget {
  readonly action: PullRequestAction;
  readonly forge: 'github' | 'gitlab';
  readonly repository: string;
  readonly client: ReviewRequestForge;
  /** The forge's words for a failed call, one line (never the request, so never the token). */
  readonly said: (error: unknown) => string;
}

export interface OpenReviewRequestsOptions {
  readonly repos: Readonly<Record<string, string>>;
  /** The policy's metadata.owners: the reviewers asked for. */
  readonly owners: readonly string[];
  readonly approval?: ApprovalRecord;
  readonly log: (line: string) => void;
  readonly now?: () => Date;
  /** apply --wait-lock: wait for another apply holding the locks here too. */
  readonly lockWait?: LockWait;
}

/** The pull requests of the plan whose head branch one of its pushes sends: those apply can open, once the push is done. */
export function pushedForReview(plan: Plan): PullRequestAction[] {
  const pushed = new Set(plan.actions.flatMap((a) => (a.kind === 'push' ? a.refs.map((r) => `${a.repo}\0${r.ref}`) : [])));
  return plan.actions.filter((a): a is PullRequestAction => a.kind === 'open-pull-request' && pushed.has(`${a.repo}\0refs/heads/${a.head}`));
}

/**
 * Opens (or finds open and updates) the pull request of each target, after apply pushed its
 * branch: each is printed and journalled as it is made, so a rerun finds the same ones. A
 * forge that fails loses nothing: the branch stays pushed, and the returned finding (HF518)
 * says which pull request is missing, the forge's words, and how to open it by hand.
 *
 * Apply released its locks when its git work ended; they are taken again here, and the
 * journal read under them, because the journal is rewritten whole: another apply of the plan
 * writing it meanwhile would lose its records or these, and two applies opening at once
 * would both find no pull request and create two. A live apply holding them is HF412
 * (with --wait-lock, once the wait is over).
 */
export async function openReviewRequests(plan: Plan, targets: readonly ReviewRequestTarget[], options: OpenReviewRequestsOptions): Promise<Diagnostic[]> {
  if (targets.length === 0) return [];
  const repos = [...new Set(plan.actions.flatMap((a) => ('repo' in a ? [repoPath(options.repos, a.repo)] : [])))];
  const locks = await waitingForLock(() => RepoLocks.acquire(repos, plan.id, false), options.lockWait, options.log);
  try {
    return await openEach(plan, targets, await Journal.open(repos[0]!, plan.id), options);
  } finally {
    await locks.release();
  }
}

async function openEach(plan: Plan, targets: readonly ReviewRequestTarget[], journal: Journal, options: OpenReviewRequestsOptions): Promise<Diagnostic[]> {
  const failures: Diagnostic[] = [];
  for (const target of targets) {
    const { client } = target;
    // The targets were chosen from the plan as reviewed; a tag a gate decided since is in the journal.
    const action = pullRequestWithTags(target.action, journal.gateTags);
    const content = reviewRequestContent(plan, action, options.owners, client.bodyLimit, options.approval);
    let opened;
    try {
      opened = await client.ensure(content);
    } catch (error) {
      const hand = client.byHand(content);
      failures.push(diagnostic('HF518', `${action.head} is pushed, but its pull request into ${action.base} could not be opened on ${client.where} (${target.said(error)}); open it by hand at ${hand.url} or with: ${hand.command}; or run hotfix apply again on the same plan, which finds the branch pushed and opens it`));
      continue;
    }
    const record: ReviewRequestRecord = { action: action.id, forge: target.forge, repository: target.repository, number: opened.number, url: opened.url, head: action.head, base: action.base, kind: plan.request.kind, policy: plan.policy.name, environment: plan.request.environment, plan: plan.id, at: (options.now ?? (() => new Date()))().toISOString() };
    await journal.recordReviewRequest(record);
    options.log(`pull request ${opened.outcome}: ${opened.url} (${action.head} → ${action.base}), recorded in the journal`);
    if (opened.labelsNotSet !== undefined) failures.push(diagnostic('HF521', `${opened.url} is open (${action.head} → ${action.base}), but its labels ${content.labels.join(', ')} were not set (${client.where}: ${opened.labelsNotSet}); add them by hand (a token needs pull-requests: write or issues: write on GitHub), or run hotfix apply again on the same plan, which finds it open and sets them`));
    if (opened.reviewersNotRequested !== undefined) failures.push(diagnostic('HF520', `${opened.url} is open, but not every owner in metadata.owners (${options.owners.join(', ')}) was asked to review it (${client.where}: ${opened.reviewersNotRequested}); ask for reviews on it by hand, and name people by login and teams as org/team in metadata.owners`));
  }
  return failures;
}
