// Crash and interrupt tests of apply: kill it at every checkpoint, rerun, compare the refs with
// an uninterrupted apply's. Shared by the rollback and hotfix crash test files.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { Action, Plan } from '../../src/plan/types.js';
import { runCliAsync } from './run-cli.js';
import { allRefs, copyScenario } from './scenario-copy.js';

/**
 * Every checkpoint apply passes through for a plan where what is on disk differs: where a
 * crash test kills it. An action's `start` is passed with nothing written since the
 * `recorded` of the action before it (only a progress line is printed between them), so it
 * is a point of its own only for the first action: after the locks and the rehearsal,
 * before any write.
 */
export function killPoints(plan: Plan): string[] {
  const moves = (a: Action) => ['create-branch', 'commit', 'cherry-pick', 'tag', 'merge'].includes(a.kind);
  return plan.actions.flatMap((a, i) => [...(i === 0 ? [`${a.id}:start`] : []), ...(moves(a) ? [`${a.id}:objects`, `${a.id}:ref`] : []), ...(a.kind === 'push' ? [`${a.id}:pushed`] : []), `${a.id}:recorded`]);
}

export interface World {
  readonly root: string;
  readonly planFile: string;
  readonly clones: ReadonlyArray<{ clone: string; remote: string }>;
  readonly applyArgs: (path: (p: string) => string) => string[];
}

const reposOf = (world: World, path: (p: string) => string) => world.clones.flatMap(({ clone, remote }) => [path(clone), path(remote)]);

/** The refs after an uninterrupted apply: what every interrupted one must end with. */
async function uninterruptedRefs(world: World): Promise<string> {
  const reference = copyScenario(world.root, world.clones);
  const clean = await runCliAsync(['apply', '--auto-approve', ...world.applyArgs(reference.path), reference.plan(world.planFile)], { cwd: reference.root });
  assert.is(clean.code, 0, clean.stderr);
  return allRefs(reposOf(world, reference.path));
}

/** Applies the plan uninterrupted once, then, on a fresh copy each time, killed at each point and rerun to the end; the refs must match. */
export async function crashEverywhere(world: World, plan: Plan): Promise<number> {
  const repos = (path: (p: string) => string) => reposOf(world, path);
  const expected = await uninterruptedRefs(world);

  const points = killPoints(plan);
  for (const point of points) {
    const copy = copyScenario(world.root, world.clones);
    const args = ['apply', '--auto-approve', ...world.applyArgs(copy.path), copy.plan(world.planFile)];
    const killed = await runCliAsync(args, { cwd: copy.root, env: { HOTFIX_TEST_KILL_AT: point } });
    assert.is(killed.signal, 'SIGKILL', `${point}: not killed (exit ${killed.code}) ${killed.stderr}`);
    // The lock the killed apply left names a pid that is gone on this host: the rerun takes
    // it over without --break-lock (after the last action, nothing is left to do).
    const rerun = await runCliAsync(args, { cwd: copy.root });
    assert.is(rerun.code, 0, `${point}: ${rerun.stderr}`);
    if (point === points[points.length - 1]) assert.match(rerun.stdout, /Nothing to do: this plan was applied completely before/);
    assert.is(allRefs(repos(copy.path)), expected, `${point}: the final refs differ from an uninterrupted apply`);
  }
  return points.length;
}

/**
 * The same proof with half the runs: one copy, each run killed at the next point (so every
 * run but the first is a restart after a kill), and a last run that finishes. Apply's
 * restart reads only what is on disk (journal, refs, lock), so a restart that went wrong
 * leaves a wrong ref or journal entry: a later run refuses it (HF414, HF404) or the final
 * refs show it. Only for SIGKILL, which stops apply at the very checkpoint: Ctrl-C stops it
 * at the next one, past the point the next run would wait for.
 */
export async function crashInChain(world: World, plan: Plan): Promise<number> {
  const expected = await uninterruptedRefs(world);
  const points = killPoints(plan);
  const copy = copyScenario(world.root, world.clones);
  const args = ['apply', '--auto-approve', ...world.applyArgs(copy.path), copy.plan(world.planFile)];
  for (const point of points) {
    const killed = await runCliAsync(args, { cwd: copy.root, env: { HOTFIX_TEST_KILL_AT: point } });
    assert.is(killed.signal, 'SIGKILL', `${point}: not killed (exit ${killed.code}) ${killed.stderr}`);
  }
  const last = await runCliAsync(args, { cwd: copy.root });
  assert.is(last.code, 0, `after ${points.length} kills: ${last.stderr}`);
  assert.match(last.stdout, /Nothing to do: this plan was applied completely before/);
  assert.is(allRefs(reposOf(world, copy.path)), expected, 'the final refs differ from an uninterrupted apply');
  return points.length;
}

/**
 * Ctrl-C at each point: apply stops at the next checkpoint (or finishes, after the last),
 * says so in one line with exit 130, leaves no lock, and a plain rerun ends with the refs of
 * an uninterrupted apply.
 */
export async function interruptEverywhere(world: World, plan: Plan): Promise<number> {
  const expected = await uninterruptedRefs(world);
  const points = killPoints(plan);
  for (const point of points) {
    const copy = copyScenario(world.root, world.clones);
    const args = ['apply', '--auto-approve', ...world.applyArgs(copy.path), copy.plan(world.planFile)];
    const stopped = await runCliAsync(args, { cwd: copy.root, env: { HOTFIX_TEST_KILL_AT: point, HOTFIX_TEST_KILL_SIGNAL: 'SIGINT' } });
    if (stopped.code !== 0 || point !== points[points.length - 1]) {
      assert.is(stopped.code, 130, `${point}: exit ${stopped.code} (${stopped.signal}) ${stopped.stderr}`);
      assert.match(stopped.stderr, /^[^\n]*apply stopped by SIGINT; .*\[HF413\]\n$/, point);
    }
    for (const { clone } of world.clones) assert.not.ok(existsSync(join(copy.path(clone), '.git', 'hotfix', 'apply.lock')), `${point}: a lock is left`);
    const rerun = await runCliAsync(args, { cwd: copy.root });
    assert.is(rerun.code, 0, `${point}: ${rerun.stderr}`);
    assert.is(allRefs(reposOf(world, copy.path)), expected, `${point}: the final refs differ from an uninterrupted apply`);
  }
  return points.length;
}
