import type { Plan } from '../plan/types.js';
import { findingsMarkdown } from './markdown-findings.js';
import { actionDetails, planFacts } from './plan-facts.js';
import { codeBlock, codeSpan, escapedText, htmlText, mermaidText, tableCell } from './markdown-literal.js';
import { actionDiffs, describeActions, headerRows, planLine, planTitle } from './plan-summary.js';
import { overrideBanner } from './plan-overrides.js';
import { approvalText } from './plan-approval.js';

/** Diffs longer than this are folded in <details>, so a PR comment stays readable. */
const FOLD_LINES = 12;

/** A list item's content column after `- `: its blocks are indented by this much. */
const ITEM_INDENT = 2;

/**
 * Markdown for a pull-request comment: summary, a Mermaid gitGraph, the actions with their
 * diffs (long ones folded), warnings, notes, the totals and the plan id. Every string that
 * comes from the plan is in a code span or a code block (markdown-literal.ts), so nothing
 * from a file, a commit or a registry renders as markdown or HTML.
 */
export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [...overrideMarkdown(plan), `### hotfix: ${planTitle(plan, codeSpan)}`, '', '| | |', '| --- | --- |'];
  for (const [label, value] of headerRows(plan)) out.push(`| ${label} | ${tableCell(value)} |`);
  out.push('', ...codeBlock(gitGraph(plan).join('\n'), 'mermaid'), '', '#### Actions', '');

  const icons = { '+': '➕', '~': '🔁', '-': '➖', ' ': '👉' } as const;
  const lines = describeActions(plan);
  for (const line of lines) {
    out.push(`- ${icons[line.marker]} ${codeSpan(`[${line.action.id}] ${line.heading}`)}: ${codeSpan(line.text)}`);
    const details = actionDetails(line.action);
    if (details.length > 0) out.push('', ...codeBlock(`${details.join('\n')}\n`, 'text', ITEM_INDENT), '');
    for (const { label, diff } of actionDiffs(line.action)) out.push('', ...diffBlock(label, diff), '');
  }
  if (plan.diagnostics.length > 0) out.push('', '> [!WARNING]', ...findingsMarkdown(plan.diagnostics).map((l) => `> ${l}  `));
  if (plan.notes.length > 0) out.push('', '#### Notes', '', ...codeBlock(plan.notes.map((n) => `${n}\n`).join(''), 'text'));
  // Everything else apply acts on, folded: what was asked, where, and what it checks first.
  const facts = planFacts(plan).map(([label, value]) => `${label}: ${value}\n`).join('');
  out.push('', '<details><summary>Plan details</summary>', '', ...codeBlock(facts, 'text'), '', '</details>');
  const approval = approvalText(plan, codeSpan);
  out.push('', `**${planLine(lines)}**`, '', ...(approval ? [approval, ''] : []), `Plan id: ${escapedText(plan.id)}`, '');
  return out.join('\n');
}

/** The break-glass banner, first: a GFM caution alert, every string from the plan in a code span. */
function overrideMarkdown(plan: Plan): string[] {
  const banner = overrideBanner(plan, codeSpan);
  if (!banner) return [];
  const lines = [`**${banner.title}**`];
  for (const o of banner.overrides) {
    lines.push(`🚨 **${o.code}** ${codeSpan(o.rule)} lifted, reason: ${codeSpan(o.reason)}`);
    for (const message of o.lifted) lines.push(`would have refused: ${codeSpan(message)}`);
  }
  lines.push(`every commit apply makes carries: ${banner.trailers.map(codeSpan).join(' ')}`);
  return ['> [!CAUTION]', ...lines.map((l) => `> ${l}  `), ''];
}

/**
 * One diff inside the list item: a code block, folded in <details> when long. The HTML
 * lines stand alone between blank lines, as an HTML block must, so the markdown between
 * them is still read as markdown.
 */
function diffBlock(label: string, diff: string): string[] {
  const block = codeBlock(diff, 'diff', ITEM_INDENT);
  if (diff.split('\n').length <= FOLD_LINES) return block;
  const { added, removed } = countChanges(diff);
  const pad = ' '.repeat(ITEM_INDENT);
  return [`${pad}<details><summary><code>${htmlText(label)}</code> (+${added} −${removed})</summary>`, '', ...block, '', `${pad}</details>`];
}

/** Added and removed lines, counted in hunks only (a removed `-- x` line is not a header). */
function countChanges(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  let inHunk = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('diff --git ')) inHunk = false;
    else if (line.startsWith('@@')) inHunk = true;
    else if (inHunk && line.startsWith('+')) added++;
    else if (inHunk && line.startsWith('-')) removed++;
  }
  return { added, removed };
}

/**
 * The branches, commits and merges of the plan's first repository, as Mermaid draws git.
 * Mermaid only merges into branches it has seen, so merge targets are declared first.
 * Names go in double-quoted strings, which mermaidText keeps closed.
 */
function gitGraph(plan: Plan): string[] {
  const created = plan.actions.find((a) => a.kind === 'create-branch');
  if (created?.kind !== 'create-branch') return ['gitGraph', '  commit'];
  const q = (text: string) => `"${mermaidText(text)}"`;
  const tag = plan.actions.find((a) => a.kind === 'tag');
  const lines = ['gitGraph', `  commit id: ${q(created.from.slice(0, 7))}`];
  const targets = [...new Set(plan.actions.flatMap((a) => (a.kind === 'merge' && a.into !== 'main' ? [a.into] : [])))];
  for (const target of targets) lines.push(`  branch ${q(target)}`, '  checkout main');
  lines.push(`  branch ${q(created.branch)}`, `  checkout ${q(created.branch)}`);
  for (const action of plan.actions) {
    if (!('repo' in action) || action.repo !== created.repo) continue;
    const tagged = tag?.kind === 'tag' && 'commit' in action && tag.target === action.commit ? ` tag: ${q(tag.tag)}` : '';
    if (action.kind === 'commit') lines.push(`  commit id: ${q(`${action.commit.slice(0, 7)} ${action.purpose}`)}${tagged}`);
    if (action.kind === 'cherry-pick') lines.push(`  commit id: ${q(`${action.commit.slice(0, 7)} pick of ${action.pick.slice(0, 7)}`)}${tagged}`);
    if (action.kind === 'merge') lines.push(`  checkout ${q(action.into)}`, `  merge ${q(action.from)}`);
  }
  return lines;
}
