import { posix } from 'node:path';
import { HotfixError } from '../../diagnostics/errors.js';
import { kustomizedNamespace, outermost } from '../../kustomize/kustomize-graph.js';
import { selectionPatches } from '../../kustomize/selection-patches.js';
import { fluxObjectsIn } from '../git/scan-flux.js';
import type { FluxObject, KustomizationFile, RenderedPolicy } from '../types.js';
import { renderTree } from './render-check.js';

/**
 * The ImagePolicies whose tag selection a kustomize patch sets, as `kubectl kustomize`
 * renders them in each outermost kustomization that builds their file: what Flux applies,
 * whatever order the patches take. Each directory is rendered once. A render that fails is
 * recorded with kubectl's words, for the plan to say why it cannot pin.
 */
export async function renderImagePolicies(repo: string, rev: string, policies: readonly FluxObject[], kustomizations: readonly KustomizationFile[], kubectl = 'kubectl'): Promise<RenderedPolicy[]> {
  const outputs = new Map<string, Promise<FluxObject[] | { error: string }>>();
  const out: RenderedPolicy[] = [];
  for (const policy of policies.filter((p) => p.kind === 'ImagePolicy' && selectionPatches(p, kustomizations).length > 0)) {
    for (const k of outermost(policy.file, kustomizations)) {
      const dir = posix.dirname(k.file) === '.' ? '' : posix.dirname(k.file);
      if (!outputs.has(dir)) outputs.set(dir, policiesRendered(repo, rev, dir, kubectl));
      const rendered = await outputs.get(dir)!;
      if ('error' in rendered) {
        out.push({ namespace: policy.namespaced === false ? (kustomizedNamespace(policy.file, kustomizations) ?? policy.namespace) : policy.namespace, name: policy.name, dir, error: rendered.error });
        continue;
      }
      for (const o of rendered.filter((r) => r.name === policy.name)) out.push({ namespace: o.namespace, name: o.name, dir, selection: o.selection ?? {} });
    }
  }
  return out;
}

async function policiesRendered(repo: string, rev: string, dir: string, kubectl: string): Promise<FluxObject[] | { error: string }> {
  try {
    return await renderTree({ repo, commit: rev, files: [] }, dir, `to read the ImagePolicies at ${rev.slice(0, 12)}`, kubectl, (output) =>
      fluxObjectsIn(`${dir || '.'} rendered`, output).filter((o) => o.kind === 'ImagePolicy'),
    );
  } catch (error) {
    if (error instanceof HotfixError) return { error: error.diagnostics.map((d) => d.message).join('; ') };
    throw error;
  }
}
