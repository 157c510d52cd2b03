import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { rederivedBranch, type RederivableAction } from '../plan/rederive-rule.js';
import type { PushAction } from '../plan/push-target.js';
import type { Plan } from '../plan/types.js';
import { fetchRemoteBranch, tryPush, updateRefs } from './git-write.js';
import type { Journal } from './journal.js';
import { nextStep, rederivation, rederiveOnto, withRederived } from './moved-branches.js';
import { pushRejection } from './push-rejection.js';
import { refEffect, refKey } from './ref-effects.js';
import { runAction } from './run-action.js';
import { repoPath, type Facts } from './verify-preconditions.js';

/** git's words for a ref the remote has moved past what the push builds on. */
const MOVED_ON_REMOTE = /non-fast-forward|fetch first/;
/** git's word for a ref an atomic push left out because another was refused. */
const LEFT_OUT = /atomic push failed/;

export interface PushContext {
  readonly repos: Facts['repos'];
  readonly journal: Journal;
  /** Branches checked out in a work tree (refKey → path): only the remote moves for them. */
  readonly checkedOut: ReadonlyMap<string, string>;
  readonly log: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Crash tests' seam (kill-switch.ts): `journalled` once each commit made again is journalled, `rederived` once all are written, before the second push. */
  readonly checkpoint?: (point: string) => void;
}

/**
 * Pushes the action's refs. When the remote refuses only because branches it moves went on
 * there (a bot's or a teammate's push while apply waited), and the plan lets their commits be
 * made again, it fetches the new heads, makes each commit again on its head by the plan's
 * rule, and pushes once more. Returns the plan as carried out. A push refused otherwise is
 * HF408; one that cannot be made again HF417; a second refusal HF418, with the command that
 * finishes the job.
 */
export async function pushMoving(sealed: Plan, current: Plan, action: PushAction, context: PushContext): Promise<Plan> {
  const repo = repoPath(context.repos, action.repo);
  const rejection = await tryPush(repo, action, context.signal);
  if (!rejection) return current;
  const refused = rejection.refs.filter((r) => !LEFT_OUT.test(r.why));
  const makers = refused.map((r) => current.actions.find((a): a is RederivableAction => (a.kind === 'commit' || a.kind === 'merge') && a.rederive !== undefined && a.repo === action.repo && refEffect(a)?.ref === r.ref && action.refs.some((p) => p.ref === r.ref && p.sha === a.commit)));
  if (refused.length === 0 || refused.some((r) => !MOVED_ON_REMOTE.test(r.why)) || makers.some((m) => m === undefined))
    throw new HotfixError([diagnostic('HF408', await pushRejection(repo, action, rejection))]);

  let next = current;
  for (const maker of makers as RederivableAction[]) {
    const branch = rederivedBranch(maker);
    const head = await fetchRemoteBranch(repo, action.url, branch);
    if (head === undefined) throw new HotfixError([diagnostic('HF408', await pushRejection(repo, action, rejection))]);
    const again = await rederiveOnto(sealed, maker.id, repo, head, nextStep(sealed, true));
    // Its objects first: a journal that names the commit finds it here after a crash.
    await runAction(again, context.repos, { moveRef: false });
    await context.journal.rederive(rederivation(sealed, again));
    context.checkpoint?.(`${action.id}:journalled`);
    // The local branch follows the commit that is pushed, where apply moved it and nobody works on it.
    const ref = refEffect(again)!.ref;
    if (!context.checkedOut.has(refKey(again.repo, ref))) await updateRefs(repo, [{ ref, sha: again.commit, old: maker.commit }]);
    context.log(`re-derived: ${branch} moved on ${action.remote} to ${head.slice(0, 7)} while apply ran, so ${again.id} is ${again.commit.slice(0, 7)} on it instead of ${maker.commit.slice(0, 7)} (the same change, by the plan's rule)`);
    next = withRederived(next, again);
  }
  context.checkpoint?.(`${action.id}:rederived`);
  const retried = next.actions.find((a) => a.id === action.id) as PushAction;
  const again = await tryPush(repo, retried, context.signal);
  if (again) {
    const branches = makers.map((m) => rederivedBranch(m!)).join(', ');
    const why = again.refs.map((r) => `${r.ref} ${r.why}`).join('; ') || again.last || 'the remote could not be reached';
    throw new HotfixError([diagnostic('HF418', `push to ${action.remote} was rejected again (${why}) after apply made its commits again on the heads it fetched: ${branches} moved again meanwhile, so ${branches} ${makers.length === 1 ? 'does' : 'do'} not have this change yet and nothing of this push reached ${action.url}. ${nextStep(sealed, true)}`)]);
  }
  return next;
}
