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

/**
 * The branches, commits and merges of the plan's first repository, as Mermaid draws git.
 * Mermaid only merges into branches it has seen, so merge targets are declared first.
 */
function gitGraph(plan: Plan): string[] {
  const created = plan.actions.find((a) => a.kind === 'create-branch');
  if (created?.kind !== 'create-branch') return ['gitGraph', '  commit'];
  const tag = plan.actions.find((a) => a.kind === 'tag');
  const lines = ['gitGraph', `  commit id: "${created.from.slice(0, 7)}"`];
  const targets = [...new Set(plan.actions.flatMap((a) => (a.kind === 'merge' && a.into !== 'main' ? [a.into] : [])))];
  for (const target of targets) lines.push(`  branch "${target}"`, '  checkout main');
  lines.push(`  branch "${created.branch}"`, `  checkout "${created.branch}"`);
  for (const action of plan.actions) {
    if (!('repo' in action) || action.repo !== created.repo) continue;
    const tagged = tag?.kind === 'tag' && 'commit' in action && tag.target === action.commit ? ` tag: "${tag.tag}"` : '';
    if (action.kind === 'commit') lines.push(`  commit id: "${action.commit.slice(0, 7)} ${action.purpose}"${tagged}`);
    if (action.kind === 'cherry-pick') lines.push(`  commit id: "${action.commit.slice(0, 7)} pick of ${action.pick.slice(0, 7)}"${tagged}`);
    if (action.kind === 'merge') lines.push(`  checkout "${action.into}"`, `  merge "${action.from}"`);
  }
  return lines;
}

function escapeCell(text: string): string {
  return escapeInline(text).replace(/\|/g, '\\|');
}

function escapeInline(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}
