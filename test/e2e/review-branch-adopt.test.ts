import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { fluxBumpsWorker } from '../../fixtures/moved-branch-commits.js';
import { mergePullRequest, protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut, refs } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Protected branches (git.via pull-request), as GitHub protects them (fixtures/protected-remote.ts):
// an apply pushed the deploy and merge-back branches for review and was killed before it
// recorded them. The re-plan takes each branch that holds exactly the commit it would push
// there (same message and trailers, same parents, same change), and refuses (HF364) one
// that holds something else, saying what differs and what to run.

const registry = registryForFile(test);

const reviewed = (seed: number) =>
  gatedHotfix(registry.host, seed, async (s) => {
    await withGitSettings(s.policyFile, { via: 'pull-request' });
    await protectBranches(s.configRemote, ['main']);
    await protectBranches(s.appRemote, ['main', 'dev']);
  });

const planOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Plan;
const replanArgs = (g: GatedHotfix, file: string) => ['plan', 'hotfix', '--policy', g.s.policyFile, '--env', 'production', '--repo', `app=${g.s.appRepo}`, '--repo', `deploy=${g.s.configRepo}`, '--cluster-state', g.s.clusterStateFile, '--reason', 'payment', '--pick', g.s.fixes[0]!.commit, '--out', file];
const commitOf = (plan: Plan, id: string) => (plan.actions.find((a) => a.id === id) as { commit: string }).commit;

test('re-planned after the review branches were pushed: the plan makes those very commits, and its apply pushes nothing new', async () => {
  const g = await reviewed(51);
  const { s } = g;
  await g.meetGate();
  const killed = await runCliAsync(g.args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'push-merges:pushed' } });
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  const first = planOf(g.planFile);
  const pushed = { app: refs(s.appRemote), deploy: refs(s.configRemote) };

  const file = join(s.root, 'again.json');
  const again = await runCliAsync(replanArgs(g, file), { cwd: s.root });
  assert.is(again.code, 0, again.stderr);
  const plan = planOf(file);
  assert.ok(plan.id !== first.id, 'a plan of its own (made today, adopting)');
  for (const id of ['deploy-hotfix', 'merge-main', 'merge-dev']) assert.is(commitOf(plan, id), commitOf(first, id), `${id} is the commit the first apply pushed`);
  const deployBranch = (first.actions.find((a) => a.id === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>).branch;
  const note = plan.notes.find((n) => n.startsWith(`Adopts the branch for review ${deployBranch} at ${commitOf(first, 'deploy-hotfix').slice(0, 7)} (here and on the remote)`));
  assert.ok(note, plan.notes.join('\n'));
  for (const format of ['text', 'markdown']) {
    const shown = await runCliAsync(['show', '--format', format, file], { cwd: s.root });
    assert.is(shown.code, 0, shown.stderr);
    assert.ok(shown.stdout.includes(`Adopts the branch for review ${deployBranch}`), shown.stdout);
    // Each adopted commit names the first plan, which made it, and the reviewer reads that beside it.
    assert.is(shown.stdout.split(`its message names the plan ${first.id}, not this one: an earlier plan's commit, adopted`).length - 1, 3, shown.stdout);
  }

  const applied = await runCliAsync([...g.args.slice(0, -1), file], { cwd: s.root });
  // main and dev hold the fix already (it was picked from main), so no merge-back is left to wait for.
  assert.is(applied.code, 0, applied.stderr + applied.stdout);
  assert.not.ok(hasStackTrace(applied.stderr), applied.stderr);
  assert.ok(applied.stdout.includes(`Apply complete: ${plan.id}; the deploy pull request ${deployBranch} → main is still open (unmerged: main does not hold the deploy's change, by patch-id): production is deployed once it is merged, not yet`), applied.stdout);
  assert.equal({ app: refs(s.appRemote), deploy: refs(s.configRemote) }, pushed, 'the remotes hold what the first apply pushed, nothing more');

  // Someone squash-merges the deploy pull request (GitHub's "Squash and merge": one new commit on main, the branch deleted): a rerun says it is merged.
  const deploy = plan.actions.find((a) => a.id === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;
  const main = gitOut(s.configRemote, ['rev-parse', 'refs/heads/main']).trim();
  const squashed = gitOut(s.configRemote, ['-c', 'user.name=GitHub', '-c', 'user.email=noreply@github.com', 'commit-tree', `${deploy.commit}^{tree}`, '-p', main, '-m', `${deploy.message.split('\n')[0]} (#7)`]).trim();
  gitOut(s.configRemote, ['update-ref', 'refs/heads/main', squashed, main]);
  gitOut(s.configRemote, ['update-ref', '-d', `refs/heads/${deployBranch}`]);
  const rerun = await runCliAsync([...g.args.slice(0, -1), file], { cwd: s.root });
  assert.is(rerun.code, 0, rerun.stderr + rerun.stdout);
  assert.ok(rerun.stdout.includes(`Nothing to do: this plan was applied completely before (${plan.id}); the deploy pull request ${deployBranch} → main is merged (main holds the deploy's change, by patch-id), so production is deployed once its GitOps tool syncs main.`), rerun.stdout);
});

