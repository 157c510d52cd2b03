import { imageTagProblem, KNOWN_ONLY_AFTER_BUILD, matchTemplate, parseTemplate, renderTemplate, SAMPLE_VALUES, type TemplateValues } from '../policy/template.js';
import type { Action, Plan } from './types.js';

type GateAction = Extract<Action, { kind: 'gate' }>;

/** Each placeholder CI gives a value only once it built the image stands for itself in a pattern. */
const KEPT: TemplateValues = Object.fromEntries([...KNOWN_ONLY_AFTER_BUILD].map((name) => [name, `{${name}}`]));

/**
 * The tag a template gives with what the plan knows filled in and what only CI's build
 * knows left as written: `{branch}-{sha7}-{timestamp}` of hotfix/x at 9f0e2d1… is
 * `hotfix-x-9f0e2d1-{timestamp}`. Pure.
 */
export function tagPattern(template: string, values: TemplateValues): string {
  return renderTemplate(template, { ...values, ...KEPT });
}

/**
 * The tag `pattern` (a template whose only placeholders name the commit, or are CI's) gives
 * for the commit `head`, CI's parts kept; undefined where it gives none. Pure.
 */
export function tagOfHead(pattern: string, head: string): string | undefined {
  try {
    return renderTemplate(pattern, { sha: head, ...KEPT });
  } catch {
    return undefined;
  }
}

/** The gate's tag as planned: the pattern the gate decides, else the tag of its image. */
export const plannedTag = (gate: GateAction): string => gate.tagAtGate ?? gate.image.slice(gate.image.lastIndexOf(':') + 1);

/** Whether a tag has parts left for the gate to decide. */
export const decidedAtGate = (tag: string): boolean => parseTemplate(tag).parts.some((p) => p.kind === 'placeholder');

/** `{timestamp} and {build}`: the parts of a pattern the gate decides. */
export function undecidedParts(pattern: string): string {
  return parseTemplate(pattern)
    .parts.flatMap((p) => (p.kind === 'placeholder' ? [`{${p.name}}`] : []))
    .join(' and ');
}

/**
 * The tags of the registry's list that fit the pattern, newest first: by the decided parts
 * in the pattern's order, each compared as a number (timestamps, date-times and build
 * numbers all grow with time), then by the tag itself so that two lists in any order give
 * the same answer. Pure.
 */
export function fittingTags(pattern: string, tags: readonly string[]): string[] {
  const names = parseTemplate(pattern).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
  const fit = tags.flatMap((tag) => {
    const values = matchTemplate(pattern, tag);
    return values ? [{ tag, keys: names.map((n) => values[n as keyof TemplateValues]!) }] : [];
  });
  const numeric = (a: string, b: string) => (a.length - b.length !== 0 ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0);
  fit.sort((x, y) => {
    for (let i = 0; i < names.length; i++) {
      const order = numeric(y.keys[i]!.replace(/^0+(?=.)/, ''), x.keys[i]!.replace(/^0+(?=.)/, ''));
      if (order !== 0) return order;
    }
    return x.tag < y.tag ? 1 : x.tag > y.tag ? -1 : 0;
  });
  return fit.map((f) => f.tag);
}

/** What the plan says of a deploy commit whose tag the gate decides: the rule apply holds itself to. Pure. */
export function tagAtGateRule(gate: GateAction): string {
  const pattern = gate.tagAtGate!;
  return `tag decided at the gate: ${pattern}. CI gives ${undecidedParts(pattern)} only when it builds, so apply lists the registry's tags of ${gate.image.slice(0, -pattern.length - 1)}, takes the newest that fits ${pattern} whose ${gate.label} is ${gate.revision.slice(0, 7)}, and makes this commit with it: its diff and message differ from these only in ${undecidedParts(pattern)}, so its id differs from the one shown; apply, show and the journal print the tag taken and the commit made`;
}

/**
 * A plan may leave a tag to the gate only as planHotfix does: a gate whose pattern keeps
 * only placeholders CI fills at build time and could be a tag, and deploy commits after it
 * whose diff shows that pattern. Pure.
 */
export function tagAtGateProblems(plan: Plan): string[] {
  const out: string[] = [];
  plan.actions.forEach((action, index) => {
    if (action.kind === 'gate' && action.tagAtGate !== undefined) {
      const pattern = action.tagAtGate;
      // A commit that wrote the pattern without taking the gate's tag would deploy "{timestamp}".
      const untaken = plan.actions.filter((a) => a.kind === 'commit' && a.tagFromGate?.gate !== action.id && a.changes.some((c) => c.diff.includes(pattern)));
      for (const a of untaken) out.push(`${a.id}: it writes ${pattern}, which ${action.id} decides, without taking the tag from it`);
      const names = parseTemplate(pattern).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
      if (names.length === 0 || !names.every((n) => KNOWN_ONLY_AFTER_BUILD.has(n)) || imageTagProblem(renderTemplate(pattern, SAMPLE_VALUES)) !== undefined || !action.image.endsWith(`:${pattern}`))
        out.push(`${action.id}: it leaves "${pattern}" to decide, which is not a tag with only {timestamp}, {datetime} or {build} left for CI`);
    }
    if (action.kind !== 'commit' || action.tagFromGate === undefined) return;
    const gate = plan.actions.slice(0, index).find((a): a is GateAction => a.kind === 'gate' && a.id === action.tagFromGate!.gate);
    if (!gate || gate.tagAtGate !== action.tagFromGate.pattern) out.push(`${action.id}: its tag is decided at ${action.tagFromGate.gate}, a gate before it that decides no such tag`);
    else if (action.purpose !== 'deploy-hotfix' || !action.changes.some((c) => c.diff.includes(gate.tagAtGate!))) out.push(`${action.id}: its tag is decided at ${gate.id}, which only a hotfix's deploy commit that writes ${gate.tagAtGate} may be`);
    else if (action.tagFromGate.rule !== tagAtGateRule(gate)) out.push(`${action.id}: its rule for the tag decided at ${gate.id} is not the one apply follows`);
  });
  return out;
}

/** The deploy commit, marked as taking its tag from the gate where that gate leaves one to decide. Pure. */
export function withTagFromGate<A extends Extract<Action, { kind: 'commit' }>>(action: A, gate: GateAction): A {
  return gate.tagAtGate === undefined ? action : { ...action, tagFromGate: { gate: gate.id, pattern: gate.tagAtGate, rule: tagAtGateRule(gate) } };
}
