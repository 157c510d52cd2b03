import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Plan } from '../../src/plan/types.js';
import { renderGfm, textOf, type Rendered } from './render-gfm.js';

/**
 * What must hold of a plan's PR comment as GitHub renders it, with and without raw HTML:
 * each problem found, as a sentence (none: it renders right). Written from the markdown
 * and the plan alone, never from what the renderer says it did.
 */
export function planCommentProblems(markdown: string, plan: Plan, options: CommentChecks = {}): string[] {
  return [true, false].flatMap((unsafe) => {
    const r = renderGfm(markdown, { unsafe });
    const problems = planProblems(r, plan, options.hostile ?? [], unsafe);
    const prose = options.prose?.[unsafe ? 'unsafe' : 'safe'];
    if (prose !== undefined && r.prose() !== prose) problems.push(`the words outside code differ from the benign plan's: ${JSON.stringify(r.prose())}`);
    return problems.map((p) => `${unsafe ? 'with' : 'without'} --unsafe: ${p}`);
  });
}

export interface CommentChecks {
  /** Strings that must appear only inside code elements. */
  readonly hostile?: readonly string[];
  /** The words outside code, with and without raw HTML, that the comment must have exactly. */
  readonly prose?: { readonly unsafe: string; readonly safe: string };
}

/** The words outside code of a comment, to compare another with. */
export function proseOf(markdown: string): { unsafe: string; safe: string } {
  return { unsafe: renderGfm(markdown, { unsafe: true }).prose(), safe: renderGfm(markdown, { unsafe: false }).prose() };
}

/** The same for the comment of a command that made no plan. */
export function findingsCommentProblems(markdown: string, diagnostics: readonly Diagnostic[], hostile: readonly string[] = []): string[] {
  return [true, false].flatMap((unsafe) => {
    const r = renderGfm(markdown, { unsafe });
    const problems = [...unexpectedTags(r, ['h3', 'p', 'ul', 'li', 'strong', 'code']), ...hostileOutsideCode(r, hostile)];
    const items = r.elements('li');
    if (items.length !== diagnostics.length) problems.push(`${items.length} list items for ${diagnostics.length} findings`);
    diagnostics.forEach((d, i) => {
      const codes = r.elements('strong').map(textOf);
      if (!codes.includes(d.code)) problems.push(`${d.code} is not shown in bold`);
      const shown = items[i] ? r.elementsIn(items[i]!, 'code').map(textOf).pop() : undefined;
      if (shown !== oneLine(d.message)) problems.push(`finding ${i + 1} shows ${JSON.stringify(shown)}, not its message ${JSON.stringify(d.message)}`);
    });
    if (!r.prose().includes('hotfix: no plan')) problems.push('no "hotfix: no plan" heading');
    return problems.map((p) => `${unsafe ? 'with' : 'without'} --unsafe: ${p}`);
  });
}

/** The diffs a reviewer must see, in the order of the actions. */
export function planDiffs(plan: Plan): Array<{ label: string; diff: string }> {
  return plan.actions.flatMap((a) => (a.kind === 'commit' ? a.changes.map((c) => ({ label: c.path, diff: c.diff })) : a.kind === 'cherry-pick' ? [{ label: a.files.join(', '), diff: a.diff }] : []));
}

/** A diff folds in <details> past this many lines (README: "long diffs fold"). */
const FOLD_LINES = 12;

/** One Mermaid gitGraph statement each line, every name inside one double-quoted string. */
const MERMAID_LINE = /^(gitGraph|  commit|  commit id: "[^"\n]*"( tag: "[^"\n]*")?|  branch "[^"\n]*"|  checkout (main|"[^"\n]*")|  merge "[^"\n]*")$/;

function planProblems(r: Rendered, plan: Plan, hostile: readonly string[], unsafe: boolean): string[] {
  const problems = [...unexpectedTags(r, ['h3', 'h4', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'pre', 'ul', 'li', 'strong', 'blockquote', 'br', ...(unsafe ? ['details', 'summary'] : [])]), ...hostileOutsideCode(r, hostile)];
  const diffs = planDiffs(plan);
  // Markdown reads CRLF as a line ending: a CRLF file's diff shows with LF, nothing else changes.
  const expected = diffs.map((d) => d.diff.replace(/\r\n/g, '\n'));
  const blocks = r.codeBlocks();
  const [graph] = blocks;
  if (graph === undefined || !graph.startsWith('gitGraph\n')) problems.push(`the first code block is not the gitGraph: ${JSON.stringify(graph)}`);
  else for (const line of graph.replace(/\n$/, '').split('\n')) if (!MERMAID_LINE.test(line)) problems.push(`gitGraph line ${JSON.stringify(line)} is not one statement with quoted names`);
  // Each diff is a code block of its own, in the order of the actions; blocks of other text
  // (details of an action or of the plan) may come between.
  let after = 1;
  expected.forEach((diff, i) => {
    const at = blocks.indexOf(diff, after);
    if (at < 0) problems.push(`diff ${i + 1} is not whole in a code block of its own: ${JSON.stringify(diff.slice(0, 300))}; the blocks after the last diff found: ${JSON.stringify(blocks.slice(after).map((b) => b.slice(0, 300)))}`);
    else after = at + 1;
  });
  const notes = plan.notes.map((n) => `${n}\n`).join('');
  if (plan.notes.length > 0 && !blocks.slice(after).includes(notes)) problems.push(`no code block of the notes, ${JSON.stringify(notes)}, after the diffs`);

  const items = r.elements('li');
  if (items.length !== plan.actions.length) problems.push(`${items.length} list items for ${plan.actions.length} actions`);
  if (unsafe) {
    const folded = diffs.filter((d) => d.diff.split('\n').length > FOLD_LINES);
    // A folded diff's summary names its file in code; other <details> may be there too.
    const summaries = r.elements('summary').filter((s) => r.elementsIn(s, 'code').length > 0).map((s) => r.elementsIn(s, 'code').map(textOf).join(''));
    if (JSON.stringify(summaries) !== JSON.stringify(folded.map((d) => oneLine(d.label)))) problems.push(`<summary> labels ${JSON.stringify(summaries)}, not ${JSON.stringify(folded.map((d) => d.label))}`);
    for (const details of r.elements('details')) if (r.elementsIn(details, 'pre').length !== 1) problems.push('a <details> without exactly one code block');
  }

  const totals = r.elements('strong').map(textOf).filter((t) => /^Plan: \d+ to create, \d+ to change, \d+ to delete\.$/.test(t));
  if (totals.length !== 1) problems.push('no "Plan: …" line in bold outside code');
  if (!r.prose().includes(`Plan id: ${plan.id}`)) problems.push(`no "Plan id: ${plan.id}" outside code`);
  return problems;
}

function unexpectedTags(r: Rendered, allowed: readonly string[]): string[] {
  return [...new Set(r.tags.filter((t) => !allowed.includes(t)))].map((t) => `a <${t}> element`);
}

function hostileOutsideCode(r: Rendered, hostile: readonly string[]): string[] {
  return hostile.flatMap((needle) => r.outsideCode(needle).map((t) => `${JSON.stringify(needle)} outside code, in <${t.ancestors.join('><')}>: ${JSON.stringify(t.text.slice(0, 200))}`));
}

/** How inline text shows: its line breaks as spaces. */
function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, ' ');
}
