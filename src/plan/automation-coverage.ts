import { posix } from 'node:path';
import type { Environment } from '../policy/types.js';
import type { FluxObject } from '../state/types.js';

export function fluxRef(o: FluxObject): string {
  return `${o.namespace}/${o.name}`;
}

/**
 * The ImageUpdateAutomations that write this environment's config: the one the policy
 * names, or, when it names none, any that pushes to the config branch under whose update
 * path the config file lies. Pure.
 */
export function automationsCovering(env: Environment, flux: readonly FluxObject[]): FluxObject[] {
  const named = env.automation?.flux?.imageUpdateAutomation;
  return flux.filter((o) => o.kind === 'ImageUpdateAutomation' && (named ? fluxRef(o) === named : covers(o, env)));
}

function covers(o: FluxObject, env: Environment): boolean {
  if (o.branch !== undefined && o.branch !== env.config.branch) return false;
  if (o.target === undefined) return true;
  const base = posix.normalize(o.target).replace(/^\.\/?/, '').replace(/\/$/, '');
  return base === '' || env.config.file === base || env.config.file.startsWith(`${base}/`);
}
