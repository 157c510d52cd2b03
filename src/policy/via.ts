import type { Environment, Policy, Via } from './types.js';

/** How a hotfix's deploy commit reaches this environment's config branch. */
export function deployVia(policy: Policy, env: Environment): Via {
  return env.config.via ?? policy.spec.git?.via ?? 'push';
}

/** How a hotfix's merge-backs reach their branches. */
export function mergeBackVia(policy: Policy): Via {
  return policy.spec.git?.via ?? 'push';
}

/** Whether any commit of the policy's hotfixes goes to a branch of its own for review. */
export function reviewsAnything(policy: Policy): boolean {
  return mergeBackVia(policy) === 'pull-request' || policy.spec.environments.some((env) => deployVia(policy, env) === 'pull-request');
}
