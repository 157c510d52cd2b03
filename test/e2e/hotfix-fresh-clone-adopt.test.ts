import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §2 on a CI runner: apply stopped at the gate after pushing the hotfix branch and
// tag; the job that re-plans runs in a fresh `git clone` of the app's remote, where the
// hotfix branch and dev are only origin/* (and, cloned with --no-tags or before the push,
// the tag or the branch is only on the remote). The re-plan adopts what the remote holds
// and the apply from that clone finishes the hotfix.

const registry = registryForFile(test);

interface Stopped extends GatedHotfix {
  readonly first: Plan;
  readonly branch: string;
  readonly tag: string;
  readonly tip: string;
  readonly tagObject: string;
}

/** The first apply, in the engineer's clone, stopped at the gate: the branch and the tag are pushed. */
async function stoppedAtGate(seed: number, prepare?: Parameters<typeof gatedHotfix>[2]): Promise<Stopped> {
  const g = await gatedHotfix(registry.host, seed, prepare);
  const first = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const stopped = await runCliAsync(g.args, { cwd: g.s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);
  const branch = (first.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  const tag = (first.actions.find((a) => a.kind === 'tag') as { tag: string }).tag;
  const tip = gitOut(g.s.appRemote, ['rev-parse', `refs/heads/${branch}`]).trim();
  return { ...g, first, branch, tag, tip, tagObject: gitOut(g.s.appRemote, ['rev-parse', `refs/tags/${tag}`]).trim() };
}

function clone(from: string, to: string, extra: string[] = []): void {
  const r = spawnSync('git', ['clone', '--quiet', ...extra, from, to], { env: isolatedGitEnv(), encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
}

async function planIn(g: Stopped, app: string, name: string): Promise<CliResult & { plan?: Plan; file: string }> {
  const { s } = g;
  const file = join(s.root, `${name}.json`);
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${app}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file], { cwd: s.root });
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

async function applyIn(g: Stopped, app: string, file: string): Promise<CliResult> {
  const { s } = g;
  return runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', '--repo', `app=${app}`, '--repo', `deploy=${s.configRepo}`, file], { cwd: s.root });
}

const heads = (repo: string) => gitOut(repo, ['for-each-ref', '--format=%(refname)', 'refs/heads']).trim().split('\n');

test('a fresh clone holding the hotfix branch and dev only as origin/*: the re-plan adopts them, and the apply from that clone finishes the hotfix', async () => {
  const g = await stoppedAtGate(91);
  const { s, branch, tag, tip, tagObject } = g;
  const runner = join(s.root, 'runner', 'app');
  clone(s.appRemote, runner);
  assert.equal(heads(runner), ['refs/heads/main'], 'only main is a local branch of the runner');

  const again = await planIn(g, runner, 'fresh');
  assert.is(again.code, 0, again.stdout + again.stderr);
  const plan = again.plan!;
  assert.equal(
    plan.actions.filter((a) => a.kind === 'create-branch').map((a) => [a.id, (a as { branch: string }).branch, (a as { from: string }).from]),
    [['create-branch', branch, tip], ['merge-dev-local', 'dev', s.devHead!]],
    'the local hotfix branch is made at the remote tip, dev at origin/dev',
  );
  assert.not.ok(plan.actions.some((a) => a.kind === 'cherry-pick' || a.kind === 'tag'), 'neither the pick nor the tag is made again');
  const refs = plan.preconditions.filter((p) => p.kind === 'ref' && p.repo === 'app').map((p) => [(p as { ref: string }).ref, (p as { sha: string | null }).sha]);
  for (const expected of [[`refs/remotes/origin/${branch}`, tip], [`refs/heads/${branch}`, null], [`refs/tags/${tag}`, tagObject], ['refs/remotes/origin/dev', s.devHead!], ['refs/heads/dev', null]])
    assert.ok(refs.some((r) => r[0] === expected[0] && r[1] === expected[1]), `precondition ${expected.join(' = ')} in ${JSON.stringify(refs)}`);
  assert.is((plan.actions.find((a) => a.kind === 'gate') as { revision: string }).revision, tip);
  assert.is(plan.target.image, g.first.target.image);
  assert.match(again.stdout, new RegExp(`this clone has it only as origin/${branch.replace(/\//g, '\\/')}, so apply creates the local branch there`));

  await g.meetGate();
  const applied = await applyIn(g, runner, again.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.is(gitOut(s.appRemote, ['rev-parse', `refs/heads/${branch}`]).trim(), tip, 'the hotfix branch on the remote is the one adopted');
  for (const into of ['main', 'dev']) {
    const merged = gitOut(s.appRemote, ['rev-parse', `refs/heads/${into}^2`]).trim();
    assert.is(merged, tip, `${into} on the remote merges the adopted tip`);
  }
  assert.is(gitOut(runner, ['rev-parse', `refs/heads/${branch}`]).trim(), tip);
});

test('cloned with --no-tags: the tag the stopped apply pushed is adopted on the remote, neither made nor pushed again', async () => {
  const g = await stoppedAtGate(92);
  const { s, tag, tagObject } = g;
  const runner = join(s.root, 'runner', 'app');
  clone(s.appRemote, runner, ['--no-tags']);
  assert.is(gitOut(runner, ['tag', '--list']).trim(), '', 'the runner has no tag');

  const again = await planIn(g, runner, 'no-tags');
  assert.is(again.code, 0, again.stdout + again.stderr);
  const plan = again.plan!;
  assert.not.ok(plan.actions.some((a) => a.kind === 'tag'));
  const pushed = plan.actions.filter((a) => a.kind === 'push').flatMap((a) => (a as { refs: ReadonlyArray<{ ref: string }> }).refs.map((r) => r.ref));
  assert.not.ok(pushed.includes(`refs/tags/${tag}`), pushed.join(', '));
  assert.ok(plan.preconditions.some((p) => p.kind === 'remote-ref' && p.ref === `refs/tags/${tag}` && p.sha === tagObject), 'apply checks the tag on the remote');

  // Someone deletes the tag on the remote between plan and apply: apply refuses before writing.
  gitOut(s.appRemote, ['tag', '-d', tag]);
  await g.meetGate();
  const refused = await applyIn(g, runner, again.file);
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  assert.match(refused.stderr, new RegExp(`refs/tags/${tag}.*HF404`));
  assert.not.ok(hasStackTrace(refused.stderr));
  assert.equal(heads(runner), ['refs/heads/main'], 'nothing was written');
});

test('a clone made before the stopped apply pushed: HF389 says to fetch; after git fetch the plan adopts', async () => {
  const early = { dir: '' };
  const g = await gatedHotfix(registry.host, 93, async (s) => {
    early.dir = join(s.root, 'runner', 'app');
    clone(s.appRemote, early.dir);
  });
  const stopped = await runCliAsync(g.args, { cwd: g.s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);
  const first = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const branch = (first.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  const s = g.s;
  const file = join(s.root, 'early.json');
  const args = ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${early.dir}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file];
  const refused = await runCliAsync(args, { cwd: s.root });
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  const tip = gitOut(s.appRemote, ['rev-parse', `refs/heads/${branch}`]).trim();
  // The branch and its tag are both on the remote only: one line each, with the command that fetches it.
  const lines = refused.stderr.trim().split('\n');
  assert.is(lines.length, 2, refused.stderr);
  assert.match(lines[0]!, new RegExp(`^error  branch ${branch.replace(/\//g, '\\/')} is on origin \\(${s.appRemote}\\) at ${tip.slice(0, 7)}, but this clone of app has not fetched it.*: run git fetch 'origin' 'refs/heads/${branch.replace(/\//g, '\\/')}:refs/remotes/origin/${branch.replace(/\//g, '\\/')}' and plan again  \\[HF389\\]$`));
  assert.match(lines[1]!, new RegExp(`^error  tag ${(first.actions.find((a) => a.kind === 'tag') as { tag: string }).tag} is on origin .* run git fetch 'origin' tag '.*' and plan again  \\[HF389\\]$`));

  gitOut(early.dir, ['fetch', '--quiet', 'origin']);
  const adopted = await runCliAsync(args, { cwd: s.root });
  assert.is(adopted.code, 0, adopted.stdout + adopted.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.is((plan.actions.find((a) => a.kind === 'create-branch') as { from: string }).from, tip);
});

test('a merge-back branch only on the remote, not fetched: HF389 instead of HF202', async () => {
  const g = await gatedHotfix(registry.host, 94);
  const { s } = g;
  const runner = join(s.root, 'runner', 'app');
  // A CI checkout of main alone (actions/checkout fetches one ref): dev is on the remote only.
  clone(s.appRemote, runner, ['--single-branch', '--branch', 'main']);
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${runner}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit], { cwd: s.root });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`branch dev is on origin .* at ${s.devHead!.slice(0, 7)}, but this clone of app has not fetched it.*run git fetch 'origin' 'refs/heads/dev:refs/remotes/origin/dev' and plan again  \\[HF389\\]`));
  assert.not.match(r.stderr, /HF202/);
  // The command it gives fetches dev whatever the clone's refspec (a bare git fetch would not, in a --single-branch clone).
  gitOut(runner, ['fetch', '--quiet', 'origin', 'refs/heads/dev:refs/remotes/origin/dev']);
  const again = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${runner}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit], { cwd: s.root });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /dev will be created from/);
});

