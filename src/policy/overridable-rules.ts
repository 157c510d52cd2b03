import { CODES, type DiagnosticCode } from '../diagnostics/codes.js';
import { closest } from './did-you-mean.js';

export type OverridableSection = 'rollback' | 'hotfix';

export interface OverridableRule {
  readonly section: OverridableSection;
  /** The setting whose limit the rule enforces, as the policy spells it. */
  readonly setting: string;
  /**
   * Whether the rule is off while the setting is unset (a limit such as maxAge), so that
   * declaring it overridable then lifts nothing; bypass, unset, forbids skipping anything.
   */
  readonly offWhenUnset: boolean;
}

/**
 * The rules a policy may let `--override` lift in an incident: limits that say how far or
 * how much, never what makes a plan wrong (a conflict, a commit not on the mainline, drift).
 * One list for lint (what `overridable:` may name) and the planners (what a request may lift).
 */
export const OVERRIDABLE_RULES: Readonly<Partial<Record<DiagnosticCode, OverridableRule>>> = {
  HF304: { section: 'rollback', setting: 'maxSteps', offWhenUnset: true },
  HF305: { section: 'rollback', setting: 'maxAge', offWhenUnset: true },
  HF332: { section: 'hotfix', setting: 'maxCommits', offWhenUnset: true },
  HF333: { section: 'hotfix', setting: 'maxChangedFiles', offWhenUnset: true },
  HF339: { section: 'hotfix', setting: 'bypass', offWhenUnset: false },
};

/** The codes a section's `overridable:` may list, with the setting each lifts: "HF305 (rollback.maxAge)". */
export function overridableIn(section: OverridableSection): Array<{ code: DiagnosticCode; words: string }> {
  return Object.entries(OVERRIDABLE_RULES)
    .filter(([, rule]) => rule.section === section)
    .map(([code, rule]) => ({ code: code as DiagnosticCode, words: `${code} (${section}.${rule!.setting})` }));
}

/** Why `code` cannot be overridden in `section`, in words; undefined when it can be. */
export function notOverridableWords(code: string, section: OverridableSection): string | undefined {
  const rule = OVERRIDABLE_RULES[code as DiagnosticCode];
  if (rule?.section === section) return undefined;
  if (rule) return `${code} is a ${rule.section} rule (${rule.section}.${rule.setting})`;
  const known = CODES[code as DiagnosticCode];
  if (known) return `${code} (${known.title}) is not a rule an override can lift`;
  const typo = closest(code, overridableIn(section).map((r) => r.code));
  return `"${code}" is no hotfix code${typo ? ` (did you mean ${typo}?)` : ''}`;
}
