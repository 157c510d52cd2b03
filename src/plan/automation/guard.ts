import type { Environment } from '../../policy/types.js';
import type { AutomationScan, FileAtRevision, FluxObject, RollbackState } from '../../state/types.js';
import { counterImageUpdaters, findImageUpdaters } from './argocd-image-updater.js';
import type { AutomationInput, Counter, FoundAutomation, GuardPatch } from './engine.js';
import { counterFluxV1, findFluxV1 } from './flux-v1.js';
import { counterFlux, findFlux } from './flux-v2.js';
import { findPullRequestBots } from './pr-bots.js';
import { automationSetting } from './setting.js';

export type { GuardPatch } from './engine.js';

interface Facts {
  readonly config: { readonly path: string; readonly text: string };
  readonly flux: readonly FluxObject[];
  readonly automation: AutomationScan;
  readonly files?: Readonly<Record<string, FileAtRevision>>;
}

function inputOf(env: Environment, image: string, facts: Facts): AutomationInput {
  return { env, image, setting: automationSetting(env), config: facts.config, flux: facts.flux, scan: facts.automation, files: facts.files ?? {} };
}

/** Every engine found that writes this environment's config, or proposes changes to it: what status reports. Pure. */
export function automationFound(env: Environment, image: string, facts: Facts): FoundAutomation[] {
  const input = inputOf(env, image, facts);
  return [...findFlux(input), ...findFluxV1(input), ...findImageUpdaters(input), ...findPullRequestBots(input)];
}

/**
 * Image automation pushes the newest tag straight back after a rollback unless it is
 * stopped. Each engine found (or the one the policy names) warns, or, where the policy
 * says so, carries the change that stops it; changes to one file are one commit. Pure.
 */
export function automationGuard(env: Environment, image: string, state: RollbackState, targetTag: string | undefined): Counter {
  const input = inputOf(env, image, { config: state.config, flux: state.flux, automation: state.automation, files: state.fluxFiles });
  const counters = [counterFlux(input, targetTag), counterFluxV1(input, targetTag), counterImageUpdaters(input, targetTag)];
  return {
    diagnostics: counters.flatMap((c) => c.diagnostics),
    patches: byFile(counters.flatMap((c) => c.patches)),
    notes: counters.flatMap((c) => c.notes),
    rollbackEdits: counters.flatMap((c) => c.rollbackEdits),
  };
}

/** A file patched twice would lose the first change (each patch starts from the file at head): one commit per file. */
function byFile(patches: readonly GuardPatch[]): GuardPatch[] {
  const out: GuardPatch[] = [];
  for (const patch of patches) {
    const i = out.findIndex((p) => p.file === patch.file);
    if (i < 0) out.push(patch);
    else {
      const render = out[i]!.render ?? patch.render;
      out[i] = { ...out[i]!, patches: [...out[i]!.patches, ...patch.patches], message: `${out[i]!.message}\n\n${patch.message}`, ...(render ? { render } : {}) };
    }
  }
  return out;
}
