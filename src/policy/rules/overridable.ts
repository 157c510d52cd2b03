import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { notOverridableWords, OVERRIDABLE_RULES, overridableIn } from '../overridable-rules.js';
import type { Rule } from './rule.js';

/**
 * `overridable:` names only rules an override can lift, each under its own section; one
 * whose limit is not set lifts nothing, which is worth a warning rather than silence.
 */
export const overridableRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  for (const section of ['rollback', 'hotfix'] as const) {
    const spec = policy.spec[section];
    const here = overridableIn(section);
    (spec?.overridable ?? []).forEach((code, i) => {
      const path = ['spec', section, 'overridable', i];
      const rule = OVERRIDABLE_RULES[code as keyof typeof OVERRIDABLE_RULES];
      const why = notOverridableWords(code, section);
      if (why || !rule) out.push(report('HF145', rule ? `${why}; list it under spec.${rule.section}.overridable` : `${why}; ${section}.overridable may list ${here.map((r) => r.words).join(', ')}`, path));
      else if (rule.offWhenUnset && (spec as unknown as Record<string, unknown>)[rule.setting] === undefined)
        out.push(report('HF133', `${section}.overridable lists ${code}, but ${section}.${rule.setting} is not set, so that rule never refuses a plan and overriding it lifts nothing`, path));
    });
  }
  return out;
};
