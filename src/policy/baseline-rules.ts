import type { Environment } from './types.js';

export type BaselineRules = NonNullable<Environment['baseline']>;

/** The schema's defaults, for an environment that takes a baseline without saying how. */
const DEFAULT_RULES: BaselineRules = { match: 'image', ifMissing: 'refuse', branch: 'hotfix-config/{env}-{date}-{sha7}' };

/** How an environment's baseline for a hotfix is found and named. Pure. */
export function baselineRules(env: Environment): BaselineRules {
  return env.baseline ?? DEFAULT_RULES;
}
