import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { readPlanFile } from '../apply/read-plan.js';
import type { Plan } from '../plan/types.js';

export type CommentInput = { readonly kind: 'plan'; readonly plan: Plan } | { readonly kind: 'refusal'; readonly diagnostics: readonly Diagnostic[] };

/**
 * A plan file, checked as apply checks it; or, where that is no plan, the JSON a refused
 * `hotfix plan --format json` printed: its findings, at least one an error, so a refusal
 * never posts an empty comment.
 */
export async function readCommentInput(path: string, cwd: string): Promise<CommentInput> {
  try {
    return { kind: 'plan', plan: await readPlanFile(path, cwd) };
  } catch (error) {
    // readPlanFile has read the file (a regular file of a plan's size) and found it no valid plan:
    // of no plan form (HF401), or of another format (HF403), as the findings report's own 1.0 is.
    if (!(error instanceof HotfixError) || !['HF401', 'HF403'].includes(error.diagnostics[0]?.code ?? '')) throw error;
    const diagnostics = refusalFindings(JSON.parse(await readFile(resolve(cwd, path), 'utf8')));
    if (diagnostics) return { kind: 'refusal', diagnostics };
    throw new HotfixError([diagnostic('HF508', `${path} is neither a plan (${error.diagnostics[0]!.message}) nor the findings of a refused plan with an error among them`)]);
  }
}

function refusalFindings(data: unknown): Diagnostic[] | undefined {
  const doc = data as { tool?: { name?: unknown }; summary?: unknown; diagnostics?: unknown } | null;
  if (!doc || typeof doc !== 'object' || doc.tool?.name !== 'hotfix' || typeof doc.summary !== 'object' || !Array.isArray(doc.diagnostics)) return undefined;
  const findings = doc.diagnostics as unknown[];
  const valid = findings.every((d) => {
    const f = d as Record<string, unknown> | null;
    return f && typeof f.code === 'string' && /^HF[0-9]{3}$/.test(f.code) && (f.severity === 'error' || f.severity === 'warning') && typeof f.message === 'string' && (f.file === undefined || typeof f.file === 'string');
  });
  if (!valid || !findings.some((d) => (d as Diagnostic).severity === 'error')) return undefined;
  // Only the fields a finding has: what else a file holds is not shown.
  const position = (p: unknown) => Number.isInteger((p as { line?: unknown } | null)?.line) && Number.isInteger((p as { col?: unknown }).col);
  return (findings as Diagnostic[]).map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    ...(d.file !== undefined ? { file: d.file } : {}),
    ...(d.file !== undefined && position(d.range?.start) && position(d.range?.end) ? { range: { start: { line: d.range!.start.line, col: d.range!.start.col }, end: { line: d.range!.end.line, col: d.range!.end.col } } } : {}),
  }));
}
