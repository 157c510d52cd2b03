import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseImageRef } from '../patch/image-ref.js';
import type { PlannedRender } from '../state/render/check-plan-renders.js';
import type { PolicyRender } from '../state/render/check-policy-renders.js';
import type { TagSelection } from '../state/types.js';

/** A render that does not show the planned image refuses the plan, naming the file that wins. Pure. */
export function renderFindings(renders: readonly PlannedRender[]): Diagnostic[] {
  return renders.flatMap((r) => {
    if (r.result.ok) return [];
    const runs = r.result.image ? `runs ${r.result.image}` : r.workload !== undefined ? `has no workload ${r.workload} with a container ${r.container}` : `has no container that runs ${parseImageRef(r.image).name}`;
    const winner = r.result.winner ? `; ${r.result.winner} sets the image and wins` : '';
    return [diagnostic('HF343', `after the planned change, kubectl kustomize ${r.dir || '.'} ${runs}, not ${r.image}${winner}`)];
  });
}

/** A pin whose ImagePolicy does not render with the selection it was to leave refuses the plan: which patch wins is not what was read. Pure. */
export function policyRenderFindings(renders: readonly PolicyRender[]): Diagnostic[] {
  return renders.flatMap(({ spec, dir, selection }) => {
    if (selection && sameSelection(selection, spec.selection)) return [];
    const shows = selection ? `renders it with ${JSON.stringify(selection)}` : 'holds no such ImagePolicy';
    return [diagnostic('HF354', `after the planned pin of ImagePolicy ${spec.namespace}/${spec.name}, kubectl kustomize ${dir || '.'} ${shows}, not ${JSON.stringify(spec.selection)}; pin it by hand where it is set, or use automation.onRollback: suspend`)];
  });
}

/** The fields Flux reads, whatever their order. */
function sameSelection(a: TagSelection, b: TagSelection): boolean {
  const keys: Array<keyof TagSelection> = ['pattern', 'extract', 'semverRange', 'numerical', 'alphabetical'];
  return keys.every((key) => a[key] === b[key]);
}
