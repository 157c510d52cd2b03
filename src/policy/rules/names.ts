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
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import type { PathSegment } from '../data-path.js';
import { memoize } from './memoize.js';
import type { Rule, RuleContext } from './rule.js';

/**
 * Branch, tag and image-tag names: templates use only their placeholders, and every name
 * the policy can produce is one git (or the registry) accepts.
 */
export const nameRules: Rule = (context) => {
  const { policy } = context;
  const out: Diagnostic[] = [];
  const { app, hotfix, rollback, environments } = policy.spec;

  out.push(...checkTemplate(context, app.tagFormat, 'tagFormat', ['spec', 'app', 'tagFormat']));
  if (hotfix) {
    out.push(...checkTemplate(context, hotfix.branch, 'hotfixBranch', ['spec', 'hotfix', 'branch']));
    if (hotfix.tag !== undefined) out.push(...checkTemplate(context, hotfix.tag, 'hotfixBranch', ['spec', 'hotfix', 'tag']));
  }
  if (rollback) out.push(...checkTemplate(context, rollback.branch, 'rollbackBranch', ['spec', 'rollback', 'branch']));
  environments.forEach((env, i) => {
    if (env.baseline) out.push(...checkTemplate(context, env.baseline.branch, 'baselineBranch', ['spec', 'environments', i, 'baseline', 'branch']));
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

function checkTemplate({ report }: RuleContext, template: string, kind: TemplateKind, path: PathSegment[]): Diagnostic[] {
  return TEMPLATE_PROBLEMS[kind](template).map(({ code, message }) => report(code, message, path));
}

interface Problem {
  readonly code: DiagnosticCode;
  readonly message: string;
}

const branchNameProblem = memoize(shortRefNameProblem);

const TEMPLATE_PROBLEMS: Record<TemplateKind, (template: string) => readonly Problem[]> = {
  tagFormat: memoize((template) => templateProblems(template, 'tagFormat')),
  hotfixBranch: memoize((template) => templateProblems(template, 'hotfixBranch')),
  rollbackBranch: memoize((template) => templateProblems(template, 'rollbackBranch')),
  baselineBranch: memoize((template) => templateProblems(template, 'baselineBranch')),
};

/** What is wrong with a template of this kind: unknown placeholders, or names it can never make valid. */
function templateProblems(template: string, kind: TemplateKind): Problem[] {
  const allowed: readonly string[] = TEMPLATE_PLACEHOLDERS[kind];
  const parsed = parseTemplate(template);
  const unknown = parsed.parts.filter((p) => p.kind === 'placeholder' && !allowed.includes(p.name));
  if (parsed.unclosedAt !== undefined) return [{ code: 'HF121', message: `"${template}" has a "{" at character ${parsed.unclosedAt + 1} that is never closed` }];
  if (unknown.length > 0)
    return unknown.map((p) => ({ code: 'HF121', message: `unknown placeholder {${p.kind === 'placeholder' ? p.name : ''}} in "${template}"; this template may use ${allowed.map((a) => `{${a}}`).join(' ')}` }));

  // Placeholders only ever give safe characters, so one sample rendering shows whether
  // the literal parts can ever form a valid name. Only tagFormat makes image tags.
  const sample = renderTemplate(template, SAMPLE_VALUES);
  if (kind === 'tagFormat') {
    const problem = imageTagProblem(sample);
    return problem ? [{ code: 'HF129', message: `"${template}" can never be a valid image tag: ${problem}` }] : [];
  }
  const problem = shortRefNameProblem(sample);
  return problem ? [{ code: 'HF122', message: `"${template}" can never be a valid git ref name: ${problem}` }] : [];
}
