import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { shortRefNameProblem } from '../git-ref-name.js';
import {
  imageTagProblem,
  parseTemplate,
  renderTemplate,
  SAMPLE_VALUES,
  TEMPLATE_PLACEHOLDERS,
  type TemplateKind,
} from '../template.js';
import type { PathSegment } from '../data-path.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * Branch, tag and image-tag names: templates use only their placeholders, and every name
 * the policy can produce is one git (or the registry) accepts.
 */
export const nameRules: Rule = (context) => {
  const { policy } = context;
  const out: Diagnostic[] = [];
  const { app, hotfix, rollback, environments } = policy.spec;

  out.push(...checkTemplate(context, app.tagFormat, 'tagFormat', ['spec', 'app', 'tagFormat'], 'image'));
  if (hotfix) {
    out.push(...checkTemplate(context, hotfix.branch, 'hotfixBranch', ['spec', 'hotfix', 'branch'], 'ref'));
    if (hotfix.tag !== undefined) out.push(...checkTemplate(context, hotfix.tag, 'hotfixBranch', ['spec', 'hotfix', 'tag'], 'ref'));
  }
  if (rollback) out.push(...checkTemplate(context, rollback.branch, 'rollbackBranch', ['spec', 'rollback', 'branch'], 'ref'));
  environments.forEach((env, i) => {
    if (env.baseline) out.push(...checkTemplate(context, env.baseline.branch, 'baselineBranch', ['spec', 'environments', i, 'baseline', 'branch'], 'ref'));
  });

  const literalBranches: Array<[string, PathSegment[]]> = [[app.mainline, ['spec', 'app', 'mainline']]];
  environments.forEach((env, i) => literalBranches.push([env.config.branch, ['spec', 'environments', i, 'config', 'branch']]));
  if (hotfix?.release !== undefined) literalBranches.push([hotfix.release, ['spec', 'hotfix', 'release']]);
  hotfix?.mergeBack?.forEach((branch, i) => literalBranches.push([branch, ['spec', 'hotfix', 'mergeBack', i]]));
  for (const [branch, path] of literalBranches) {
    const problem = shortRefNameProblem(branch);
    if (problem) out.push(context.report('HF122', `"${branch}" is not a valid git branch name: ${problem}`, path));
  }
  return out;
};

function checkTemplate(
  { report }: RuleContext,
  template: string,
  kind: TemplateKind,
  path: PathSegment[],
  produces: 'ref' | 'image',
): Diagnostic[] {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[kind];
  const parsed = parseTemplate(template);
  const unknown = parsed.parts.filter((p) => p.kind === 'placeholder' && !allowed.includes(p.name));
  if (parsed.unclosedAt !== undefined)
    return [report('HF121', `"${template}" has a "{" at character ${parsed.unclosedAt + 1} that is never closed`, path)];
  if (unknown.length > 0)
    return unknown.map((p) => report('HF121', `unknown placeholder {${p.kind === 'placeholder' ? p.name : ''}} in "${template}"; this template may use ${allowed.map((a) => `{${a}}`).join(' ')}`, path));

  // Placeholders only ever give safe characters, so one sample rendering shows whether
  // the literal parts can ever form a valid name.
  const sample = renderTemplate(template, SAMPLE_VALUES);
  const problem = produces === 'ref' ? shortRefNameProblem(sample) : imageTagProblem(sample);
  if (!problem) return [];
  return produces === 'ref'
    ? [report('HF122', `"${template}" can never be a valid git ref name: ${problem}`, path)]
    : [report('HF129', `"${template}" can never be a valid image tag: ${problem}`, path)];
}
