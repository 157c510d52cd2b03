import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario } from '../../fixtures/app-scenario.js';
import { buildPrdNopScenario, type PrdNopOptions, type PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

const registry = registryForFile(test);

const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();

async function scenario(options: PrdNopOptions = {}): Promise<PrdNopScenario> {
  const s = await buildPrdNopScenario(tempDir(), registry.host, options);
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: s.deployed.commit } });
  return s;
}

async function plan(s: PrdNopScenario, extra: string[] = [], policy = s.policyFile): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCliAsync(
    ['plan', 'hotfix', '--policy', policy, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file, ...extra],
    { cwd: s.root },
  );
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

function withBaseline(s: PrdNopScenario, change: (policy: string) => string): string {
  const file = join(s.root, 'variant.yaml');
  writeFileSync(file, change(readFileSync(s.policyFile, 'utf8')));
  return file;
}

test("the baseline is nop as it was when production's version went live; apply makes the config branch from it", async () => {
  const s = await scenario();
  const r = await plan(s);
  assert.is(r.code, 0, r.stderr);
  const b = r.plan!.baseline!;
  assert.is(b.environment, 'nop');
  assert.is(b.targetDeploying.sha, s.prd.deployingCommit);
  assert.is(b.commit?.sha, s.nop.baseline);
  assert.equal(b.changedSince.map((c) => c.path).sort(), [...s.nop.changedSince].sort());
  assert.match(r.stdout, new RegExp(`test config +nop as of ${s.nop.baseline!.slice(0, 7)}`));
  assert.match(r.stdout, /nop has changed since in .*deploy\/configmap\.yaml/);

  // CI builds the hotfix image; apply runs to the end.
  const head = (r.plan!.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.1', labels: { [REVISION]: head } });
  const applied = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'integration-nop', r.file], { cwd: s.root });
  assert.is(applied.code, 0, applied.stderr);

  const branch = `refs/heads/${b.branch}`;
  const planned = r.plan!.actions.find((a) => a.kind === 'commit' && a.purpose === 'baseline-config') as { commit: string };
  assert.is(git(s.configRemote, 'rev-parse', branch), planned.commit);
  assert.is(git(s.configRemote, 'rev-parse', `${branch}^`), s.nop.baseline);
  // The old version's setting is there on the test branch, gone from today's nop.
  const { file, key } = s.nop.removedSetting;
  assert.ok(git(s.configRemote, 'show', `${branch}:${file}`).includes(key));
  assert.not.ok(git(s.configRemote, 'show', `nop:${file}`).includes(key));
  assert.match(git(s.configRemote, 'show', `${branch}:deploy/kustomization.yaml`), /newTag: "1\.4\.1"/);
  assert.match(git(s.configRemote, 'show', 'prd:deploy/kustomization.yaml'), /newTag: "1\.4\.1"/);
});

const baselineCommit = (p: Plan) => p.actions.find((a) => a.kind === 'commit' && a.purpose === 'baseline-config') as { commit: string } | undefined;
const applyArgs = (s: PrdNopScenario, file: string) => ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'integration-nop', file];

/** Plans and applies until the gate stops it (CI has not built the hotfix image): the baseline branch is made and pushed. */
async function stoppedAtGate(s: PrdNopScenario): Promise<{ plan: Plan; branch: string; made: string }> {
  const r = await plan(s);
  assert.is(r.code, 0, r.stderr);
  const stopped = await runCliAsync(applyArgs(s, r.file), { cwd: s.root });
  assert.is(stopped.code, 3, stopped.stderr);
  assert.match(stopped.stderr, /\[HF410\]/);
  const branch = r.plan!.baseline!.branch;
  const made = baselineCommit(r.plan!)!.commit;
  assert.is(git(s.configRemote, 'rev-parse', `refs/heads/${branch}`), made);
  return { plan: r.plan!, branch, made };
}

