import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Environment, HotfixSpec, Policy } from '../../policy/types.js';
import type { HotfixState } from '../../state/hotfix/gather-hotfix.js';
import { overridable } from '../overrides.js';

/**
 * The policy's rules for a hotfix that do not depend on how it is built. Its limits
 * (maxCommits, maxChangedFiles, bypass) come back as overridable errors. Pure.
 */
export function hotfixRuleFindings(policy: Policy, rules: HotfixSpec, env: Environment, reason: string, state: HotfixState): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!(rules.reasons as readonly string[]).includes(reason))
    out.push(diagnostic('HF330', `reason "${reason}" is not allowed for a hotfix; the policy allows ${rules.reasons.join(', ')}`));

  // Environments before the target on the promotion path are skipped; each must be allowed.
  const rank = (e: Environment) => e.order ?? policy.spec.environments.indexOf(e);
  const skipped = policy.spec.environments.filter((e) => e !== env && rank(e) < rank(env) && e.baselineFor === undefined);
  for (const e of skipped)
    if (!(rules.bypass ?? []).includes(e.name)) out.push(overridable(diagnostic('HF339', `a hotfix straight to ${env.name} skips ${e.name}, which hotfix.bypass does not list`)));

  if (state.picks.length === 0) out.push(diagnostic('HF358', 'a hotfix needs at least one --pick: name the fix commit on the mainline'));
  if (state.picks.length > rules.maxCommits) out.push(overridable(diagnostic('HF332', `${state.picks.length} commits picked; hotfix.maxCommits allows ${rules.maxCommits}`)));
  for (const pick of state.picks) {
    if (!pick.commit) out.push(diagnostic('HF202', `${pick.input} is not a commit in ${state.app.repoName}`));
    else if (pick.commit.parents.length !== 1) out.push(diagnostic('HF359', `${pick.commit.sha.slice(0, 7)} is a merge commit; pick the commits it merged instead`));
    else if (!pick.onMainline) out.push(diagnostic('HF331', `${pick.commit.sha.slice(0, 7)} "${pick.commit.subject}" is not on ${state.app.mainline}; land the fix there first so it cannot be lost`));
  }
  const files = new Set(state.picks.flatMap((p) => p.files));
  if (rules.maxChangedFiles !== undefined && files.size > rules.maxChangedFiles)
    out.push(overridable(diagnostic('HF333', `the picks change ${files.size} files; hotfix.maxChangedFiles allows ${rules.maxChangedFiles}`)));
  for (const step of state.steps) {
    if (step.conflicts.length > 0) out.push(diagnostic('HF334', `${step.pick.slice(0, 7)} does not apply cleanly onto the deployed commit: conflicts in ${step.conflicts.join(', ')}`));
    // A pick already in the deployed commit, picked twice, or made by another pick: it
    // would be an empty commit with its own tag, image and deploy.
    else if (step.empty) out.push(diagnostic('HF347', `${step.pick.slice(0, 7)} changes nothing on top of the deployed commit${state.steps.indexOf(step) > 0 ? ' and the picks before it' : ''}: its change is there already; leave it out of --pick`));
  }
  return out;
}
