import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Policy } from '../../policy/types.js';
import { mergeBackVia } from '../../policy/via.js';
import type { HotfixState } from '../../state/hotfix/gather-hotfix.js';
import type { Person } from '../../state/types.js';
import { withTrailers } from '../commit-trailers.js';
import { commitObject } from '../git-objects.js';
import { newRefPreconditions } from '../new-ref-name.js';
import { pushAction, type PushTarget } from '../push-target.js';
import { rederiveFor } from '../rederive-rule.js';
import type { Action, Precondition } from '../types.js';
import { remoteOnly } from './existing-refs.js';
import { manualMergeBack } from './manual-merge-back.js';
import { pullRequest, reviewBranchPreconditions, type ReviewBranches, type ReviewRepo } from './review-branches.js';
import { adoptedReviewNote, reviewTipProblem, type ReviewCommit } from './review-tip-match.js';

/** What the merge-backs of a hotfix need from the rest of its plan. */
export interface MergeBackInput {
  readonly policy: Policy;
  readonly state: HotfixState;
  readonly environment: string;
  readonly hotfixBranch: string;
  /** The hotfix branch's planned tip: what every merge-back brings in. */
  readonly head: string;
  /** The deployed commit the hotfix branch starts from. */
  readonly base: string;
  readonly committer: Person;
  readonly trailers: readonly string[];
  readonly review: ReviewBranches;
  readonly appPush: PushTarget | undefined;
  /** Branches an earlier apply of this hotfix merged it into already: nothing left to do there. */
  readonly mergedBefore: readonly string[];
}

/** The merge-backs' share of the plan: apply runs these actions after the deploy. */
export interface MergeBacks {
  readonly actions: Action[];
  readonly preconditions: Precondition[];
  readonly warnings: Diagnostic[];
  readonly notes: string[];
}

type Made = { parents: [string, string]; base: string; tree: string; author: Person };

/**
 * The hotfix merged back into each branch the policy names, so the fix production runs
 * cannot regress: a merge commit with its exact id where the merge is clean (on the branch,
 * or on a branch of its own for review with git.via pull-request), the commands left to a
 * person where it conflicts, and one push of them all. Pure.
 */
export function planMergeBacks(input: MergeBackInput): MergeBacks | Diagnostic {
  const { policy, state, hotfixBranch, head, committer, appPush } = input;
  const repoName = state.app.repoName;
  const out: MergeBacks = { actions: [], preconditions: [], warnings: [], notes: [] };
  const appRepo: ReviewRepo = { repoName, remotes: state.app.remotes, refs: state.app.refs, ...(state.app.pushRemote ? { pushRemote: state.app.pushRemote } : {}), madeBefore: (state.reviewTips?.app ?? []).map((t) => t.branch) };
  const merged: Array<{ ref: string; sha: string }> = [];
  const mergePrs: Action[] = [];
  for (const m of state.merges) {
    if (input.mergedBefore.includes(m.branch)) continue;
    if (!m.head || !m.base || !m.tree) return remoteOnly(state, m.branch, 'heads') ?? diagnostic('HF202', `merge-back branch ${m.branch} does not exist in ${repoName}`);
    out.preconditions.push({ kind: 'ref', repo: repoName, ref: m.ref!, sha: m.head });
    const into = mergeBackVia(policy) === 'push' ? m.branch : input.review.name('mergeBackBranch', m.branch, appRepo, appPush);
    if (typeof into === 'object') return into;
    // A fresh clone has the branch only from the remote: apply merges into a local branch it makes there.
    const tracked = m.ref !== `refs/heads/${m.branch}` && into === m.branch && m.conflicts.length === 0;
    if (tracked) {
      out.preconditions.push(...newRefPreconditions(repoName, `refs/heads/${m.branch}`));
      out.actions.push({ id: `merge-${m.branch}-local`, kind: 'create-branch', repo: repoName, branch: m.branch, from: m.head });
    }
    if (m.conflicts.length > 0) {
      out.warnings.push(diagnostic('HF335', `merging ${hotfixBranch} back into ${m.branch} conflicts in ${m.conflicts.join(', ')}; apply leaves that merge to you`));
      out.actions.push(manualMergeBack(repoName, { into: m.branch, via: into }, hotfixBranch, m.conflicts, appPush, { base: input.base, head }));
      continue;
    }
    let message = withTrailers(`Merge branch '${hotfixBranch}' into ${m.branch}\n`, input.trailers);
    let made: Made = { parents: [m.head, head], base: m.base, tree: m.tree, author: committer };
    const tip = into === m.branch ? undefined : state.reviewTips?.app.find((t) => t.branch === into);
    if (tip) {
      // A branch for review an interrupted apply made: taken as made when it holds this very merge.
      const remade = (c: NonNullable<typeof tip.commit>): Made => ({ parents: [c.parents[0]!, head], base: c.mergeBase ?? m.base!, tree: c.parents[0] === m.head ? m.tree! : c.tree, author: c.author });
      const planned: ReviewCommit = {
        what: `git.mergeBackBranch "${policy.spec.git!.mergeBackBranch}"`,
        branch: into,
        target: m.branch,
        targetHead: m.head,
        message,
        others: [head],
        repoName,
        ...(appPush ? { push: appPush } : {}),
        remake: (c) => {
          const again = remade(c);
          return commitObject({ tree: again.tree, parents: again.parents, author: again.author, committer: again.author, message: c.message }).id;
        },
      };
      const problem = reviewTipProblem(tip, planned);
      if (problem) return problem;
      out.notes.push(adoptedReviewNote(tip, planned));
      made = remade(tip.commit!);
      message = tip.commit!.message;
    }
    const commit = commitObject({ tree: made.tree, parents: made.parents, author: made.author, committer: made.author, message });
    if (into !== m.branch) out.actions.push({ id: `merge-${m.branch}-branch`, kind: 'create-branch', repo: repoName, branch: into, from: made.parents[0]! });
    const merge: Extract<Action, { kind: 'merge' }> = { id: `merge-${m.branch}`, kind: 'merge', repo: repoName, into, from: hotfixBranch, parents: made.parents, base: made.base, tree: made.tree, commit: commit.id, message, author: made.author };
    // Made here from origin/… (tracked), only the remote's branch can move: apply re-derives when the push is refused as non-fast-forward.
    // A branch for review made from origin/… is not (rederive-rule.ts).
    const local = m.ref === `refs/heads/${m.branch}`;
    const mergeRule = into === m.branch ? (local || (tracked && appPush) ? rederiveFor(merge) : undefined) : !local || tip || !appPush ? undefined : rederiveFor(merge, m.branch);
    out.actions.push(mergeRule ? { ...merge, rederive: mergeRule } : merge);
    merged.push({ ref: `refs/heads/${into}`, sha: commit.id });
    if (into !== m.branch && appPush) {
      out.preconditions.push(...reviewBranchPreconditions(repoName, into, appPush));
      mergePrs.push(pullRequest(`pull-request-merge-${m.branch}`, repoName, into, m.branch, message, `Merging this brings the hotfix ${hotfixBranch} (${state.picks.map((p) => p.commit!.sha.slice(0, 7)).join(', ')}) into ${m.branch}, so the fix ${input.environment} runs cannot regress; until it is merged, hotfix apply exits 4 (HF430).\n`));
    }
  }
  if (appPush && merged.length > 0) out.actions.push(pushAction('push-merges', repoName, appPush, merged), ...mergePrs);
  return out;
}
