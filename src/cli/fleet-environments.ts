import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { closestName } from '../policy/did-you-mean.js';
import type { LoadedFleet } from '../policy/load-policies.js';
import type { Environment, Policy } from '../policy/types.js';
import { quote } from './plan/option-values.js';

/**
 * Which environments of each policy a fleet's status shows: all, or the one --env names
 * where a policy has it. A directory with no policy (HF237), or none with that
 * environment (HF302, with the names the fleet has), is refused: an empty table would
 * read as all good.
 */
export function fleetEnvironments(fleet: LoadedFleet, dir: string, name: string | undefined): (policy: Policy) => readonly Environment[] {
  if (fleet.policies.length === 0 && fleet.unreadable.length === 0) {
    const read = fleet.yamlFiles === 0 ? 'no YAML file is there' : `${fleet.yamlFiles === 1 ? 'the 1 YAML file' : `none of the ${fleet.yamlFiles} YAML files`} there ${fleet.yamlFiles === 1 ? 'is not' : 'is'} a policy`;
    throw new HotfixError([diagnostic('HF237', `no HotfixPolicy found in ${quote(dir)}: ${read}`)]);
  }
  if (name === undefined) return (policy) => policy.spec.environments;
  const names = [...new Set(fleet.policies.flatMap((p) => p.policy.spec.environments.map((e) => e.name)))].sort();
  if (fleet.policies.length > 0 && !names.includes(name)) {
    const likely = closestName(name, names);
    throw new HotfixError([diagnostic('HF302', `environment ${quote(name)} is declared by no policy in ${quote(dir)} (they have ${names.join(', ')})${likely === undefined ? '' : `; did you mean ${quote(likely)}?`}`)]);
  }
  return (policy) => policy.spec.environments.filter((e) => e.name === name);
}
