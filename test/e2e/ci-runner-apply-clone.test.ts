import { join } from 'node:path';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cloneRepo, git } from '../../fixtures/git.js';
import { buildPrdNopScenario, type PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import { mergePullRequest, protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §1 in CI as GitHub Actions and GitLab CI run it: the plan job and the apply job
// each start from their own checkout of the remote (actions/checkout, GitLab's fetch), so
// the apply job's clone is made after whatever teammates pushed while the plan was
// reviewed and the hotfix image built. It holds the config branch (prd) and the merge-back
// branch (main) only as origin/*, at their new heads, and never had the plan's.

const registry = registryForFile(test);

async function scenario(seed: number): Promise<PrdNopScenario> {
  const s = await buildPrdNopScenario(tempDir(), registry.host, { seed });
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: s.deployed.commit } });
  return s;
}

interface Job {
  /** The job's workspace, where it runs hotfix: each repository is checked out in a folder of it named as the policy names it. */
  readonly root: string;
  readonly app: string;
  readonly config: string;
}

/** A CI job's checkouts, as a workflow's two actions/checkout steps make them: the config repo on its default branch (nop), the app at the release tag. */
async function checkout(s: PrdNopScenario, job: string, options: readonly string[] = []): Promise<Job> {
  const root = join(s.root, job);
  const app = join(root, 'app');
  const config = join(root, 'deploy');
  await cloneRepo(s.root, s.configRemote, config, options);
  await cloneRepo(s.root, s.appRemote, app, ['--branch', `v${s.deployed.version}`, ...options]);
  return { root, app, config };
}

const bindings = ['--repo', 'app=app', '--repo', 'deploy=deploy', '--policy', 'policy.yaml'];

