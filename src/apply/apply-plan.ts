import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { gateChecksText } from '../plan/hotfix/gate-checks.js';
import type { Action, Plan } from '../plan/types.js';
import type { GateAnswer, GateTag } from './gate-answer.js';
import { withApprovers } from './approved-by.js';
import { withGateTag } from './gate-tag.js';
import { Journal } from './journal.js';
import { passGate } from './pass-gate.js';
import type { ApprovalRecord } from './approval-record.js';
import { signingApproval } from './earlier-signer.js';
import type { RehearsedObjects } from './rehearsed-objects.js';
import { planNameProblems } from './plan-names.js';
import { RepoLocks } from './lock.js';
import { JournalRace, waitingForLock, type LockWait } from './wait-for-lock.js';
import { isDone, plannedRefValues, refEffect, refKey } from './ref-effects.js';
import { assertRepository } from '../state/git/read.js';
import { checkedOutBranches } from '../state/git/busy-branches.js';
import { rehearse } from './rehearse.js';
import { runAction } from './run-action.js';
import { journalContradictions } from './verify-journal.js';
import { followJournalled, journalled, nextStep, onMovedBranches, rederivation, rederivedLine, rederiveIfMoved, supersededBy, withRederived } from './moved-branches.js';
import { pushMoving } from './push-moved.js';
import type { RederivableAction } from '../plan/rederive-rule.js';
import { refValue, repoPath, verifyPreconditions, type Facts } from './verify-preconditions.js';

export type GateAction = Extract<Action, { kind: 'gate' }>;
export type { GateAnswer } from './gate-answer.js';

export interface ApplyOptions {
  readonly facts: Facts;
  /** Progress, one line per action. */
  readonly log: (line: string) => void;
  /** Check everything, write nothing. */
  readonly dryRun: boolean;
  /** What a gate still waits for, or that it is met (undefined: met, nothing attested). */
  readonly checkGate: (gate: GateAction) => Promise<GateAnswer | undefined>;
  /**
   * Poll an unmet gate this long (ms) instead of stopping at once. The time counts from when
   * apply reaches the gate: the checks before it take what they take on a busy runner.
   */
  readonly waitMs?: number;
  /** The longest pause between two looks at an unmet gate (see gatePauseMs). */
  readonly pollMs?: number;
  /** Take over a lock whose process is gone. */
  readonly breakLock?: boolean;
  /** Wait this long for another apply's lock instead of refusing at once. */
  readonly lockWait?: LockWait;
  /**
   * Called at each named point of the run (`ACTION:start`, `:objects`, `:ref`, `:recorded`),
   * so tests can kill the process exactly there and prove a rerun finishes the plan.
   */
  readonly checkpoint?: (name: string) => void;
  /**
   * Aborted (SIGINT, SIGTERM): apply stops at its next checkpoint, releases its locks and
   * throws the signal's reason. Stopping there is safe because a kill at any checkpoint is.
   */
  readonly signal?: AbortSignal;
  /** What `apply --pr` found on the pull request, kept in the journal. */
  readonly approval?: ApprovalRecord;
  /** `apply --pr`: the approval checked again when a gate passed after a wait, before what it guards is written; throws its refusal. */
  readonly recheckApproval?: () => Promise<unknown>;
}