test('an apply stopped at the gate made the baseline branch: a new plan adopts it with the hotfix branch and tag, and applied once CI built the image, deploys with that branch unchanged', async () => {
  const s = await scenario({ seed: 31 });
  const { plan: first, branch, made } = await stoppedAtGate(s);
  const again = await plan(s);
  assert.is(again.code, 0, again.stdout + again.stderr);
  const p = again.plan!;
  assert.is(p.baseline!.branch, branch);
  // Nothing of the baseline is made again: the branch is there, at the commit the first apply made and pushed.
  assert.is(baselineCommit(p), undefined, p.actions.map((a) => a.id).join(', '));
  assert.not.ok(p.actions.some((a) => a.kind === 'create-branch' && a.branch === branch), p.actions.map((a) => a.id).join(', '));
  assert.ok(p.preconditions.some((c) => c.kind === 'ref' && c.ref === `refs/heads/${branch}` && c.sha === made), JSON.stringify(p.preconditions));
  assert.ok(p.notes.some((n) => n.includes(`Adopts ${branch} at ${made.slice(0, 7)}, made before (by an apply of this hotfix, or by hand with the same content)`)), p.notes.join('\n'));
  assert.match(again.stdout, new RegExp(`Adopts ${branch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at ${made.slice(0, 7)}`));
  assert.not.ok(p.actions.some((a) => a.kind === 'cherry-pick'), 'the hotfix branch is adopted too');
  assert.is.not(p.id, first.id);

  const head = git(s.appRepo, 'rev-parse', `refs/heads/${(first.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch}`);
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.1', labels: { [REVISION]: head } });
  const applied = await runCliAsync(applyArgs(s, again.file), { cwd: s.root });
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.is(git(s.configRemote, 'rev-parse', `refs/heads/${branch}`), made);
  assert.match(git(s.configRemote, 'show', 'prd:deploy/kustomization.yaml'), /newTag: "1\.4\.1"/);
});

test('a baseline branch of that name that is not this plan\'s (a commit added on it): refused (HF312) with how it differs and the commands; run as printed, it plans again', async () => {
  const s = await scenario({ seed: 32 });
  const { branch, made } = await stoppedAtGate(s);
  // A teammate tries a config change on the test branch and pushes it.
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Dana', GIT_AUTHOR_EMAIL: 'dana@example.com', GIT_COMMITTER_NAME: 'Dana', GIT_COMMITTER_EMAIL: 'dana@example.com' };
  execFileSync('sh', ['-c', `git checkout -q ${branch} && echo "  LOG_LEVEL: debug" >> deploy/configmap.yaml && git commit -qam "Debug logging on the test branch" && git push -q origin ${branch} && git checkout -q -`], { cwd: s.configRepo, env });
  const tip = git(s.configRepo, 'rev-parse', `refs/heads/${branch}`);
  const again = await plan(s);
  assert.is(again.code, 1, again.stdout + again.stderr);
  const line = again.stderr.split('\n').find((l) => l.includes('[HF312]')) ?? '';
  assert.ok(line.includes(`baseline branch ${branch} already exists in deploy and is not this plan's baseline: its tip ${tip.slice(0, 7)} is on ${made.slice(0, 7)}, not on the baseline ${s.nop.baseline!.slice(0, 7)}`), line);
  assert.match(line, /run hotfix apply again on that plan, which goes on from where it stopped/);
  const remove = /delete it \((git branch -D .*)\) and plan again/.exec(line)?.[1];
  assert.ok(remove, line);
  execFileSync('sh', ['-c', remove], { cwd: s.configRepo, env });
  assert.throws(() => git(s.configRemote, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`));
  const third = await plan(s);
  assert.is(third.code, 0, third.stderr);
  assert.is(third.plan!.baseline!.branch, branch);
  assert.ok(baselineCommit(third.plan!), 'made again');
});

test('the baseline branch only at origin (a fresh clone of the config repo): adopted, and apply makes the local branch at its tip', async () => {
  const s = await scenario({ seed: 33 });
  const { branch, made } = await stoppedAtGate(s);
  const clone = join(tempDir(), 'deploy');
  execFileSync('git', ['clone', '-q', '--branch', 'prd', s.configRemote, clone], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  assert.throws(() => git(clone, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`));
  const again = await plan({ ...s, configRepo: clone });
  assert.is(again.code, 0, again.stdout + again.stderr);
  const p = again.plan!;
  assert.is(baselineCommit(p), undefined);
  const create = p.actions.find((a) => a.kind === 'create-branch' && a.branch === branch) as { from: string } | undefined;
  assert.is(create?.from, made);
  assert.ok(p.notes.some((n) => n.includes(`this clone has it only as origin/${branch}`)), p.notes.join('\n'));
});

/** A teammate's checkout of the config repository, which pushes a commit onto `branch`. */
function teammatePushesOnto(s: PrdNopScenario, branch: string): string {
  const clone = join(tempDir(), 'teammate');
  const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Dana', GIT_AUTHOR_EMAIL: 'dana@example.com', GIT_COMMITTER_NAME: 'Dana', GIT_COMMITTER_EMAIL: 'dana@example.com' };
  execFileSync('sh', ['-c', `git clone -q --branch "$1" "$2" . && echo "  LOG_LEVEL: debug" >> deploy/configmap.yaml && git commit -qam "Debug logging on the test branch" && git push -q origin "$1"`, 'sh', branch, s.configRemote], { cwd: (execFileSync('mkdir', ['-p', clone]), clone), env });
  return git(clone, 'rev-parse', 'HEAD');
}

