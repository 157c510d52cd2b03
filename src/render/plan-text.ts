import type { Plan } from '../plan/types.js';
import { diagnosticLine } from './diagnostics-text.js';
import { actionDetails, planFacts } from './plan-facts.js';
import { actionDiffs, describeActions, headerRows, planLine, planTitle, type Marker } from './plan-summary.js';
import type { Style } from './style.js';
import { overrideBanner } from './plan-overrides.js';
import { approvalText } from './plan-approval.js';

/** The terminal rendering, in terraform's shape: header, one block per action, warnings, totals. */
export function renderPlanText(plan: Plan, style: Style): string {
  const out: string[] = [...overrideText(plan, style), style.bold(planTitle(plan)), ''];
  const rows = headerRows(plan);
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) out.push(`  ${label.padEnd(width)}  ${value}`);
  out.push('', 'hotfix will perform the following actions:', '');

  const colour = (marker: Marker, text: string) => (marker === '+' ? style.green(text) : marker === '~' ? style.yellow(text) : marker === '-' ? style.red(text) : text);
  const lines = describeActions(plan);
  for (const line of lines) {
    out.push(style.dim(`  # [${line.action.id}] ${line.heading}`));
    out.push(`  ${colour(line.marker, line.marker)} ${line.text}`);
    for (const detail of actionDetails(line.action)) out.push(style.dim(`      ${detail}`));
    for (const { diff } of actionDiffs(line.action))
      for (const diffLine of diff.replace(/\n$/, '').split('\n'))
        out.push(`      ${diffLine.startsWith('+') && !diffLine.startsWith('+++') ? style.green(diffLine) : diffLine.startsWith('-') && !diffLine.startsWith('---') ? style.red(diffLine) : diffLine}`);
    out.push('');
  }

  if (plan.diagnostics.length > 0) {
    out.push('Warnings:');
    for (const d of plan.diagnostics) out.push(`  ${diagnosticLine(d, style)}`);
    out.push('');
  }
  for (const note of plan.notes) out.push(note);
  const facts = planFacts(plan);
  const factWidth = Math.max(...facts.map(([label]) => label.length));
  out.push('', 'Plan details:', ...facts.map(([label, value]) => `  ${label.padEnd(factWidth)}  ${value}`));
  const approval = approvalText(plan);
  out.push('', style.bold(planLine(lines)), ...(approval ? [approval] : []), `Plan id: ${plan.id}`);
  return out.join('\n') + '\n';
}

/** The break-glass banner, above the title, in red where there is colour. */
function overrideText(plan: Plan, style: Style): string[] {
  const banner = overrideBanner(plan);
  if (!banner) return [];
  const out = [style.bold(style.red(`!! ${banner.title} !!`))];
  for (const o of banner.overrides) {
    out.push(style.red(`  ${o.code} (${o.rule}) lifted, reason: ${o.reason}`));
    for (const message of o.lifted) out.push(`    would have refused: ${message.replace(/[\r\n]+/g, ' ')}`);
  }
  out.push(`  every commit apply makes carries: ${banner.trailers.join('; ')}`, '');
  return out;
}
