import type { AutomationEngine, Environment, OnRollback } from '../../policy/types.js';

/** What the policy says about image automation, the older `flux:` form read as `engine: flux`. */
export interface AutomationSetting {
  /** Only this engine is considered; undefined: every engine found. */
  readonly engine?: AutomationEngine;
  /** Only this object of the engine is considered. */
  readonly object?: string;
  /** Flux: the ImagePolicy to pin, `namespace/name`; else the one a marker on the config's image names. */
  readonly imagePolicy?: string;
  readonly onRollback: OnRollback;
}

export function automationSetting(env: Environment): AutomationSetting {
  const a = env.automation;
  if (a?.flux)
    return { engine: 'flux', object: a.flux.imageUpdateAutomation, onRollback: a.flux.onRollback, ...(a.flux.imagePolicy ? { imagePolicy: a.flux.imagePolicy } : {}) };
  return { ...(a?.engine ? { engine: a.engine } : {}), ...(a?.object ? { object: a.object } : {}), onRollback: a?.onRollback ?? 'warn' };
}

/** Whether the setting lets an engine take part. */
export function considers(setting: AutomationSetting, engine: AutomationEngine): boolean {
  return setting.engine === undefined || setting.engine === engine;
}
