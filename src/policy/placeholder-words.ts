import { closest } from './did-you-mean.js';
import { KNOWN_ONLY_AFTER_BUILD, parseTemplate, PLACEHOLDER_MEANINGS, shaPrefixLength, TEMPLATE_PLACEHOLDERS, type Placeholder, type TemplateKind } from './template.js';

/** `{timestamp} (the time CI built the image in Unix seconds …)`: a placeholder as lint explains it. */
export function explainPlaceholder(name: string): string {
  const length = shaPrefixLength(name);
  const meaning = length === undefined ? PLACEHOLDER_MEANINGS[name as Placeholder] : `the first ${length} hex digits of the commit id`;
  return `{${name}} (${meaning})`;
}

/** Why a placeholder is not one this template takes, and which one was likely meant. */
export function unknownPlaceholder(name: string, template: string, kind: TemplateKind): string {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[kind];
  const prefix = /^sha([0-9]+)$/.exec(name);
  const why = prefix && allowed.includes('shaN') ? `: a commit id prefix {shaN} has N from 4 to 40, not ${prefix[1]}` : '';
  // {sah8} most likely meant the prefix of the length it gives.
  const length = /[0-9]+$/.exec(name)?.[0] ?? '7';
  const likely = why ? undefined : closest(name, allowed.map((a) => (a === 'shaN' ? `sha${length}` : a)));
  const hint = likely === undefined ? '' : `; did you mean ${explainPlaceholder(likely)}?`;
  return `unknown placeholder {${name}} in "${template}"${why}${hint}; ${kind === 'tagFormat' ? 'tagFormat' : 'this template'} may use ${allowed.map((a) => `{${a}}`).join(' ')}`;
}

/** Each placeholder of a tag template known only once CI built the image, with its offset in the template. */
export function afterBuildParts(template: string): Array<{ readonly name: string; readonly offset: number }> {
  return parseTemplate(template).parts.flatMap((p) => (p.kind === 'placeholder' && KNOWN_ONLY_AFTER_BUILD.has(p.name) ? [{ name: p.name, offset: p.offset }] : []));
}