/**
 * Carries out exactly the plan, or refuses before writing anything when a fact changed.
 * Goes on where an earlier apply of the same plan stopped (a gate, a crash, a signal):
 * finished actions are in the journal (each checked to be still in place), and an action
 * whose ref already holds its result is done.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<'complete' | 'already complete'> {
  try {
    return await waitingForLock(() => verifyAndRun(plan, options), options.lockWait, options.log, options.signal);
  } catch (error) {
    // A git command killed by the same Ctrl-C fails in its own words: say why it stopped.
    throw options.signal?.aborted ? options.signal.reason : error;
  }
}

async function verifyAndRun(plan: Plan, options: ApplyOptions): Promise<'complete' | 'already complete'> {
  const names = planNameProblems(plan);
  if (names.length > 0) throw new HotfixError(names);
  // The repositories the plan works in, in the order it first names them.
  const repos: string[] = [];
  for (const name of new Set(plan.actions.flatMap((a) => ('repo' in a ? [a.repo] : [])))) {
    repos.push(repoPath(options.facts.repos, name));
    await assertRepository(repos.at(-1)!, name);
  }
  const journal = await Journal.open(repos[0]!, plan.id);
  journal.describe({ policy: plan.policy.name, environment: plan.request.environment, kind: plan.request.kind });
  // Who approved, in the commits apply makes: as the first run that wrote anything recorded it, so every run makes the same ones.
  const { signing, earlier } = await signingApproval(plan, journal, options.approval, options.facts.repos, { fetch: !options.dryRun });
  if (earlier) options.log(`approvers as an earlier apply of this plan wrote them into what it pushed (its journal is not in this clone): ${earlier.approval.approvers.join(', ')}, read from ${earlier.ref} at ${earlier.sha.slice(0, 7)} on ${earlier.remote}`);
  const signed = withApprovers(plan, signing);
  // A tag an earlier run's gate decided holds for the rest of the plan, as if it had been planned.
  const sealed = await journalledTags(signed.plan, journal, options.facts.repos);
  // The plan as earlier applies of it carried it out: a commit made again on a moved branch is that commit.
  const carried = await journalled(sealed, journal, options.facts.repos);
  const checkedOut = await checkedOutRefs(plan, options.facts.repos);
  const contradicted = await journalContradictions(carried, journal.done, options.facts.repos, checkedOut, supersededBy(journal));
  if (contradicted.length > 0) throw new HotfixError(contradicted);
  if (plan.actions.every((a) => journal.done.has(a.id))) {
    if (!options.dryRun) await RepoLocks.clearAbandoned(repos);
    return 'already complete';
  }

  for (const [id, r] of signed.signed) options.log(`${id} is made with the approvers in Approved-by trailers: ${r.applied.slice(0, 7)} instead of the planned ${r.planned.slice(0, 7)}`);
  const locks = options.dryRun ? undefined : await RepoLocks.acquire(repos, plan.id, options.breakLock ?? false);
  try {
    if (locks && !(await journal.unchangedSinceOpen())) throw new JournalRace(repos[0]!);
    if (!options.dryRun) await followJournalled(carried, journal, options.facts.repos, checkedOut);
    const current = await onMovedBranches(sealed, carried, journal.done, options.facts.repos, (line) => options.log(`${options.dryRun ? 'would re-derive' : 're-derived'}: ${line}`));
    const failures = await verifyPreconditions(current, options.facts, refValuesOf(current));
    failures.push(...unpushedCheckedOut(current, checkedOut));
    if (failures.length > 0) throw new HotfixError(failures);
    // The whole plan, carried out first where nothing real is written: no half-applied plan.
    // A merge-back that waits for the hotfix commits is judged here; a dry run says what apply will make of it.
    const rehearsed = await rehearse(sealed, current, options.facts.repos, journal.done, options.signal, options.dryRun ? (line) => options.log(`would re-derive: ${line}, when apply reaches it after the gate`) : undefined);
    try {
      // Recorded once every check has passed, before the first action writes.
      if (options.approval && !options.dryRun) {
        // The earlier run's approvers first: the journal's signing approval is the one the commits carry.
        if (earlier) await journal.approve(earlier.approval);
        await journal.approve(options.approval);
      }
      await runActions(sealed, current, journal, checkedOut, options, rehearsed);
    } finally {
      await rehearsed.dispose();
    }
    return 'complete';
  } finally {
    await locks?.release();
  }
}

/** The values the plan's refs may hold: what its actions give them, and the heads its commits were made again on. */
function refValuesOf(current: Plan): Map<string, Set<string>> {
  const values = plannedRefValues(current.actions);
  for (const action of current.actions) {
    const effect = (action.kind === 'commit' || action.kind === 'merge') && action.rederive ? refEffect(action) : undefined;
    if (effect?.from) values.get(refKey(effect.repo, effect.ref))?.add(effect.from);
  }
  return values;
}

