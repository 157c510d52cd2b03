import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { closestName } from '../policy/did-you-mean.js';
import type { Environment, Policy } from '../policy/types.js';
import { quote } from './plan/option-values.js';

/**
 * The environment `--env` names. One not declared is HF302 with what the policy declares
 * and the name most likely meant ("prod" for "production"), as lint says for a policy.
 */
export function chosenEnvironment(policy: Policy, name: string, policyPath: string): Environment {
  const env = policy.spec.environments.find((e) => e.name === name);
  if (env) return env;
  const names = policy.spec.environments.map((e) => e.name);
  const likely = closestName(name, names);
  throw new HotfixError([diagnostic('HF302', `environment ${quote(name)} is not declared in ${policyPath} (it has ${names.join(', ')})${likely === undefined ? '' : `; did you mean ${quote(likely)}?`}`)]);
}
