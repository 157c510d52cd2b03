import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fluxBumpsWorker, teammateDocuments, teammateReleases, teammateRoundsHalfEven } from '../../fixtures/moved-branch-commits.js';
import { protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut, refs } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §1 with protected branches (git.via pull-request, fixtures/protected-remote.ts):
// the deploy and the merge-backs go to branches of their own, made at the head of the pull
// request's base. While apply waits at the gate, Flux or a teammate moves that base (their
// commit allowed past the protection, as a bot's or an admin's is on GitHub, and pulled by
// the checkout apply runs in). Apply makes the review branch at the new head and the same
// change on it, or refuses with HF417 naming what moved.

const registry = registryForFile(test);

type Commit = Extract<Action, { kind: 'commit' }>;
type Merge = Extract<Action, { kind: 'merge' }>;
const actionOf = <T extends Action>(plan: Plan, id: string) => plan.actions.find((a) => a.id === id) as T;
const rev = (repo: string, what: string) => gitOut(repo, ['rev-parse', what]).trim();

/** A plan with review branches, its apply stopped at the gate (the hotfix branch and tag pushed). */
async function stoppedAtGate(seed: number): Promise<GatedHotfix & { plan: Plan }> {
  const g = await gatedHotfix(registry.host, seed, async (s) => {
    await withGitSettings(s.policyFile, { via: 'pull-request' });
    await protectBranches(s.configRemote, ['main']);
    await protectBranches(s.appRemote, ['main', 'dev']);
  });
  const stopped = await runCliAsync(g.args, { cwd: g.s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);
  return { ...g, plan: JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan };
}

/** The commit lands on the remote's protected branch as an allowed actor's push would (no hook), and the clone has it. */
function landed(remote: string, clone: string, branch: string): void {
  gitOut(remote, ['fetch', '--quiet', clone, `+refs/heads/${branch}:refs/heads/${branch}`]);
}

test('Flux bumps another image on the config branch during the gate: the deploy review branch is made at the new head with the reviewed diff', async () => {
  const g = await stoppedAtGate(71);
  const { s, plan } = g;
  const deploy = actionOf<Commit>(plan, 'deploy-hotfix');
  assert.ok(deploy.rederive?.reason.startsWith(`main, the base of the pull request from ${deploy.branch}, may move while apply waits at the gate`), JSON.stringify(deploy.rederive));
  const shown = await runCliAsync(['show', g.planFile], { cwd: s.root });
  assert.ok(shown.stdout.includes(`the base of the pull request from ${deploy.branch}, may move`), shown.stdout);

  const bump = await fluxBumpsWorker(s.configRepo);
  landed(s.configRemote, s.configRepo, 'main');
  await g.meetGate();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const made = rev(s.configRemote, `refs/heads/${deploy.branch}`);
  assert.ok(made !== deploy.commit, 'a commit of its own on the new head');
  assert.is(rev(s.configRemote, `${made}^`), bump, 'the review branch starts at the new head of main');
  assert.is(gitOut(s.configRemote, ['-c', 'core.abbrev=7', 'diff', bump, made]), deploy.changes.map((c) => c.diff).join(''), 'the reviewed diff, byte for byte');
  assert.is(gitOut(s.configRemote, ['log', '-1', '--format=%B', made]).trim(), deploy.message.trim());
  assert.ok(r.stdout.includes(`re-derived: main moved to ${bump.slice(0, 7)} since the plan, so the branch for review ${deploy.branch} is made there and deploy-hotfix is ${made.slice(0, 7)} on it instead of ${deploy.commit.slice(0, 7)}`), r.stdout);
  assert.is(rev(s.configRemote, 'refs/heads/main'), bump, 'main itself is left to the pull request');
  const journal = await runCliAsync(['show', g.planFile], { cwd: s.root });
  assert.ok(journal.stdout.includes(made.slice(0, 7)), 'show prints the re-derived commit');
});

test('a teammate releases another build on the line the deploy patches: HF417 names the commit, and no review branch is pushed', async () => {
  const g = await stoppedAtGate(72);
  const { s, plan } = g;
  const deploy = actionOf<Commit>(plan, 'deploy-hotfix');
  const release = await teammateReleases(s.configRepo, 'overlays/production/kustomization.yaml', 'main-0c0ffee');
  landed(s.configRemote, s.configRepo, 'main');
  await g.meetGate();
  const before = [refs(s.configRemote), refs(s.appRemote)];
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`deploy: main (the base of the pull request from ${deploy.branch}), planned at ${deploy.parent.slice(0, 7)}, moved to ${release.slice(0, 7)} by ${release.slice(0, 7)} "Release shop-api main-0c0ffee to production"`), r.stderr);
  assert.ok(line.includes('the plan\'s edit no longer applies to overlays/production/kustomization.yaml there'), line);
  assert.equal([refs(s.configRemote), refs(s.appRemote)], before, 'nothing pushed');
  assert.not.ok(gitOut(s.configRepo, ['for-each-ref', `refs/heads/${deploy.branch}`]).trim(), 'the review branch is not made');
});

test('a teammate documents refunds on main during the gate: the merge-back review branch is made at the new main, bringing in the same commits', async () => {
  const g = await stoppedAtGate(73);
  const { s, plan } = g;
  const merge = actionOf<Merge>(plan, 'merge-main');
  assert.ok(merge.into !== 'main', 'the merge goes to a branch for review');
  assert.ok(merge.rederive?.reason.startsWith(`main, the base of the pull request from ${merge.into}, may move`), JSON.stringify(merge.rederive));
  const docs = await teammateDocuments(s.appRepo);
  landed(s.appRemote, s.appRepo, 'main');
  await g.meetGate();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code === 0 || r.code === 4, true, r.stdout + r.stderr);
  const made = rev(s.appRemote, `refs/heads/${merge.into}`);
  assert.equal(gitOut(s.appRemote, ['rev-list', '--parents', '-n', '1', made]).trim().split(' ').slice(1), [docs, merge.parents[1]]);
  assert.is(gitOut(s.appRemote, ['log', '-1', '--format=%B', made]).trim(), merge.message.trim());
  // The same commits of the hotfix come in as planned: main's new commit is the only other difference.
  assert.is(gitOut(s.appRemote, ['rev-list', `${docs}..${made}^2`]).trim(), gitOut(s.appRemote, ['rev-list', `${merge.parents[0]}..${merge.parents[1]}`]).trim());
  assert.ok(r.stdout.includes(`re-derived: main moved to ${docs.slice(0, 7)} since the plan, so the branch for review ${merge.into} is made there and merge-main is ${made.slice(0, 7)}`), r.stdout);
});

test('a teammate rewrites the fixed lines on main during the gate: the merge-back would conflict, so HF417 names it before the merge-back branch is made', async () => {
  const g = await stoppedAtGate(74);
  const { s, plan } = g;
  const merge = actionOf<Merge>(plan, 'merge-main');
  const rounding = await teammateRoundsHalfEven(s.appRepo);
  landed(s.appRemote, s.appRepo, 'main');
  await g.meetGate();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout + r.stderr);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`app: main (the base of the pull request from ${merge.into}), planned at ${merge.parents[0].slice(0, 7)}, moved to ${rounding.slice(0, 7)} by ${rounding.slice(0, 7)} "Round half-cent refunds to even"`), r.stderr);
  assert.ok(line.includes('conflicts in src/payment.js'), line);
  assert.not.ok(gitOut(s.appRemote, ['for-each-ref', `refs/heads/${merge.into}`]).trim(), 'the merge-back review branch is not pushed');
});

test.run();
