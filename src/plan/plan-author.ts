import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { identProblem } from '../policy/git-ident.js';
import type { Policy } from '../policy/types.js';
import type { Person } from '../state/types.js';

const DEFAULT_AUTHOR = { name: 'hotfix', email: 'hotfix@localhost' };

/**
 * The author and committer of the commits and tags a plan makes. Lint refuses a policy whose
 * author git would write a broken header for, and a plan is never made with one either,
 * whatever path the policy took to get here. Pure.
 */
export function planAuthor(policy: Policy, date: string): Person | Diagnostic {
  const person = policy.spec.git?.author ?? DEFAULT_AUTHOR;
  for (const field of ['name', 'email'] as const) {
    const problem = identProblem(person[field]);
    if (problem) return diagnostic('HF210', `git.author.${field} ${JSON.stringify(person[field])} cannot be written into a commit: ${problem}`);
  }
  return { ...person, date };
}
