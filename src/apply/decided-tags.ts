import type { Plan } from '../plan/types.js';
import { matchTemplate } from '../policy/template.js';
import { withApprovers } from './approved-by.js';
import { pullRequestWithTags, withTags } from './gate-tag.js';
import { Journal } from './journal.js';
import { repoPath, type Facts } from './verify-preconditions.js';

/** The plan with the commits apply made carrying the approvers its journal names (approved-by.ts); as planned where none signs. */
export async function withJournalledApprovers(plan: Plan, repos: Facts['repos']): Promise<Plan> {
  const first = plan.actions.flatMap((a) => ('repo' in a ? [a.repo] : []))[0];
  if (first === undefined) return plan;
  return withApprovers(plan, (await Journal.open(repoPath(repos, first), plan.id)).signer).plan;
}

/**
 * The plan as apply's last lines speak of it: the pull requests' titles and the target image
 * with the tags its gates decided (the journal's) in place of their patterns, since the
 * commits they carry were made with those. A journalled tag that does not fit its gate's
 * pattern is not taken (the journal is a file anyone on the machine may edit).
 */
export async function withDecidedTags(plan: Plan, repos: Facts['repos']): Promise<Plan> {
  const first = plan.actions.flatMap((a) => ('repo' in a ? [a.repo] : []))[0];
  if (first === undefined || !plan.actions.some((a) => a.kind === 'gate' && a.tagAtGate !== undefined)) return plan;
  const journal = await Journal.open(repoPath(repos, first), plan.id);
  const records = journal.gateTags.filter((r) => plan.actions.some((g) => g.kind === 'gate' && g.id === r.action && g.tagAtGate === r.pattern) && matchTemplate(r.pattern, r.tag) !== undefined);
  if (records.length === 0) return plan;
  return { ...plan, target: { ...plan.target, image: withTags(plan.target.image, records) }, actions: plan.actions.map((a) => (a.kind === 'open-pull-request' ? pullRequestWithTags(a, records) : a)) };
}
