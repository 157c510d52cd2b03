import { shellWord } from '../plan/shell-word.js';
import type { Plan } from '../plan/types.js';

/**
 * The command that plans what is left of a hotfix from the branch heads of now: it adopts
 * the hotfix branch and tag this plan made (same base, same picks by patch-id) and plans
 * only the remaining steps (the deploy, if the config does not run the hotfix yet, and the
 * merge-backs). The running image is given as the plan found it (`--deployed`): once the
 * hotfix runs, the cluster would name the hotfix's image instead. Valid shell as printed. Pure.
 */
export function replanCommand(plan: Plan): string | undefined {
  const r = plan.request;
  if (r.kind !== 'hotfix') return undefined;
  const words = ['hotfix', 'plan', 'hotfix', '--policy', shellWord(plan.policy.file), '--env', shellWord(r.environment)];
  for (const [name, path] of Object.entries(plan.repos)) words.push('--repo', shellWord(`${name}=${path}`));
  words.push('--deployed', shellWord(r.deployed ?? plan.deployed.image), '--reason', shellWord(r.reason));
  for (const pick of r.picks) words.push('--pick', shellWord(pick));
  if (r.version !== undefined) words.push('--version', shellWord(r.version));
  for (const code of r.overrides ?? []) words.push('--override', shellWord(code));
  words.push('--out', 'plan.json');
  return words.join(' ');
}
