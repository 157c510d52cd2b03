import { posix } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { memoize } from './memoize.js';
import type { Rule } from './rule.js';

/** Config files stay inside their repository, and locators point at this app's image. */
export const configLocationRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  policy.spec.environments.forEach((env, i) => {
    const { locator } = env.config;
    for (const key of ['file', 'render'] as const) {
      const value = env.config[key];
      const problem = value === undefined ? undefined : pathProblem(value);
      if (problem) out.push(report('HF124', `config.${key} "${value}" ${problem}`, ['spec', 'environments', i, 'config', key]));
    }

    // A bare name (`api`) is a placeholder the manifests use, with newName giving the real image.
    if (locator.kustomizeImage !== undefined && locator.kustomizeImage.includes('/') && locator.kustomizeImage !== policy.spec.app.image)
      out.push(report('HF132', `locator.kustomizeImage "${locator.kustomizeImage}" is not app.image "${policy.spec.app.image}"`, ['spec', 'environments', i, 'config', 'locator', 'kustomizeImage']));

    const flux = env.automation?.flux;
    if (flux?.onRollback === 'pin' && flux.imagePolicy === undefined)
      out.push(report('HF130', 'automation.flux.onRollback is "pin" but automation.flux.imagePolicy is not set, so there is no policy to pin', ['spec', 'environments', i, 'automation', 'flux', 'onRollback']));
  });
  return out;
};

/** Why a path given relative to a repository root could point outside it. */
const pathProblem = memoize((path: string): string | undefined => {
  if (posix.isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\')) return 'is absolute; give it relative to the repository root';
  if (path.split(/[\\/]/).includes('..')) return 'contains "..", which could leave the repository';
  return undefined;
});
