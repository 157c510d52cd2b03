import { posix } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Rule } from './rule.js';

/** Config files stay inside their repository, and locators point at this app's image. */
export const configLocationRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  policy.spec.environments.forEach((env, i) => {
    const { file, locator } = env.config;
    const path = ['spec', 'environments', i, 'config', 'file'];
    if (posix.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\'))
      out.push(report('HF124', `config.file "${file}" is absolute; give it relative to the repository root`, path));
    else if (file.split(/[\\/]/).includes('..'))
      out.push(report('HF124', `config.file "${file}" contains "..", which could leave the repository`, path));

    if (locator.kustomizeImage !== undefined && locator.kustomizeImage !== policy.spec.app.image)
      out.push(report('HF132', `locator.kustomizeImage "${locator.kustomizeImage}" is not app.image "${policy.spec.app.image}"`, ['spec', 'environments', i, 'config', 'locator', 'kustomizeImage']));

    const flux = env.automation?.flux;
    if (flux?.onRollback === 'pin' && flux.imagePolicy === undefined)
      out.push(report('HF130', 'automation.flux.onRollback is "pin" but automation.flux.imagePolicy is not set, so there is no policy to pin', ['spec', 'environments', i, 'automation', 'flux', 'onRollback']));
  });
  return out;
};
