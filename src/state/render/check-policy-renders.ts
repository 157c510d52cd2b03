import { patchConfigText } from '../../patch/patch-config.js';
import type { PolicyRenderSpec } from '../../plan/render-spec.js';
import type { Plan } from '../../plan/types.js';
import { CatFileBatch } from '../git/cat-file.js';
import { readFileAt } from '../git/read.js';
import { fluxObjectsIn } from '../git/scan-flux.js';
import type { TagSelection } from '../types.js';
import { renderTree } from './render-check.js';

export interface PolicyRender {
  readonly spec: PolicyRenderSpec;
  readonly dir: string;
  /** The ImagePolicy's selection as rendered; undefined where the render holds no such ImagePolicy. */
  readonly selection?: TagSelection;
}

/**
 * Renders again, for each pin written where a kustomize patch wins, every outermost
 * kustomization with the plan's files as they are after that commit (the branch's start
 * with each earlier commit's patches applied), and reads the ImagePolicy there.
 */
export async function checkPolicyRenders(plan: Plan, specs: readonly PolicyRenderSpec[], repos: Readonly<Record<string, string>>): Promise<PolicyRender[]> {
  const out: PolicyRender[] = [];
  for (const spec of specs) {
    const end = plan.actions.findIndex((a) => a.id === spec.actionId);
    const start = plan.actions.find((a) => a.kind === 'create-branch');
    if (end < 0 || start?.kind !== 'create-branch') continue;
    const repo = repos[start.repo]!;
    const blobs = new CatFileBatch(repo);
    try {
      const texts = new Map<string, string>();
      for (const action of plan.actions.slice(0, end + 1)) {
        if (action.kind !== 'commit') continue;
        for (const change of action.changes) texts.set(change.path, patchConfigText(change.path, texts.get(change.path) ?? (await readFileAt(repo, start.from, change.path, blobs)).text, change.patches));
      }
      const files = [...texts].map(([path, text]) => ({ path, text }));
      for (const dir of spec.dirs) {
        const found = await renderTree({ repo, commit: start.from, files }, dir, 'with the planned pin', 'kubectl', (output) =>
          fluxObjectsIn(`${dir || '.'} rendered`, output).find((o) => o.kind === 'ImagePolicy' && o.name === spec.name && o.namespace === spec.namespace),
        );
        out.push({ spec, dir, ...(found ? { selection: found.selection ?? {} } : {}) });
      }
    } finally {
      blobs.close();
    }
  }
  return out;
}
