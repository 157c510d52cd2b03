import { UsageError } from 'clipanion';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ApprovalRecord } from '../apply/approval-record.js';
import type { MergeRequestRef } from '../forge/merge-request-ref.js';
import type { Plan } from '../plan/types.js';
import { gitHubAccess, gitLabAccess, type ForgeAccessOptions } from './forge-access.js';
import { quote } from './plan/option-values.js';

export interface ApprovalOptions extends ForgeAccessOptions {
  /** `--pr`: the pull request the plan comment is on. */
  readonly pr: string;
  /** `--commenter`: the account hotfix comment posts as, where the token cannot say. */
  readonly commenter: string | undefined;
  /** Where a warning goes (HF522); left out, as on a re-check, it is not repeated. */
  readonly warn?: (warning: Diagnostic) => void;
  readonly policyFile: string;
  readonly cwd: string;
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/**
 * Before apply writes anything: the pull request carries the plan comment of exactly this
 * plan and enough approvals of its current head after that comment (judge-approval.ts).
 * Returns what the journal records; throws one coded line when it is not so.
 */
export async function checkApproval(plan: Plan, options: ApprovalOptions, env: Record<string, string | undefined>): Promise<ApprovalRecord> {
  const [{ parsePullRequestRef }, { parseMergeRequestRef }] = await Promise.all([import('../forge/pull-request-ref.js'), import('../forge/merge-request-ref.js')]);
  const pr = parsePullRequestRef(options.pr);
  const mr = pr ? undefined : parseMergeRequestRef(options.pr);
  if (mr) return checkGitLabApproval(plan, mr, options, env);
  if (!pr) throw new UsageError(`--pr ${quote(options.pr)} names no pull request: give owner/repo#N or https://HOST/owner/repo/pull/N`);
  if (options.commenter !== undefined && !LOGIN.test(options.commenter)) throw new UsageError(`--commenter ${quote(options.commenter)} is not a GitHub login (an app's is its slug and [bot])`);
  const required = await requiredOf(plan, options);
  const access = gitHubAccess(options, env);
  const [{ readGitHubApproval }, { judgeApproval }, { keyOfPlan }] = await Promise.all([import('../forge/github-approval.js'), import('../forge/judge-approval.js'), import('../forge/plan-comment-content.js')]);
  // GITHUB_TOKEN of a workflow posts as github-actions[bot], and GitHub will not tell it so.
  const actionsToken = env.GITHUB_ACTIONS === 'true' && (options.tokenEnv ?? 'GITHUB_TOKEN') === 'GITHUB_TOKEN';
  const facts = await readGitHubApproval(pr, access, { planId: plan.id, key: keyOfPlan(plan), required, actionsToken, ...(options.commenter !== undefined ? { commenter: options.commenter } : {}) });
  if (facts === 'commenter-unknown') throw new UsageError(`the token is a GitHub App's, which GitHub does not tell its own login: pass --commenter with the account hotfix comment posts as (APP-SLUG[bot])`);
  const judged = judgeApproval(facts);
  if ('code' in judged) throw new HotfixError([judged]);
  return { pullRequest: facts.where, approvers: judged.approvers, required, head: judged.head, comment: judged.comment, at: new Date().toISOString() };
}

const GITLAB_USERNAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

/**
 * The same check on a GitLab merge request (judge-gitlab-approval.ts): the head is tied
 * through its diff versions, each approval's time read from approved_at or the system note
 * GitLab writes for it; one with neither, in a project that keeps approvals across pushes,
 * gets HF522.
 */
async function checkGitLabApproval(plan: Plan, mr: MergeRequestRef, options: ApprovalOptions, env: Record<string, string | undefined>): Promise<ApprovalRecord> {
  if (options.commenter !== undefined && !GITLAB_USERNAME.test(options.commenter)) throw new UsageError(`--commenter ${quote(options.commenter)} is not a GitLab username`);
  const required = await requiredOf(plan, options);
  const access = gitLabAccess(options, env, mr.origin);
  // GitLab keeps approvals, diff versions and GET /user off the CI/CD job token's list.
  if (access.token.kind === 'job') throw new UsageError(`--pr ${quote(options.pr)}: GitLab does not let a CI/CD job token (${access.token.from}) read a merge request's approvals or diff versions; set GITLAB_TOKEN to a token with the read_api scope`);
  const [{ readGitLabApproval }, { judgeGitLabApproval }, { keyOfPlan }] = await Promise.all([import('../forge/gitlab-approval.js'), import('../forge/judge-gitlab-approval.js'), import('../forge/plan-comment-content.js')]);
  const read = await readGitLabApproval(mr, access, { planId: plan.id, key: keyOfPlan(plan), required, ...(options.commenter !== undefined ? { commenter: options.commenter } : {}) });
  const judged = judgeGitLabApproval(read.facts);
  if ('code' in judged) throw new HotfixError([judged]);
  // An approval whose time GitLab gave (approved_at, or its system note) was judged by it.
  const untimed = judged.approvers.filter((user) => read.facts.approvals.find((a) => a.user === user)?.approvedAt === undefined);
  if (read.resetOnPush !== true && untimed.length > 0) {
    const setting = read.resetOnPush === false ? 'the project keeps approvals when commits are added (reset_approvals_on_push is off)' : 'the token may not read whether the project removes approvals when commits are added (GET /projects/:id/approvals)';
    options.warn?.(diagnostic('HF522', `${read.facts.where}: GitLab says who approved (${untimed.join(', ')}), not when (no approved_at, no "approved this merge request" note among those read), and ${setting}: an approval given before the plan comment last changed counts as well; turn on "Remove all approvals when commits are added to the source branch"`));
  }
  return { pullRequest: read.facts.where, approvers: judged.approvers, required, head: judged.head, comment: judged.comment, at: new Date().toISOString() };
}

/**
 * The approval checked again where a gate passed after apply waited at it, before the first
 * write the gate guards: a wait can last long enough for a push to the pull request, a newer
 * plan comment or a request for changes, and each voids what was approved. Its refusal
 * (HF515, HF516, HF517) says so and that the gate's side of the plan was not written.
 */
export async function recheckApproval(plan: Plan, options: ApprovalOptions, env: Record<string, string | undefined>): Promise<ApprovalRecord> {
  try {
    return await checkApproval(plan, { ...options, warn: undefined }, env);
  } catch (error) {
    if (!(error instanceof HotfixError)) throw error;
    const after = (message: string) => `while apply waited at the gate, the approval stopped holding: ${message.replace(/; nothing was written/, '')}; nothing after the gate was written (the deploy included), what came before it is kept and journalled`;
    throw new HotfixError(error.diagnostics.map((d) => ({ ...d, message: after(d.message) })), error.exitCode);
  }
}

/**
 * The policy's number once its hash is the plan's, which must be the number the plan
 * states (HF517). Another policy is its precondition's to refuse, before any write: until
 * then the plan's number (1 for a plan older than format 1.3) stands.
 */
async function requiredOf(plan: Plan, options: ApprovalOptions): Promise<number> {
  const [{ loadPolicy }, { requiredApprovals }] = await Promise.all([import('../policy/load-policy.js'), import('../plan/plan-frame.js')]);
  const sealed = plan.preconditions.find((p) => p.kind === 'policy');
  const policy = await loadPolicy(options.policyFile, options.cwd).catch(() => undefined);
  if (!policy || sealed?.kind !== 'policy' || policy.sha256 !== sealed.sha256) return plan.approvals ?? 1;
  const wanted = requiredApprovals(policy.policy, plan.request.kind);
  if (plan.approvals !== undefined && plan.approvals !== wanted)
    throw new HotfixError([diagnostic('HF517', `the plan says it needs ${plan.approvals} approving review${plan.approvals === 1 ? '' : 's'}, but its policy says ${plan.request.kind}.approvals: ${wanted}; nothing was written: make, post and review the plan again from the policy`)]);
  return wanted;
}
