import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { unknownPlaceholder } from '../../policy/placeholder-words.js';
import { allowsPlaceholder, placeholdersOf, renderTemplate, type TemplateValues } from '../../policy/template.js';
import type { Policy } from '../../policy/types.js';
import type { PushRemote } from '../../state/types.js';
import { newRefNameProblem, newRefPreconditions, type RefNameContext } from '../new-ref-name.js';
import type { PushTarget } from '../push-target.js';
import type { Action, Precondition } from '../types.js';

/** A repository a branch for review is made in: its local names, and the remote's branches. */
export interface ReviewRepo extends RefNameContext {
  readonly pushRemote?: PushRemote;
  /** Branches for review an earlier apply made (here or on the remote): the planner adopts each or says how it differs. */
  readonly madeBefore?: readonly string[];
}

/**
 * Names the branches a hotfix pushes for review (git.via pull-request) instead of to a
 * protected branch, each checked as new where it is made and on the remote, and apart from
 * every other name the plan makes. Pure.
 */
export class ReviewBranches {
  private readonly taken: Set<string>;

  constructor(
    private readonly policy: Policy,
    private readonly values: TemplateValues,
    hotfixBranch: string,
  ) {
    this.taken = new Set([hotfixBranch]);
  }

  /** The branch a commit going into `target` is pushed to, or why there is none. */
  name(key: 'deployBranch' | 'mergeBackBranch', target: string, repo: ReviewRepo, push: PushTarget | undefined): string | Diagnostic {
    const template = this.policy.spec.git![key];
    const what = `git.${key} "${template}"`;
    if (!push) return diagnostic('HF365', `git.via pull-request pushes the commit for ${target} to a branch of its own for review, and the policy does not push (git.push is false); set git.push: true`);
    const unknown = placeholdersOf(template).filter((p) => !allowsPlaceholder('reviewBranch', p));
    if (unknown.length > 0) return diagnostic('HF365', `git.${key}: ${unknownPlaceholder(unknown[0]!, template, 'reviewBranch')}`);
    if (placeholdersOf(template).includes('version') && this.values.version === undefined) return diagnostic('HF341', `${what} uses {version}: pass --version, or tag the deployed commit with a release tag`);
    const name = renderTemplate(template, { ...this.values, branch: target });
    if (this.taken.has(name))
      return diagnostic('HF365', `${what} gives ${name} for ${target}, a name this plan gives another branch in ${repo.repoName}; put {branch} in git.mergeBackBranch, {env} in git.deployBranch`);
    const before = repo.madeBefore?.includes(name) ?? false;
    const problem = newRefNameProblem(name, 'heads', `branch for review ${what}`, this.policy, before ? { ...repo, refs: { ...repo.refs, branches: repo.refs.branches.filter((b) => b !== name) } } : repo);
    if (problem) return problem;
    if (!before && repo.pushRemote?.branches && Object.hasOwn(repo.pushRemote.branches, name))
      return diagnostic('HF364', `the branch for review ${name} (${what}, for ${target}) exists on ${push.remote} (${push.url}) already; look at it with git ls-remote ${push.url} refs/heads/${name}, delete it if an abandoned attempt made it, or change the template`);
    this.taken.add(name);
    return name;
  }
}

/** What apply checks of a branch made for review: new here, and new on the remote until apply pushes it. */
export function reviewBranchPreconditions(repo: string, branch: string, push: PushTarget): Precondition[] {
  return [...newRefPreconditions(repo, `refs/heads/${branch}`), { kind: 'remote-ref', repo, url: push.url, ref: `refs/heads/${branch}`, sha: null }];
}

/** The pull request a person opens once apply has pushed `head`: titled as the commit it brings. */
export function pullRequest(id: string, repo: string, head: string, base: string, message: string, body: string): Action {
  return { id, kind: 'open-pull-request', repo, head, base, title: message.split('\n')[0]!, body };
}

/** What a deploy means when it is a pull request, and that apply opens and merges none of them. */
export function reviewNote(actions: readonly Action[], environment: string): string[] {
  const prs = actions.filter((a): a is Extract<Action, { kind: 'open-pull-request' }> => a.kind === 'open-pull-request');
  if (prs.length === 0) return [];
  const deploy = prs.find((a) => a.id === 'pull-request-deploy');
  return [
    `Protected branches (git.via pull-request): apply pushes ${prs.map((a) => a.head).join(', ')} for review and opens and merges no pull request. ${deploy ? `${environment} is deployed once the pull request ${deploy.head} → ${deploy.base} is merged, not when apply ends. ` : ''}Open these pull requests after apply: ${prs.map((a) => `${a.head} → ${a.base}`).join(', ')}.`,
  ];
}
