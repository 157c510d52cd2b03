import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { refNameProblem } from '../policy/git-ref-name.js';
import { policyRemotes, shadowProblem } from '../policy/ref-shadowing.js';
import type { Policy } from '../policy/types.js';
import type { LocalRefNames } from '../state/types.js';
import type { Precondition } from './types.js';

/** The repository a new branch or tag is made in, as far as its name is concerned. */
export interface RefNameContext {
  readonly repoName: string;
  readonly remotes: readonly string[];
  readonly refs: LocalRefNames;
}

/**
 * Why a plan may not create a branch or tag of this rendered name in this repository: git
 * cannot create it (HF210: invalid or too long), it exists (HF312), it would make another
 * name ambiguous (HF349: a tag of the same name for a branch or the reverse, a remote, a
 * namespace), or a ref already uses it as a folder or a folder of it as a name (HF355:
 * git cannot hold `a` and `a/b` at once). Pure.
 */
export function newRefNameProblem(name: string, kind: 'heads' | 'tags', what: string, policy: Policy, repo: RefNameContext): Diagnostic | undefined {
  const problem = refNameProblem(`refs/${kind}/${name}`);
  if (problem) return diagnostic('HF210', `${what} "${name}" is not a valid name: ${problem}`);
  const [same, other] = kind === 'heads' ? [repo.refs.branches, repo.refs.tags] : [repo.refs.tags, repo.refs.branches];
  const noun = kind === 'heads' ? 'branch' : 'tag';
  if (same.includes(name)) return diagnostic('HF312', `${what} ${name} already exists in ${repo.repoName}: delete the ${noun} or change the template`);
  if (other.includes(name))
    return diagnostic('HF349', `${what} "${name}" would shadow other refs: ${repo.repoName} has a ${kind === 'heads' ? 'tag' : 'branch'} of that name, so "git checkout ${name}" would be ambiguous; change the template`);
  const shadow = shadowProblem(name, [...policyRemotes(policy), ...repo.remotes]);
  if (shadow) return diagnostic('HF349', `${what} "${name}" would shadow other refs: ${shadow}; change the template so the name starts with a word of its own, such as "hotfix/"`);
  const clash = same.find((existing) => existing.startsWith(`${name}/`) || name.startsWith(`${existing}/`));
  if (clash !== undefined) return diagnostic('HF355', `${what} ${name} cannot be made in ${repo.repoName}: ${noun} ${clash} exists, and git cannot hold both a ${noun} and a folder of that name; change the template or delete ${clash}`);
  return undefined;
}

/**
 * What apply checks again for a ref the plan creates: the ref does not exist, and neither
 * does the same name of the other kind (a tag for a branch, a branch for a tag), which
 * would make the new name ambiguous (HF349) had it appeared since the plan.
 */
export function newRefPreconditions(repo: string, ref: string): Precondition[] {
  const other = ref.startsWith('refs/heads/') ? `refs/tags/${ref.slice('refs/heads/'.length)}` : `refs/heads/${ref.slice('refs/tags/'.length)}`;
  return [
    { kind: 'ref', repo, ref, sha: null },
    { kind: 'ref', repo, ref: other, sha: null },
  ];
}
