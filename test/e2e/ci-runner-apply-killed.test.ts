import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../fixtures/git.js';
import { mergePullRequest, protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import { addRunbook, checkout, deployCommit, planIn, withRegistry } from '../helpers/ci-runner-jobs.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §2 in a CI job's fresh clone (helpers/ci-runner-jobs.ts): apply is killed (SIGKILL,
// as a runner losing its machine) after it made the branch the deploy commit goes on (the
// local prd from origin/prd, or the branch for review) and before it made that commit, with
// prd moved since the plan, so the branch was made at the new head. The rerun in the same
// clone finishes, makes the same commit there, and leaves no lock.

const registry = registryForFile(test);
const { scenario, applyIn } = withRegistry(registry);

const locksIn = (repo: string) => {
  const dir = join(repo, '.git', 'hotfix');
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.startsWith('apply.lock')) : [];
};

async function killedThenRerun(s: PrdNopScenario, branchAction: string, point: 'ref' | 'recorded', moved: () => Promise<string>): Promise<void> {
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  const deployed = deployCommit(plan);
  const made = plan.actions.find((a) => a.id === branchAction);
  assert.ok(made?.kind === 'create-branch' && made.branch === deployed.branch, `${branchAction} makes the branch the deploy commit goes on`);
  const ids = plan.actions.map((a) => a.id);
  assert.is(ids.indexOf(branchAction) + 1, ids.indexOf('deploy-hotfix'), 'nothing between the branch and its commit');

  const prdNow = await moved();
  const applyJob = await checkout(s, 'apply-job');
  const killed = await applyIn(s, applyJob, plan, r.file, { HOTFIX_TEST_KILL_AT: `${branchAction}:${point}` });
  assert.is(killed.signal, 'SIGKILL', `not killed at ${branchAction}:${point}: exit ${killed.code} ${killed.stdout}${killed.stderr}`);
  // Killed where this test means: the branch made at the new head, no commit on it.
  assert.is((await git(applyJob.config, ['rev-parse', `refs/heads/${deployed.branch}`])).trim(), prdNow);
  assert.ok(locksIn(applyJob.config).length > 0, 'the killed apply left its lock');

  const rerun = await applyIn(s, applyJob, plan, r.file);
  assert.ok(rerun.code === 0 || rerun.code === 4, `${branchAction}:${point}: ${rerun.stdout}${rerun.stderr}`);
  assert.not.ok(hasStackTrace(rerun.stderr), rerun.stderr);
  for (const repo of [applyJob.config, applyJob.app]) assert.equal(locksIn(repo), [], `${repo} holds no lock`);
  const pushed = (await git(s.configRemote, ['rev-parse', `refs/heads/${deployed.branch}`])).trim();
  assert.is((await git(applyJob.config, ['rev-parse', `refs/heads/${deployed.branch}`])).trim(), pushed);
  assert.is((await git(s.configRemote, ['rev-parse', `${pushed}^`])).trim(), prdNow);
  // The reviewed diff, byte for byte, and only it: the tree is the new head's with the planned edit.
  assert.is(await git(s.configRemote, ['-c', 'core.abbrev=7', 'diff', prdNow, pushed]), deployed.changes.map((c) => c.diff).join(''));
  assert.is((await git(s.configRemote, ['rev-parse', `${pushed}:deploy/kustomization.yaml`])).trim(), deployed.changes[0]!.after);
  const shown = await runCliAsync(['show', 'plan.json'], { cwd: applyJob.root });
  assert.ok(shown.stdout.includes(`deploy-hotfix was applied as ${pushed} on ${prdNow}, not as the planned ${deployed.commit}`), shown.stdout);
}

for (const point of ['ref', 'recorded'] as const) {
  test(`killed at config-branch-local:${point}, the local prd made at origin/prd's new head: the rerun commits the deploy there and leaves no lock`, async () => {
    const s = await scenario(point === 'ref' ? 31 : 32);
    await killedThenRerun(s, 'config-branch-local', point, () => addRunbook(s));
  });

  test(`git.via pull-request, killed at deploy-branch:${point}, the branch for review made at prd's new head: the rerun commits the deploy there and leaves no lock`, async () => {
    const s = await scenario(point === 'ref' ? 33 : 34);
    await withGitSettings(s.policyFile, { via: 'pull-request' });
    await protectBranches(s.configRemote, ['prd']);
    await killedThenRerun(s, 'deploy-branch', point, async () => {
      await addRunbook(s, 'add-runbook');
      return mergePullRequest(s.configRemote, { number: 58, head: 'add-runbook', base: 'prd', title: 'Add a runbook for manual deploys' });
    });
  });
}

test.run();