async function journalledTags(plan: Plan, journal: Journal, repos: ApplyOptions['facts']['repos']): Promise<Plan> {
  let sealed = plan;
  for (const record of journal.gateTags) sealed = (await withGateTag(sealed, record, repos)).plan;
  return sealed;
}

/**
 * The tag a gate took, in the sealed plan and the plan as carried out so far: checked to
 * give the reviewed change (HF437 otherwise), then journalled before anything is written
 * with it, so a rerun writes the same commit.
 */
async function decideTag(sealed: Plan, carried: Plan, gate: GateAction, tag: GateTag, journal: Journal, options: ApplyOptions): Promise<{ sealed: Plan; carried: Plan }> {
  const record = { action: gate.id, pattern: gate.tagAtGate!, tag: tag.chosen, fitting: tag.fitting.slice(0, 10) };
  const decided = await withGateTag(sealed, record, options.facts.repos);
  const current = await withGateTag(carried, record, options.facts.repos, sealed);
  await journal.decideTag({ ...record, made: [...decided.remade].map(([action, r]) => ({ action, ...r })) });
  const others = tag.fitting.filter((t) => t !== tag.chosen);
  options.log(`tag decided at the gate: ${tag.chosen}, the newest registry tag that fits ${record.pattern} built from ${gate.revision.slice(0, 7)}${others.length > 0 ? ` (also fitting: ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''})` : ''}; recorded in the journal`);
  for (const [id, r] of current.remade) options.log(`${id} is made with it: ${r.applied.slice(0, 7)} instead of the planned ${(decided.remade.get(id) ?? r).planned.slice(0, 7)} (the diff shown, with ${record.pattern} as ${tag.chosen})`);
  return { sealed: decided.plan, carried: current.plan };
}

/** The actions the journal does not call done, in order, each recorded once finished. */
async function runActions(sealedPlan: Plan, carried: Plan, journal: Journal, checkedOut: ReadonlyMap<string, string>, options: ApplyOptions, rehearsed: RehearsedObjects): Promise<void> {
  let sealed = sealedPlan;
  const at = (name: string) => {
    options.checkpoint?.(name);
    options.signal?.throwIfAborted();
  };
  let plan = carried;
  for (const index of plan.actions.keys()) {
    let action = plan.actions[index]!;
    if (journal.done.has(action.id)) {
      // A gate an earlier run passed may hold no more (the image re-pushed with another
      // revision, the tag deleted): what comes after it relies on it now, not then.
      if (action.kind === 'gate' && !options.dryRun && plan.actions.slice(index + 1).some((a) => !journal.done.has(a.id))) await passGate(action, journal, options);
      continue;
    }
    if (options.dryRun) {
      options.log(`would ${describe(action)}`);
      continue;
    }
    at(`${action.id}:start`);
    if (action.kind === 'gate') {
      const tag = await passGate(action, journal, options);
      if (action.tagAtGate !== undefined && !tag) throw new HotfixError([diagnostic('HF437', `${action.id} passed without taking a tag that fits ${action.tagAtGate}; nothing was written for what comes after it. Run hotfix apply again`)]);
      if (tag) {
        ({ sealed, carried: plan } = await decideTag(sealed, plan, action, tag, journal, options));
        // The gate as passed: the image it found, which the line below names.
        action = plan.actions[index]!;
      }
    } else if (action.kind === 'push') {
      plan = await pushMoving(sealed, plan, action, { repos: options.facts.repos, journal, checkedOut, log: options.log, ...(options.signal ? { signal: options.signal } : {}), ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}) });
      at(`${action.id}:pushed`);
    } else if (!(await alreadyDone(plan.actions, index, options.facts.repos))) {
      // Moved while apply waited at the gate: made again on the new head, or refused before it is written.
      const again = await rederiveIfMoved(sealed, plan, index, options.facts.repos, nextStep(sealed, true));
      if (again) {
        plan = withRederived(plan, again);
        options.log(`re-derived: ${rederivedLine(sealed, again)}`);
      }
      action = plan.actions[index] as Exclude<Action, { kind: 'push' | 'gate' }>;
      if ((action.kind === 'commit' || action.kind === 'merge') && action.commit !== (sealed.actions[index] as RederivableAction).commit) await journal.rederive(rederivation(sealed, action));
      // The commit on a branch for review, made again as its branch is made: journalled now, so a rerun makes the branch there too.
      if (again && again.id !== action.id) await journal.rederive(rederivation(sealed, again));
      const effect = refEffect(action);
      const worktree = effect && checkedOut.get(refKey(effect.repo, effect.ref));
      const id = action.id;
      await runAction(action, options.facts.repos, { moveRef: worktree === undefined, checkpoint: (point) => at(`${id}:${point}`), rehearsed });
      if (worktree !== undefined) options.log(`note: ${effect!.ref.replace(/^refs\/heads\//, '')} is checked out in ${worktree}, so only the remote moves (the push below); run git pull there afterwards`);
    }
    await journal.finish(action.id);
    at(`${action.id}:recorded`);
    options.log(`${action.kind === 'open-pull-request' || action.kind === 'manual' ? 'next' : 'done'}: ${describe(action)}`);
  }
}

