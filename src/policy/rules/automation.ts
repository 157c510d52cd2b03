import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { AutomationEngine } from '../types.js';
import type { Rule } from './rule.js';

/** How each engine names its objects: fluxctl's `namespace:kind/name`, or `namespace/name`. */
const OBJECT_FORM: Readonly<Record<AutomationEngine, RegExp>> = {
  flux: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
  'argocd-image-updater': /^[a-z0-9]([a-z0-9-]*[a-z0-9])?\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
  'flux-v1': /^[a-z0-9]([a-z0-9-]*[a-z0-9])?:[a-z]+\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/,
};

/** The engine-neutral automation form and the older `flux:` form are not mixed, and an object names its engine. */
export const automationRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  policy.spec.environments.forEach((env, i) => {
    const automation = env.automation;
    if (!automation) return;
    const at = (key: string) => ['spec', 'environments', i, 'automation', key];
    const neutral = (['engine', 'object', 'onRollback'] as const).find((key) => automation[key] !== undefined);
    if (automation.flux && neutral) out.push(report('HF140', `automation.${neutral} is given with automation.flux; write automation.flux as engine: flux, object and onRollback, or keep only automation.flux`, at(neutral), 'key'));
    const { object, engine } = automation;
    if (object === undefined) return;
    if (engine === undefined) out.push(report('HF141', `automation.object "${object}" names no engine: add automation.engine (flux, flux-v1 or argocd-image-updater)`, at('object')));
    else if (!OBJECT_FORM[engine].test(object))
      out.push(report('HF141', `automation.object "${object}" is not how ${engine} names an object: write ${engine === 'flux-v1' ? 'namespace:kind/name, as fluxctl does (api:deployment/tracker-api)' : 'namespace/name'}`, at('object')));
  });
  return out;
};