test('a teammate pushed onto the baseline branch after apply stopped (this clone holds no ref of it): the re-plan asks the remote and refuses (HF312), nothing adopted', async () => {
  const s = await scenario({ seed: 34 });
  const { branch, made } = await stoppedAtGate(s);
  const pushed = teammatePushesOnto(s, branch);
  // apply pushed by URL: this clone's refs still say the branch is at the commit apply made.
  assert.is(git(s.configRepo, 'rev-parse', `refs/heads/${branch}`), made);
  const again = await plan(s);
  assert.is(again.code, 1, again.stdout + again.stderr);
  const line = again.stderr.split('\n').find((l) => l.includes('[HF312]')) ?? '';
  assert.ok(line.includes(`baseline branch ${branch} already exists in deploy and is not this plan's baseline: origin has it at ${pushed.slice(0, 7)}, not at its tip ${made.slice(0, 7)}`), line);
  // The fetch it names brings the teammate's commit to look at.
  const fetch = /(git fetch 'origin' '[^']+') brings it/.exec(line)?.[1];
  assert.ok(fetch, line);
  execFileSync('sh', ['-c', fetch], { cwd: s.configRepo, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  assert.is(git(s.configRepo, 'rev-parse', `refs/remotes/origin/${branch}`), pushed);
});

test('the baseline branch only on the remote, never fetched here: HF389 with the fetch to run; run as printed, the re-plan adopts it', async () => {
  const s = await scenario({ seed: 35 });
  const { branch, made } = await stoppedAtGate(s);
  const clone = join(tempDir(), 'deploy');
  execFileSync('git', ['clone', '-q', '--single-branch', '--branch', 'prd', s.configRemote, clone], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  execFileSync('git', ['fetch', '-q', 'origin', 'refs/heads/nop:refs/remotes/origin/nop'], { cwd: clone, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const again = await plan({ ...s, configRepo: clone });
  assert.is(again.code, 1, again.stdout + again.stderr);
  const line = again.stderr.split('\n').find((l) => l.includes('[HF389]')) ?? '';
  assert.ok(line.includes(`baseline branch ${branch} is on origin (${s.configRemote}) at ${made.slice(0, 7)}, but this clone of deploy has not fetched it`), line);
  const fetch = /run (git fetch .*) and plan again/.exec(line)?.[1];
  assert.ok(fetch, line);
  execFileSync('sh', ['-c', fetch], { cwd: clone, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const third = await plan({ ...s, configRepo: clone });
  assert.is(third.code, 0, third.stdout + third.stderr);
  assert.is(baselineCommit(third.plan!), undefined);
  assert.is((third.plan!.actions.find((a) => a.kind === 'create-branch' && a.branch === branch) as { from: string } | undefined)?.from, made);
});

test('match: time takes nop as of the moment production deployed', async () => {
  const s = await scenario({ seed: 3 });
  const r = await plan(s, [], withBaseline(s, (p) => p.replace(/match: image/, 'match: time')));
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.baseline!.match, 'time');
  assert.is(r.plan!.baseline!.commit?.sha, s.nop.timeBaseline);
});

test('no baseline: refused by default (HF344), or today\'s nop with a warning (HF345)', async () => {
  const s = await scenario({ neverInNop: true });
  const refused = await plan(s);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /no baseline config: .*:1\.4\.0 never ran in nop before production got .* {2}\[HF344\]/);
  const current = await plan(s, [], withBaseline(s, (p) => p.replace(/ifMissing: refuse/, 'ifMissing: current')));
  assert.is(current.code, 0, current.stderr);
  assert.ok(current.plan!.diagnostics.some((d) => d.code === 'HF345'));
  assert.is(current.plan!.baseline!.commit, null);
  const create = current.plan!.actions.find((a) => a.kind === 'create-branch' && a.repo === 'deploy') as { from: string };
  assert.is(create.from, s.nop.head);
});

test('the render check refuses a plan whose image an overlay overrides, naming the overlay (HF343)', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { seed: 8 });
  // The base declares the image too, and the policy patches the base; the overlay wins.
  const baseFile = join(s.configRepo, 'base', 'kustomization.yaml');
  writeFileSync(baseFile, `${readFileSync(baseFile, 'utf8')}images:\n  - name: ${s.image}\n    newTag: ${s.deployed.tag}\n`);
  git(s.configRepo, 'add', '.');
  git(s.configRepo, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-qm', 'Declare the image in the base too');
  const policy = readFileSync(s.policyFile, 'utf8').replace('file: overlays/production/kustomization.yaml', 'file: base/kustomization.yaml, render: overlays/production');
  writeFileSync(s.policyFile, policy);
  const r = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--reason', 'payment', '--pick', s.fixes[0]!.commit], { cwd: s.root });
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, /kubectl kustomize overlays\/production runs .*:main-[0-9a-f]{7}, not .*; overlays\/production\/kustomization\.yaml sets the image and wins {2}\[HF343\]/);
});

test.run();
