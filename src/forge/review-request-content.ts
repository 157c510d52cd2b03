import type { ApprovalRecord } from '../apply/approval-record.js';
import type { Action, Plan } from '../plan/types.js';
import { codeBlock, codeSpan } from '../render/markdown-literal.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';
import { markdownChunks } from './markdown-chunks.js';
import type { ReviewRequestContent } from './review-requests.js';

export type PullRequestAction = Extract<Action, { kind: 'open-pull-request' }>;

/**
 * The labels every pull request apply opens carries: `hotfix`, and the plan's kind
 * (`rollback`, or `hotfix` once), so a team filters them and branch rules can match them.
 * The policy has no field for labels: these are fixed, and documented.
 */
export function reviewRequestLabels(plan: Plan): string[] {
  return [...new Set(['hotfix', plan.request.kind])];
}

/**
 * What the pull request of `action` shows: the plan's title line as its title; as its body,
 * what merging it does, the plan id and where it was approved, then the plan itself as
 * `show --format markdown` renders it, cut to the forge's limit with a pointer to the rest.
 * Reviewers are the policy's owners. Pure.
 */
export function reviewRequestContent(plan: Plan, action: PullRequestAction, owners: readonly string[], bodyLimit: number, approval?: ApprovalRecord): ReviewRequestContent {
  const approved = approval ? `, approved on ${codeSpan(approval.pullRequest)} by ${approval.approvers.map(codeSpan).join(', ') || 'no one'} (${approval.required} required)` : '';
  const lead = [
    `<!-- hotfix-pull-request plan=${plan.id} action=${encodeURIComponent(action.id)} -->`,
    `Opened by \`hotfix apply\`, which pushed ${codeSpan(action.head)} for review into ${codeSpan(action.base)}.`,
    '',
    ...(action.body !== undefined ? [...codeBlock(action.body.endsWith('\n') ? action.body : `${action.body}\n`, 'text'), ''] : []),
    `It carries out plan ${plan.id}${approved}; the plan as it was reviewed follows.`,
    '',
  ].join('\n');
  const plan_ = renderPlanMarkdown(plan).replace(/\n+$/, '');
  return { head: action.head, base: action.base, title: action.title, body: fittedBody(lead, plan_, plan.id, bodyLimit), labels: reviewRequestLabels(plan), reviewers: owners };
}

/** The lead and as much of the plan as fits, every code block and fold closed, then a line saying where the rest is. */
export function fittedBody(lead: string, planText: string, id: string, limit: number): string {
  const whole = `${lead}\n${planText}\n`;
  if ([...whole].length <= limit) return whole;
  const pointer = `\n\n**The plan is cut here**: it is longer than this forge shows in a pull request. \`hotfix show <plan file> --format markdown\` prints all of plan ${id}, as does its plan comment.\n`;
  // markdownChunks counts UTF-16 code units, never fewer than the characters forges count.
  const first = markdownChunks(planText, limit - lead.length - pointer.length - 1)[0] ?? '';
  return `${lead}\n${first}${pointer}`;
}
