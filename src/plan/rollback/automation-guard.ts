import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { DocumentPatch } from '../../patch/patch-yaml.js';
import type { Environment } from '../../policy/types.js';
import type { RollbackState } from '../../state/types.js';
import { automationsCovering, fluxRef } from '../automation-coverage.js';

export interface GuardPatch {
  readonly file: string;
  readonly purpose: 'suspend-automation' | 'pin-policy';
  readonly patches: readonly DocumentPatch[];
  readonly message: string;
}

/**
 * Image automation pushes the newest tag straight back after a rollback unless it is
 * suspended or its policy pinned. Finds the Flux objects in the config repo that cover this
 * image and file, warns, and where the policy says so, carries the change that stops it.
 */
export function automationGuard(env: Environment, image: string, state: RollbackState, targetTag: string | undefined): { diagnostics: Diagnostic[]; patches: GuardPatch[] } {
  const flux = env.automation?.flux;
  const automations = automationsCovering(env, state.flux);
  const active = automations.filter((o) => !o.suspended);
  const named = flux?.imageUpdateAutomation;

  if (active.length === 0) {
    if (named && automations.length === 0)
      return { diagnostics: [diagnostic('HF310', `ImageUpdateAutomation ${named} is not in the config repository; if it runs in the cluster, suspend it there (flux suspend image update ${named.split('/')[1]} -n ${named.split('/')[0]}) or it will push the newer tag back`)], patches: [] };
    return { diagnostics: [], patches: [] };
  }

  const action = flux?.onRollback ?? 'warn';
  const names = active.map((o) => `${fluxRef(o)} (${o.file})`).join(', ');
  if (action === 'suspend')
    return {
      diagnostics: [],
      patches: active.map((o) => ({
        file: o.file,
        purpose: 'suspend-automation',
        patches: [{ document: o.document, ops: [{ op: 'add', path: '/spec/suspend', value: true }] }],
        message: `Suspend image automation ${fluxRef(o)}\n\nIt would push the newer ${image} tag straight back after the rollback.\nResume it (spec.suspend: false) once a fixed image is released.`,
      })),
    };

  if (action === 'pin' && targetTag !== undefined) {
    const policy = state.flux.find((o) => o.kind === 'ImagePolicy' && fluxRef(o) === flux?.imagePolicy);
    if (policy)
      return {
        diagnostics: [],
        patches: [{
          file: policy.file,
          purpose: 'pin-policy',
          patches: [{ document: policy.document, ops: [{ op: 'add', path: '/spec/filterTags/pattern', value: `^${targetTag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` }] }],
          message: `Pin image policy ${fluxRef(policy)} to ${targetTag}\n\nImage automation ${names} would otherwise push the newer ${image} tag straight back.\nUnpin it once a fixed image is released.`,
        }],
      };
    return { diagnostics: [diagnostic('HF310', `ImagePolicy ${flux?.imagePolicy ?? '(none named)'} is not in the config repository, so it cannot be pinned; ${names} will push the newer tag back`)], patches: [] };
  }
  return { diagnostics: [diagnostic('HF310', `image automation ${names} is active and will push the newer ${image} tag straight back; suspend it, or set automation.flux.onRollback to suspend or pin`)], patches: [] };
}