/** Existing branches the plan moves that are checked out in a work tree: key → work tree. */
async function checkedOutRefs(plan: Plan, repos: Facts['repos']): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of new Set(plan.actions.flatMap((a) => ('repo' in a ? [a.repo] : [])))) {
    for (const [ref, path] of await checkedOutBranches(repoPath(repos, name))) out.set(refKey(name, ref), path);
  }
  return out;
}

/** A checked-out branch may only move on the remote: the plan must push it. */
function unpushedCheckedOut(plan: Plan, checkedOut: ReadonlyMap<string, string>): Diagnostic[] {
  const pushed = new Set(plan.actions.flatMap((a) => (a.kind === 'push' ? a.refs.map((r) => refKey(a.repo, r.ref)) : [])));
  const out: Diagnostic[] = [];
  for (const action of plan.actions) {
    const effect = refEffect(action);
    if (!effect || effect.from === null) continue;
    const key = refKey(effect.repo, effect.ref);
    const worktree = checkedOut.get(key);
    if (worktree !== undefined && !pushed.has(key))
      out.push(diagnostic('HF411', `${effect.repo}: ${effect.ref} is checked out in ${worktree} and the plan does not push it, so apply would have to move it under that work tree`));
  }
  return [...new Map(out.map((d) => [d.message, d])).values()];
}

async function alreadyDone(actions: readonly Action[], index: number, repos: Facts['repos']): Promise<boolean> {
  const effect = refEffect(actions[index]!);
  return effect !== undefined && isDone(actions, index, await refValue(repoPath(repos, effect.repo), effect.ref));
}

function describe(action: Action): string {
  switch (action.kind) {
    case 'create-branch':
      return `create branch ${action.branch} at ${action.from.slice(0, 7)} in ${action.repo}`;
    case 'commit':
      return `commit ${action.commit.slice(0, 7)} on ${action.branch}: ${action.message.split('\n')[0]}`;
    case 'cherry-pick':
      return `cherry-pick ${action.pick.slice(0, 7)} onto ${action.branch} as ${action.commit.slice(0, 7)}`;
    case 'tag':
      return `tag ${action.tag} on ${action.target.slice(0, 7)}`;
    case 'merge':
      return `merge ${action.from} into ${action.into} as ${action.commit.slice(0, 7)}`;
    case 'gate':
      return `gate: ${action.image} exists with ${action.label}=${action.revision.slice(0, 7)}${action.checks.length > 0 ? `; ${gateChecksText(action)}` : ''}`;
    case 'push':
      return `push ${action.refs.map((r) => r.ref.replace(/^refs\/(heads|tags)\//, '')).join(', ')} to ${action.remote} (${action.url})`;
    case 'open-pull-request':
      return `open a pull request from ${action.head} into ${action.base}: "${action.title}"`;
    case 'manual':
      // On a line of their own, so the commands can be pasted as they are.
      return `${action.title}:\n    ${action.commands.join(' && ')}`;
  }
}
