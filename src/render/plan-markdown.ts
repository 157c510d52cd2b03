import type { Plan } from '../plan/types.js';
import { describeActions, headerRows, planLine, planTitle } from './plan-summary.js';

/** Diffs longer than this are folded in <details>, so a PR comment stays readable. */
const FOLD_LINES = 12;

/** Markdown for a pull-request comment: summary, a Mermaid gitGraph, folded diffs, the plan id. */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [`### hotfix: ${planTitle(plan)}`, '', '| | |', '| --- | --- |'];
  for (const [label, value] of headerRows(plan)) out.push(`| ${label} | ${escapeCell(value)} |`);
  out.push('', '```mermaid', ...gitGraph(plan), '```', '', '#### Actions', '');

  const icons = { '+': '➕', '~': '🔁', '-': '➖', ' ': '👉' } as const;
  for (const line of describeActions(plan)) {
    out.push(`- ${icons[line.marker]} ${escapeInline(line.heading)}: \`${line.text.replace(/`/g, "'")}\``);
    if (line.action.kind !== 'commit') continue;
    for (const change of line.action.changes) {
      const lines = change.diff.split('\n').length;
      const counts = `+${change.diff.split('\n').filter((l) => /^\+(?!\+\+)/.test(l)).length} −${change.diff.split('\n').filter((l) => /^-(?!--)/.test(l)).length}`;
      const block = ['```diff', change.diff.replace(/\n$/, ''), '```'];
      if (lines > FOLD_LINES) out.push('', `  <details><summary><code>${change.path}</code> (${counts})</summary>`, '', ...block.map((l) => `  ${l}`), '', '  </details>', '');
      else out.push('', ...block.map((l) => `  ${l}`), '');
    }
  }
  if (plan.diagnostics.length > 0) {
    out.push('', '> [!WARNING]');
    for (const d of plan.diagnostics) out.push(`> **${d.code}** ${escapeInline(d.message)}  `);
  }
  out.push('', ...plan.notes.map((n) => `- ${escapeInline(n)}`), '', `**${planLine(describeActions(plan))}**`, '', `Plan id: \`${plan.id}\``, '');
  return out.join('\n');
}

function gitGraph(plan: Plan): string[] {
  const lines = ['gitGraph', `  commit id: "${plan.deployed.deployingCommit.sha.slice(0, 7)}" tag: "${plan.deployed.configBranch}"`];
  for (const action of plan.actions) {
    if (action.kind === 'create-branch') lines.push(`  branch "${action.branch}"`, `  checkout "${action.branch}"`);
    if (action.kind === 'commit') lines.push(`  commit id: "${action.commit.slice(0, 7)} ${action.purpose}"`);
  }
  return lines;
}

function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|');
}

function escapeInline(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
