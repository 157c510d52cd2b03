import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { notOverridableWords, OVERRIDABLE_RULES, overridableIn, type OverridableSection } from '../policy/overridable-rules.js';
import type { Override } from './types.js';

/** A finding of a limit a policy may let `--override` lift; only `liftOverrides` reads the mark. */
export interface OverridableFinding extends Diagnostic {
  readonly overridable: true;
}

/** How a rule raises a finding that an override may lift: the rule does not decide whether it is. */
export function overridable(finding: Diagnostic): OverridableFinding {
  return { ...finding, overridable: true };
}

/** What the request asks to lift, and why. */
export interface OverrideRequest {
  readonly codes: readonly string[];
  readonly reason?: string;
}

/**
 * The one place that decides which findings the request's overrides lift. A code may be
 * lifted only when it names an overridable rule of this kind of plan and the policy's
 * section lists it under `overridable:`, and only with a reason; a finding is lifted only
 * when its rule raised it as overridable (HF332 is also "no --pick", which nothing lifts).
 * Returns the findings that stand (with the request's own problems, and a warning for
 * each override that lifted nothing) and the overrides the plan must carry. Pure.
 */
export function liftOverrides(
  findings: readonly Diagnostic[],
  section: OverridableSection,
  allowed: readonly string[],
  request: OverrideRequest,
): { findings: Diagnostic[]; overrides: Override[] } {
  const asked = [...new Set(request.codes)];
  const problems = requestProblems(asked, section, allowed, request.reason);
  if (problems.length > 0) return { findings: [...problems, ...findings.map(unmarked)], overrides: [] };

  const reason = request.reason?.trim() ?? '';
  const standing: Diagnostic[] = [];
  const lifted = new Map<string, string[]>();
  for (const finding of findings) {
    const liftable = 'overridable' in finding && allowed.includes(finding.code);
    if (liftable && asked.includes(finding.code)) lifted.set(finding.code, [...(lifted.get(finding.code) ?? []), finding.message]);
    else standing.push(liftable ? { ...unmarked(finding), message: `${finding.message}; this policy lets --override ${finding.code} --reason "…" lift it in an incident` } : unmarked(finding));
  }
  const overrides: Override[] = [];
  for (const code of asked) {
    const messages = lifted.get(code);
    const setting = `${section}.${OVERRIDABLE_RULES[code as keyof typeof OVERRIDABLE_RULES]!.setting}`;
    if (messages) overrides.push({ code, rule: setting, reason, lifted: messages });
    else standing.push(diagnostic('HF388', `--override ${code} lifts nothing: ${setting} did not stop this plan, so the plan carries no override for it`));
  }
  return { findings: standing, overrides };
}

function requestProblems(asked: readonly string[], section: OverridableSection, allowed: readonly string[], reason: string | undefined): Diagnostic[] {
  if (asked.length === 0) return [];
  const here = overridableIn(section);
  const listed = here.filter((r) => allowed.includes(r.code));
  const out: Diagnostic[] = [];
  for (const code of asked) {
    const why = notOverridableWords(code, section);
    if (why) out.push(diagnostic('HF386', `--override ${code} is refused: ${why}; a ${section} can lift only ${here.map((r) => r.words).join(', ')}, where the policy lists them`));
    else if (!allowed.includes(code))
      out.push(diagnostic('HF385', `--override ${code} is refused: the policy does not list it under ${section}.overridable; ${listed.length > 0 ? `it lets --override lift ${listed.map((r) => r.words).join(', ')}` : `it lets --override lift nothing`}`));
  }
  if (!reason?.trim()) out.push(diagnostic('HF387', `--override ${asked.join(', ')} needs --reason "…": an override is recorded with its reason in the plan and in every commit apply makes`));
  return out;
}

function unmarked(finding: Diagnostic): Diagnostic {
  if (!('overridable' in finding)) return finding;
  const { overridable: _mark, ...rest } = finding as OverridableFinding;
  return rest;
}