test('protected branches (git.via pull-request) in a fresh clone: the merge-back branch for review is made from origin/dev, and the apply from that clone pushes it', async () => {
  const g = await stoppedAtGate(95, async (s) => {
    await withGitSettings(s.policyFile, { via: 'pull-request' });
    await protectBranches(s.appRemote, ['main', 'dev']);
    await protectBranches(s.configRemote, ['main']);
  });
  const { s, tip } = g;
  const runner = join(s.root, 'runner', 'app');
  clone(s.appRemote, runner);
  const again = await planIn(g, runner, 'fresh-review');
  assert.is(again.code, 0, again.stdout + again.stderr);
  const plan = again.plan!;
  const mergeDev = plan.actions.find((a) => a.id === 'merge-dev') as Extract<Action, { kind: 'merge' }>;
  assert.ok(mergeDev.into !== 'dev', 'the merge goes to a branch for review');
  assert.equal(mergeDev.parents, [s.devHead!, tip]);
  assert.ok(plan.preconditions.some((p) => p.kind === 'ref' && p.ref === 'refs/remotes/origin/dev' && p.sha === s.devHead), 'dev is checked as origin/dev');
  assert.not.ok(plan.actions.some((a) => a.kind === 'create-branch' && a.branch === 'dev'), 'no local dev is needed');
  assert.is(mergeDev.rederive, undefined, 'a base read from origin/dev is not followed if it moves');

  await g.meetGate();
  const applied = await applyIn(g, runner, again.file);
  assert.is(applied.code === 0 || applied.code === 4, true, applied.stdout + applied.stderr);
  assert.not.ok(hasStackTrace(applied.stderr), applied.stderr);
  assert.is(gitOut(s.appRemote, ['rev-parse', `refs/heads/${mergeDev.into}`]).trim(), mergeDev.commit, 'the planned merge, pushed for review');
  assert.is(gitOut(s.appRemote, ['rev-parse', 'refs/heads/dev']).trim(), s.devHead!, 'dev itself is left to its pull request');
});

test.run();