async function planIn(s: PrdNopScenario, job: Job): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(job.root, 'plan.json');
  writeFileSync(join(job.root, 'policy.yaml'), readFileSync(s.policyFile));
  const r = await runCliAsync(['plan', 'hotfix', ...bindings, '--env', 'production', '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: job.root });
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

/** The plan job's artifact applied in another job's workspace, once the hotfix image is built. */
async function applyIn(s: PrdNopScenario, job: Job, plan: Plan, planFile: string, env: Record<string, string> = {}): Promise<CliResult & { file: string }> {
  const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.1', labels: { [REVISION]: head } });
  const file = join(job.root, 'plan.json');
  if (planFile !== file) writeFileSync(file, readFileSync(planFile));
  writeFileSync(join(job.root, 'policy.yaml'), readFileSync(s.policyFile));
  const r = await runCliAsync(['apply', '--auto-approve', ...bindings, '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'integration-nop', 'plan.json'], { cwd: job.root, env });
  return { ...r, file };
}

/** A teammate's clone of `remote` pushes a commit `subject` that rewrites `path` on `branch` (a new file: from ''), to `branch` or to `pushTo`; returns its id. */
async function teammatePushes(s: PrdNopScenario, remote: string, branch: string, path: string, edit: (text: string) => string, subject: string, pushTo = branch): Promise<string> {
  const dir = join(s.root, `teammate-${Math.random().toString(36).slice(2)}`);
  await cloneRepo(s.root, remote, dir, ['--branch', branch]);
  const file = join(dir, path);
  writeFileSync(file, edit(existsSync(file) ? readFileSync(file, 'utf8') : ''));
  await git(dir, ['add', '--', path]);
  await git(dir, ['-c', 'user.name=Teammate', '-c', 'user.email=teammate@example.com', 'commit', '--quiet', '-m', subject]);
  await git(dir, ['push', '--quiet', 'origin', `HEAD:refs/heads/${pushTo}`]);
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

const deployCommit = (plan: Plan) => plan.actions.find((a) => a.kind === 'commit' && a.purpose === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;

test('the apply job clones after teammates pushed to prd and main: it makes the deploy commit and the merge-back again on their new heads', async () => {
  const s = await scenario(21);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  const deployed = deployCommit(plan);
  const merge = plan.actions.find((a) => a.kind === 'merge') as Extract<Action, { kind: 'merge' }>;

  const prdNow = await teammatePushes(s, s.configRemote, 'prd', 'deploy/RUNBOOK.md', () => 'Page the billing on-call before a manual deploy.\n', 'Add a runbook for manual deploys');
  const mainNow = await teammatePushes(s, s.appRemote, 'main', 'RUNBOOK.md', () => 'Page the billing on-call before a release.\n', 'Add a release runbook');
  const applyJob = await checkout(s, 'apply-job');
  assert.is((await git(applyJob.config, ['rev-parse', 'refs/remotes/origin/prd'])).trim(), prdNow);

  const applied = await applyIn(s, applyJob, plan, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.not.ok(hasStackTrace(applied.stderr));
  const prd = (await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim();
  assert.match(applied.stdout, new RegExp(`re-derived: prd moved to ${prdNow.slice(0, 7)} since the plan, so deploy-hotfix is ${prd.slice(0, 7)} on it instead of ${deployed.commit.slice(0, 7)}`));
  assert.match(applied.stdout, new RegExp(`re-derived: main moved to ${mainNow.slice(0, 7)} since the plan, so merge-main is [0-9a-f]{7} on it instead of ${merge.commit.slice(0, 7)}`));
  assert.is((await git(s.configRemote, ['rev-parse', 'prd^'])).trim(), prdNow);
  // The reviewed diff, byte for byte: only the teammate's file changed besides it, elsewhere.
  assert.is(await git(s.configRemote, ['-c', 'core.abbrev=7', 'diff', prdNow, prd]), deployed.changes.map((c) => c.diff).join(''));
  const main = (await git(s.appRemote, ['rev-parse', 'refs/heads/main'])).trim();
  assert.equal((await git(s.appRemote, ['rev-list', '--parents', '-n', '1', main])).trim().split(' ').slice(1), [mainNow, merge.parents[1]]);

  // show, in the apply job's workspace, reads the journal there.
  const shown = await runCliAsync(['show', 'plan.json'], { cwd: applyJob.root });
  assert.is(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(`deploy-hotfix was applied as ${prd} on ${prdNow}, not as the planned ${deployed.commit}`), shown.stdout);
  assert.ok(shown.stdout.includes(`merge-main was applied as ${main} on ${mainNow}, not as the planned ${merge.commit}`), shown.stdout);
});

const allRefs = async (repo: string) => git(repo, ['for-each-ref', '--format=%(refname) %(objectname)']);

test('the apply job clones after a teammate pinned prd to another tag on the line the deploy patches: refused before any write, naming the commit and the file', async () => {
  const s = await scenario(22);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const deployed = deployCommit(r.plan!);

  const pin = await teammatePushes(s, s.configRemote, 'prd', 'deploy/kustomization.yaml', (text) => text.replace('newTag: "1.4.0"', 'newTag: "1.3.2"'), 'Roll billing back to 1.3.2');
  const applyJob = await checkout(s, 'apply-job');
  const before = await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs));
  const refused = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  assert.not.ok(hasStackTrace(refused.stderr), refused.stderr);
  const line = refused.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`deploy: prd, planned at ${deployed.parent.slice(0, 7)}, moved to ${pin.slice(0, 7)} by ${pin.slice(0, 7)} "Roll billing back to 1.3.2"`), refused.stderr);
  assert.ok(line.includes("the plan's edit no longer applies to deploy/kustomization.yaml there"), line);
  assert.ok(line.includes('Nothing was written.'), line);
  assert.equal(await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs)), before, 'no ref moved anywhere');
});

test('protected prd (git.via pull-request) held only as origin/prd: the apply job makes the branch for review at the head a teammate pushed, and the deploy commit on it', async () => {
  const s = await scenario(23);
  await withGitSettings(s.policyFile, { via: 'pull-request' });
  await protectBranches(s.configRemote, ['prd']);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  const deployed = deployCommit(plan);
  assert.is.not(deployed.branch, 'prd', 'the deploy commit goes to a branch for review');
  assert.is(deployed.parent, s.prd.head);
  assert.ok(plan.preconditions.some((p) => p.kind === 'ref' && p.ref === 'refs/remotes/origin/prd' && p.sha === s.prd.head), 'prd is checked as origin/prd');
  assert.match(deployed.rederive?.reason ?? '', /^prd, the base of the pull request from /);

  // prd takes changes through pull requests only: a teammate's is merged while the hotfix image builds.
  await teammatePushes(s, s.configRemote, 'prd', 'deploy/RUNBOOK.md', () => 'Page the billing on-call before a manual deploy.\n', 'Add a runbook for manual deploys', 'add-runbook');
  const prdNow = await mergePullRequest(s.configRemote, { number: 57, head: 'add-runbook', base: 'prd', title: 'Add a runbook for manual deploys' });
  const applyJob = await checkout(s, 'apply-job');
  const applied = await applyIn(s, applyJob, plan, r.file);
  assert.ok(applied.code === 0 || applied.code === 4, applied.stdout + applied.stderr);
  assert.not.ok(hasStackTrace(applied.stderr), applied.stderr);
  const pushed = (await git(s.configRemote, ['rev-parse', `refs/heads/${deployed.branch}`])).trim();
  assert.match(applied.stdout, new RegExp(`re-derived: prd moved to ${prdNow.slice(0, 7)} since the plan, so the branch for review ${deployed.branch.replace(/[/.]/g, '\\$&')} is made there and deploy-hotfix is ${pushed.slice(0, 7)} on it instead of ${deployed.commit.slice(0, 7)}`));
  assert.is((await git(s.configRemote, ['rev-parse', `${pushed}^`])).trim(), prdNow);
  assert.is(await git(s.configRemote, ['-c', 'core.abbrev=7', 'diff', prdNow, pushed]), deployed.changes.map((c) => c.diff).join(''));
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), prdNow, 'prd itself is left to the pull request');
});

test.run();
