import { overrideTrailers } from '../plan/commit-trailers.js';
import type { Override, Plan } from '../plan/types.js';

export interface OverrideBanner {
  readonly title: string;
  readonly overrides: readonly Override[];
  /** What each commit of the plan ends with, so the lifted rules stay in the history. */
  readonly trailers: readonly string[];
}

/**
 * What a plan that breaks glass must say before anything else, in every render: which of
 * the policy's rules it lifts, why, and what each would have refused. `name` shows the
 * policy's name (markdown puts it in a code span). Pure.
 */
export function overrideBanner(plan: Plan, name: (text: string) => string = (text) => text): OverrideBanner | undefined {
  const overrides = plan.overrides ?? [];
  if (overrides.length === 0) return undefined;
  const rules = overrides.length === 1 ? 'a rule' : `${overrides.length} rules`;
  return { title: `BREAK-GLASS: this plan lifts ${rules} of policy ${name(plan.policy.name)}, for this plan only`, overrides, trailers: overrideTrailers(overrides) };
}
