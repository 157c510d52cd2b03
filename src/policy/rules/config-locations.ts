import { posix } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** Config files stay inside their repository, and locators point at this app's image. */
export const configLocationRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  policy.spec.environments.forEach((env, i) => {
    const { file, locator } = env.config;
    for (const [key, value] of [['file', file], ['render', env.config.render]] as const) {
      if (value === undefined) continue;
      const path = ['spec', 'environments', i, 'config', key];
      if (posix.isAbsolute(value) || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\'))
        out.push(report('HF124', `config.${key} "${value}" is absolute; give it relative to the repository root`, path));
      else if (value.split(/[\\/]/).includes('..'))
        out.push(report('HF124', `config.${key} "${value}" contains "..", which could leave the repository`, path));
    }

    if (locator.kustomizeImage !== undefined && locator.kustomizeImage !== policy.spec.app.image)
      out.push(report('HF132', `locator.kustomizeImage "${locator.kustomizeImage}" is not app.image "${policy.spec.app.image}"`, ['spec', 'environments', i, 'config', 'locator', 'kustomizeImage']));

    const flux = env.automation?.flux;
    if (flux?.onRollback === 'pin' && flux.imagePolicy === undefined)
      out.push(report('HF130', 'automation.flux.onRollback is "pin" but automation.flux.imagePolicy is not set, so there is no policy to pin', ['spec', 'environments', i, 'automation', 'flux', 'onRollback']));
  });
  return out;
};
