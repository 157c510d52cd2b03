import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { closestName, didYouMean } from '../did-you-mean.js';
import type { Rule } from './rule.js';

/** Environment names: unique, every reference declared, baselines well formed, something left to deploy to. */
export const environmentRules: Rule = ({ policy, report }) => {
  const out: Diagnostic[] = [];
  const environments = policy.spec.environments;
  const names = environments.map((e) => e.name);
  const declared = new Set(names);

  const firstIndex = new Map<string, number>();
  environments.forEach((env, i) => {
    const first = firstIndex.get(env.name);
    if (first === undefined) firstIndex.set(env.name, i);
    else out.push(report('HF128', `environment "${env.name}" is declared twice (first at spec.environments[${first}])`, ['spec', 'environments', i, 'name']));
  });

  const undeclared = (name: string) => `environment "${name}" is not declared in spec.environments${didYouMean(name, names, closestName)}`;

  environments.forEach((env, i) => {
    if (env.baselineFor === undefined) {
      if (env.baseline !== undefined) out.push(report('HF133', `environment "${env.name}" sets baseline but not baselineFor, so the baseline is never used`, ['spec', 'environments', i, 'baseline'], 'key'));
      return;
    }
    const path = ['spec', 'environments', i, 'baselineFor'];
    if (!declared.has(env.baselineFor)) out.push(report('HF120', undeclared(env.baselineFor), path));
    else if (env.baselineFor === env.name) out.push(report('HF131', `environment "${env.name}" cannot be its own baseline`, path));
    else if (environments.some((other) => other.name === env.baselineFor && other.baselineFor !== undefined))
      out.push(report('HF131', `environment "${env.baselineFor}" takes a baseline itself, so it cannot have one`, path));
  });

  const bypass = policy.spec.hotfix?.bypass ?? [];
  bypass.forEach((name, i) => {
    if (!declared.has(name)) out.push(report('HF120', undeclared(name), ['spec', 'hotfix', 'bypass', i]));
  });
  if (declared.size > 0 && [...declared].every((name) => bypass.includes(name)))
    out.push(report('HF126', 'hotfix.bypass lists every environment, so a hotfix would be deployed nowhere', ['spec', 'hotfix', 'bypass'], 'key'));

  const orders = new Map<number, string>();
  environments.forEach((env, i) => {
    if (env.order === undefined) return;
    const other = orders.get(env.order);
    if (other !== undefined) out.push(report('HF128', `environments "${other}" and "${env.name}" have the same order ${env.order}, so the promotion path is ambiguous`, ['spec', 'environments', i, 'order']));
    else orders.set(env.order, env.name);
  });
  return out;
};