test('a review branch that holds something else is refused (HF364): what differs, and the commands that look and clean up', async () => {
  const g = await reviewed(52);
  const { s } = g;
  await g.meetGate();
  const killed = await runCliAsync(g.args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'push-config:pushed' } });
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  const first = planOf(g.planFile);
  const deploy = first.actions.find((a) => a.id === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;
  // A teammate amends the pushed deploy commit on the review branch, as "fixup" in a PR often goes.
  gitOut(s.configRepo, ['branch', '--force', 'amended', deploy.branch]);
  const amended = gitOut(s.configRepo, ['commit-tree', `${deploy.commit}^{tree}`, '-p', deploy.parent, '-m', 'Deploy the hotfix (amended)']).trim();
  gitOut(s.configRepo, ['update-ref', `refs/heads/${deploy.branch}`, amended]);
  gitOut(s.configRepo, ['push', '--quiet', '--force', 'origin', `refs/heads/${deploy.branch}`]);

  const file = join(s.root, 'again.json');
  const again = await runCliAsync(replanArgs(g, file), { cwd: s.root });
  assert.is(again.code, 1, again.stdout);
  assert.not.ok(hasStackTrace(again.stderr), again.stderr);
  const line = again.stderr.split('\n').find((l) => l.includes('[HF364]'))!;
  assert.ok(line, again.stderr);
  assert.ok(line.includes(`the branch for review ${deploy.branch} (git.deployBranch "hotfix/{date}-{sha7}-deploy-{env}", for main) exists in deploy on origin (${s.configRemote}) already and does not hold the commit this plan pushes there: its tip ${amended.slice(0, 7)} says "Deploy the hotfix (amended)" where this plan's commit says "${deploy.message.split('\n')[0]}"`), line);
  assert.ok(line.includes(`delete it with git branch -D '${deploy.branch}' && git push 'origin' ':refs/heads/${deploy.branch}' and plan again`), line);
});

test('the deploy pull request\'s base moves during the gate (Flux pushes to main, the checkout pulls it): apply makes the review branch at the new main with the reviewed change, and says the pull request is open', async () => {
  const g = await reviewed(53);
  const { s } = g;
  const plan = planOf(g.planFile);
  const deploy = plan.actions.find((a) => a.id === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;
  const flux = join(s.root, 'flux');
  spawnSync('git', ['clone', '--quiet', s.configRemote, flux], { env: isolatedGitEnv() });
  // main is protected: Flux pushes to a branch of its own (ImageUpdateAutomation spec.git.push.branch), and a teammate merges its pull request.
  const bump = await fluxBumpsWorker(flux);
  gitOut(flux, ['push', '--quiet', 'origin', 'HEAD:refs/heads/flux-image-updates']);
  const merged = await mergePullRequest(s.configRemote, { number: 5, head: 'flux-image-updates', base: 'main', title: 'Update worker image' });
  assert.is(gitOut(s.configRemote, ['rev-parse', `${merged}^2`]).trim(), bump);
  gitOut(s.configRepo, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
  await g.meetGate();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  // The branch for review follows its base (issue 15 §1): made at the merged main, with the reviewed diff, so the pull request merges without a stale base.
  const made = gitOut(s.configRemote, ['rev-parse', `refs/heads/${deploy.branch}`]).trim();
  assert.is(gitOut(s.configRemote, ['rev-parse', `${made}^`]).trim(), merged, 'the review branch starts at the moved main');
  assert.is(gitOut(s.configRemote, ['-c', 'core.abbrev=7', 'diff', merged, made]), deploy.changes.map((c) => c.diff).join(''), 'the reviewed diff, byte for byte');
  assert.is(gitOut(s.configRemote, ['rev-parse', 'refs/heads/main']).trim(), merged, 'main is where the forge merged Flux\'s pull request, untouched by apply');
  assert.ok(r.stdout.includes(`the deploy pull request ${deploy.branch} → main is still open (unmerged`), r.stdout);
});

test.run();
