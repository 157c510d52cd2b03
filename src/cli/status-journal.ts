import { journalledPlans, type JournalledPlan } from '../apply/journalled-plans.js';
import type { ApprovalRecord } from '../apply/approval-record.js';
import type { GateWaitRecord } from '../apply/gate-wait-record.js';
import type { ReviewRequestRecord } from '../apply/review-request-record.js';

type JournalledPlans = readonly JournalledPlan[];

/** A journalled record with the plan it is of and what that plan was for. */
export type OfPlan<T> = T & { readonly plan: string; readonly environment: string; readonly kind: string };

/** What apply's journals in the bound repositories say about this policy (and environment). */
export interface JournalStatus {
  /** The pull requests `apply --open-prs` opened, newest first, each once. */
  readonly pullRequests: readonly ReviewRequestRecord[];
  /** Who approved each applied plan on its pull request (`apply --pr`), newest first. */
  readonly approvals: readonly OfPlan<ApprovalRecord>[];
  /** The gates a hotfix waits at for checks a forge reports: stopped or waiting there, not passed. */
  readonly gates: readonly OfPlan<GateWaitRecord>[];
}

export async function journalStatus(repos: Readonly<Record<string, string>>, policy: string, environment?: string): Promise<JournalStatus> {
  return journalOf(await journalPlans(repos), policy, environment);
}

/** Every plan journalled in the bound repositories, each repository read once however many policies name it. */
export async function journalPlans(repos: Readonly<Record<string, string>>): Promise<JournalledPlans> {
  const plans: JournalledPlan[] = [];
  for (const path of new Set(Object.values(repos))) plans.push(...(await journalledPlans(path).catch(() => [])));
  return plans;
}

/** What the journalled plans say about one policy (and environment). */
export function journalOf(plans: JournalledPlans, policy: string, environment?: string): JournalStatus {
  const mine = plans.filter((p) => p.subject?.policy === policy && (environment === undefined || p.subject.environment === environment));
  const of = <T extends object>(p: (typeof mine)[number], record: T): OfPlan<T> => ({ ...record, plan: p.plan, environment: p.subject!.environment, kind: p.subject!.kind });
  const pullRequests = mine.flatMap((p) => p.reviewRequests).sort((a, b) => b.at.localeCompare(a.at));
  const approvals = mine.flatMap((p) => p.approved.map((a) => of(p, a))).sort((a, b) => b.at.localeCompare(a.at));
  const gates = mine.flatMap((p) => p.gateWaits.filter((g) => !p.done.has(g.action)).map((g) => of(p, g))).sort((a, b) => b.at.localeCompare(a.at));
  return { pullRequests: [...new Map(pullRequests.map((r) => [r.url, r])).values()], approvals: [...new Map(approvals.map((a) => [`${a.plan}\0${a.pullRequest}`, a])).values()], gates };
}
