import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { fluxBumpsWorker, teammateDocuments } from '../../fixtures/moved-branch-commits.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §1/§2: Flux pushes to the config branch while apply waits at the gate, so the
// deploy push is refused as non-fast-forward and apply makes the deploy commit again on the
// fetched head, journals it, and is killed (SIGKILL) right there, before the local branch
// follows and before the second push (kill point push-…:journalled). The checkout apply runs
// in is still behind the remote (nobody pulled). The rerun goes on from the journal: it makes
// the journalled commit again, checks it is the one recorded, and pushes it.

const registry = registryForFile(test);

type Commit = Extract<Action, { kind: 'commit' }>;
const rev = (repo: string, revision: string) => gitOut(repo, ['rev-parse', revision]).trim();
const journalOf = (repo: string, plan: Plan) => (JSON.parse(readFileSync(join(repo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8')) as { rederived?: Array<{ action: string; planned: string; applied: string; onto: string }> });

/**
 * The first apply stopped at the gate; then `pushes` commits to a clone of `remote` and pushes
 * its main there, as Flux or a teammate does from a clone of their own, and CI's image appears.
 */
async function movedDuringGate(seed: number, remote: (s: GatedHotfix['s']) => string, pushes: (clone: string) => Promise<string>) {
  const g = await gatedHotfix(registry.host, seed);
  const stopped = await runCliAsync(g.args, { cwd: g.s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);
  const clone = join(g.s.root, 'pusher');
  spawnSync('git', ['clone', '--quiet', remote(g.s), clone], { env: isolatedGitEnv() });
  const landed = await pushes(clone);
  gitOut(clone, ['push', '--quiet', 'origin', 'main']);
  await g.meetGate();
  return { ...g, plan: JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan, landed };
}

test('killed right after the push-time re-derivation, rerun from a checkout behind the remote: the journalled commit is pushed and the hotfix finishes', async () => {
  const g = await movedDuringGate(75, (s) => s.configRemote, fluxBumpsWorker);
  const { s, plan, landed: bump } = g;
  const deploy = plan.actions.find((a) => a.id === 'deploy-hotfix') as Commit;

  const killed = await runCliAsync(g.args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'push-config:journalled' } });
  assert.is(killed.signal, 'SIGKILL', killed.stdout + killed.stderr);
  assert.is(rev(s.configRemote, 'refs/heads/main'), bump, 'the second push did not happen');
  assert.is(rev(s.configRepo, 'refs/heads/main'), deploy.parent, 'the checkout (main checked out) is behind the remote');
  const journalled = journalOf(s.appRepo, plan).rederived;
  assert.equal(journalled?.map((r) => [r.action, r.planned, r.onto]), [['deploy-hotfix', deploy.commit, bump]], 'the journal records the commit made again');

  const rerun = await runCliAsync(g.args, { cwd: s.root });
  assert.is(rerun.code, 0, rerun.stdout + rerun.stderr);
  assert.not.ok(hasStackTrace(rerun.stderr), rerun.stderr);
  const applied = rev(s.configRemote, 'refs/heads/main');
  assert.is(applied, journalled![0]!.applied, 'the rerun pushes the commit the journal records, not another');
  assert.is(rev(s.configRemote, `${applied}^`), bump);
  assert.is(gitOut(s.configRemote, ['-c', 'core.abbrev=7', 'diff', bump, applied]), deploy.changes.map((c) => c.diff).join(''));
});

test('the same for a merge-back, main not checked out: killed before the local main followed the merge made again, the rerun moves it and pushes', async () => {
  const g = await movedDuringGate(76, (s) => s.appRemote, teammateDocuments);
  const { s, plan, landed: docs } = g;
  const merge = plan.actions.find((a) => a.id === 'merge-main') as Extract<Action, { kind: 'merge' }>;

  // A CI checkout at a detached HEAD: apply moves the local main itself.
  gitOut(s.appRepo, ['checkout', '--quiet', '--detach']);
  const killed = await runCliAsync(g.args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'push-merges:journalled' } });
  assert.is(killed.signal, 'SIGKILL', killed.stdout + killed.stderr);
  assert.is(rev(s.appRemote, 'refs/heads/main'), docs, 'the second push did not happen');
  const journalled = journalOf(s.appRepo, plan).rederived;
  assert.equal(journalled?.map((r) => [r.action, r.planned, r.onto]), [['merge-main', merge.commit, docs]]);
  assert.is(rev(s.appRepo, 'refs/heads/main'), merge.commit, 'killed before the local main followed the merge made again');

  const rerun = await runCliAsync(g.args, { cwd: s.root });
  assert.is(rerun.code, 0, rerun.stdout + rerun.stderr);
  const applied = rev(s.appRemote, 'refs/heads/main');
  assert.is(applied, journalled![0]!.applied);
  assert.is(rev(s.appRepo, 'refs/heads/main'), applied, 'the local main follows what was pushed, as an uninterrupted run leaves it');
  assert.equal(gitOut(s.appRemote, ['rev-list', '--parents', '-n', '1', applied]).trim().split(' ').slice(1), [docs, merge.parents[1]]);
});

test.run();
