import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { shortRefNameProblem, shortRefSyntaxProblem } from '../git-ref-name.js';
import { allowsPlaceholder, imageTagProblem, parseTemplate, renderTemplate, SAMPLE_VALUES, type TemplateKind } from '../template.js';
import { unknownPlaceholder } from '../placeholder-words.js';
import type { PathSegment } from '../data-path.js';
import { policyRemotes } from '../ref-shadowing.js';
import { memoize } from './memoize.js';
import { refTemplateProblems, type Problem, type RefTemplate } from './ref-templates.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * Branch, tag and image-tag names: templates use only their placeholders, and every name
 * the policy can produce is one git (or the registry) accepts, can store, and does not
 * confuse with another ref.
 */
export const nameRules: Rule = (context) => {
  const { policy } = context;
  const out: Diagnostic[] = [];
  const { app, hotfix, rollback, environments } = policy.spec;

  out.push(...checkTemplate(context, app.tagFormat, 'tagFormat', ['spec', 'app', 'tagFormat']));
  const names = { envs: environments.map((e) => e.name), reasons: [], remotes: policyRemotes(policy) };
  if (hotfix) {
    const hotfixNames = { ...names, reasons: hotfix.reasons };
    out.push(...checkTemplate(context, hotfix.branch, 'hotfixBranch', ['spec', 'hotfix', 'branch'], { ...hotfixNames, refs: 'heads' }));
    if (hotfix.tag !== undefined) out.push(...checkTemplate(context, hotfix.tag, 'hotfixBranch', ['spec', 'hotfix', 'tag'], { ...hotfixNames, refs: 'tags' }));
    if (hotfix.imageTag !== undefined) out.push(...checkTemplate(context, hotfix.imageTag, 'tagFormat', ['spec', 'hotfix', 'imageTag']));
  }
  // Checked for placeholders and syntax only: {branch} takes any branch name, so plan checks each name it renders.
  if (policy.spec.git) for (const key of ['deployBranch', 'mergeBackBranch'] as const) out.push(...checkTemplate(context, policy.spec.git[key], 'reviewBranch', ['spec', 'git', key]));
  if (rollback) out.push(...checkTemplate(context, rollback.branch, 'rollbackBranch', ['spec', 'rollback', 'branch'], { ...names, refs: 'heads' }));
  environments.forEach((env, i) => {
    if (env.baseline) out.push(...checkTemplate(context, env.baseline.branch, 'baselineBranch', ['spec', 'environments', i, 'baseline', 'branch'], { ...names, envs: [env.name], refs: 'heads' }));
  });

  const literalBranches: Array<[string, PathSegment[]]> = [[app.mainline, ['spec', 'app', 'mainline']]];
  environments.forEach((env, i) => literalBranches.push([env.config.branch, ['spec', 'environments', i, 'config', 'branch']]));
  if (hotfix?.release !== undefined) literalBranches.push([hotfix.release, ['spec', 'hotfix', 'release']]);
  hotfix?.mergeBack?.forEach((branch, i) => literalBranches.push([branch, ['spec', 'hotfix', 'mergeBack', i]]));
  for (const [branch, path] of literalBranches) {
    const problem = branchNameProblem(branch);
    if (problem) out.push(context.report('HF122', `"${branch}" is not a valid git branch name: ${problem}`, path));
  }
  return out;
};

/** A template's problems; a branch or tag template that can make valid names is also checked for what it can fill in. */
function checkTemplate({ report }: RuleContext, template: string, kind: TemplateKind, path: PathSegment[], ref?: RefTemplate): Diagnostic[] {
  const problems = TEMPLATE_PROBLEMS[kind](template);
  return (problems.length === 0 && ref ? refTemplateProblems(template, ref) : problems).map(({ code, message }) => report(code, message, path));
}

const branchNameProblem = memoize(shortRefNameProblem);

const TEMPLATE_PROBLEMS: Record<TemplateKind, (template: string) => readonly Problem[]> = {
  tagFormat: memoize((template) => templateProblems(template, 'tagFormat')),
  hotfixBranch: memoize((template) => templateProblems(template, 'hotfixBranch')),
  rollbackBranch: memoize((template) => templateProblems(template, 'rollbackBranch')),
  baselineBranch: memoize((template) => templateProblems(template, 'baselineBranch')),
  reviewBranch: memoize((template) => templateProblems(template, 'reviewBranch')),
};

/** What is wrong with a template of this kind: unknown placeholders, or names it can never make valid. */
function templateProblems(template: string, kind: TemplateKind): Problem[] {
  const parsed = parseTemplate(template);
  if (parsed.unclosedAt !== undefined) return [{ code: 'HF121', message: `"${template}" has a "{" at character ${parsed.unclosedAt + 1} that is never closed` }];
  const unknown = parsed.parts.flatMap((p) => (p.kind === 'placeholder' && !allowsPlaceholder(kind, p.name) ? [p.name] : []));
  if (unknown.length > 0) return unknown.map((name) => ({ code: 'HF121', message: unknownPlaceholder(name, template, kind) }));

  // Placeholders only ever give safe characters, so one sample rendering shows whether
  // the literal parts can ever form a valid name. Only tagFormat makes image tags.
  const sample = renderTemplate(template, SAMPLE_VALUES);
  if (kind === 'tagFormat') {
    const problem = imageTagProblem(sample);
    return problem ? [{ code: 'HF129', message: `"${template}" can never be a valid image tag: ${problem}` }] : [];
  }
  const problem = shortRefSyntaxProblem(sample);
  return problem ? [{ code: 'HF122', message: `"${template}" can never be a valid git ref name: ${problem}` }] : [];
}
