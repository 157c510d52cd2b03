import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { PlannedRender } from '../state/render/check-plan-renders.js';

/** A render that does not show the planned image refuses the plan, naming the file that wins. Pure. */
export function renderFindings(renders: readonly PlannedRender[]): Diagnostic[] {
  return renders.flatMap((r) => {
    if (r.result.ok) return [];
    const runs = r.result.image ? `runs ${r.result.image}` : 'has no such workload or container';
    const winner = r.result.winner ? `; ${r.result.winner} sets the image and wins` : '';
    return [diagnostic('HF343', `after the planned change, kubectl kustomize ${r.dir || '.'} ${runs}, not ${r.image}${winner}`)];
  });
}
