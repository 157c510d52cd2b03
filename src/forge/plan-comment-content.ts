import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Plan } from '../plan/types.js';
import { codeBlock } from '../render/markdown-literal.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';
import { findingsMarkdown, renderFindingsMarkdown } from '../render/markdown-findings.js';
import type { CommentKey } from './comment-marker.js';
import type { CommentContent } from './comment-parts.js';
import { fenceOf } from './markdown-chunks.js';

/** The comment of a plan: the markdown `show --format markdown` prints, and the command that applies exactly it. */
export function planCommentContent(plan: Plan, applyCommand: string): CommentContent {
  const closing = ['', 'Apply exactly this plan, once it is approved, with:', '', ...codeBlock(`${applyCommand}\n`, 'shell')];
  const lines = renderPlanMarkdown(plan).replace(/\n+$/, '').split('\n');
  const outside = linesOutsideFences(lines);
  const firstFence = lines.findIndex((line, i) => outside[i] && fenceOf(line));
  const head = lines.slice(0, firstFence < 0 ? 0 : firstFence);
  const warning = lines.findIndex((line, i) => outside[i] && line === '> [!WARNING]');
  const findings = warning < 0 ? [] : lines.slice(warning + 1, warning + 1 + plan.diagnostics.length);
  const summary = lines.length - 1 - [...lines].reverse().findIndex((line, i) => outside[lines.length - 1 - i] && line.startsWith('**Plan: '));
  return {
    key: keyOfPlan(plan),
    plan: plan.id,
    full: [...lines, ...closing].join('\n'),
    lead: {
      head: warning < 0 ? head : [...head, '> [!WARNING]'],
      findings,
      more: (left) => `> … and ${left} more: every warning is in the parts below.`,
      tail: ['', ...lines.slice(summary), ...closing],
    },
  };
}

/** The comment of a refused plan: its findings, in the place the plan's comment has, so a reviewer never sees an older plan as current. */
export function refusalCommentContent(key: CommentKey, diagnostics: readonly Diagnostic[]): CommentContent {
  const full = renderFindingsMarkdown(diagnostics).replace(/\n+$/, '');
  const findings = findingsMarkdown(diagnostics).map((l) => `- ${l}`);
  const head = full.split('\n').slice(0, full.split('\n').length - findings.length);
  return { key, plan: 'none', full, lead: { head, findings, more: (left) => `- … and ${left} more: every finding is in the parts below.`, tail: [] } };
}

export function keyOfPlan(plan: Plan): CommentKey {
  return { kind: plan.request.kind, policy: plan.policy.name, environment: plan.request.environment };
}

function linesOutsideFences(lines: readonly string[]): boolean[] {
  let close: string | undefined;
  return lines.map((line) => {
    if (close !== undefined) {
      if (line === close) close = undefined;
      return false;
    }
    close = fenceOf(line);
    return true;
  });
}
