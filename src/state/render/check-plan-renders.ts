import type { Plan } from '../../plan/types.js';
import { patchConfigText } from '../../patch/patch-config.js';
import { CatFileBatch } from '../git/cat-file.js';
import { readFileAt } from '../git/read.js';
import { renderCheck, type RenderCheckResult } from './render-check.js';

export interface PlannedRender {
  readonly actionId: string;
  readonly dir: string;
  readonly image: string;
  readonly workload?: string;
  readonly container?: string;
  readonly result: RenderCheckResult;
}

/** Renders, for each config commit that names a render, its parent's tree with the commit's patches applied. */
export async function checkPlanRenders(plan: Plan, repos: Readonly<Record<string, string>>): Promise<PlannedRender[]> {
  const out: PlannedRender[] = [];
  for (const action of plan.actions) {
    if (action.kind !== 'commit' || !action.render) continue;
    const repo = repos[action.repo]!;
    const blobs = new CatFileBatch(repo);
    try {
      const files = [];
      for (const change of action.changes) {
        const file = await readFileAt(repo, action.parent, change.path, blobs);
        files.push({ path: change.path, text: patchConfigText(change.path, file.text, change.patches) });
      }
      const { dir, image } = action.render;
      const named = action.render.workload !== undefined && action.render.container !== undefined ? { workload: action.render.workload, container: action.render.container } : {};
      out.push({ actionId: action.id, dir, image, ...named, result: await renderCheck({ repo, commit: action.parent, files, renderDir: dir, image, ...named }) });
    } finally {
      blobs.close();
    }
  }
  return out;
}
