import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { refNameProblem } from '../policy/git-ref-name.js';
import { policyRemotes, shadowProblem } from '../policy/ref-shadowing.js';
import type { Policy } from '../policy/types.js';

/**
 * Why a plan may not create a branch or tag of this rendered name: git cannot create it
 * (HF210: invalid or too long), or it would make another name ambiguous (HF349), counting
 * the remotes the repository really has besides those the policy names. Pure.
 */
export function newRefNameProblem(name: string, refs: 'heads' | 'tags', what: string, policy: Policy, repoRemotes: readonly string[]): Diagnostic | undefined {
  const problem = refNameProblem(`refs/${refs}/${name}`);
  if (problem) return diagnostic('HF210', `${what} "${name}" is not a valid name: ${problem}`);
  const shadow = shadowProblem(name, [...policyRemotes(policy), ...repoRemotes]);
  if (shadow) return diagnostic('HF349', `${what} "${name}" would shadow other refs: ${shadow}; change the template so the name starts with a word of its own, such as "hotfix/"`);
  return undefined;
}
