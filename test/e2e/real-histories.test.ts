import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildMergedHistoryScenario, DIGEST_NEW, DIGEST_OLD, API, BILLING, HELM_RELEASE, WORKER, type HistoryStop, type MergedHistoryScenario } from '../../fixtures/merged-history-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { hasStackTrace, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Rollback plans through the built CLI on a config repository with the history real ones
// have: bot bumps with [skip ci], a Renovate pull request merged days after it was opened,
// a broken commit fixed by the next, a marker rename, a rollback pull request merged.
const built = new Map<string, Promise<MergedHistoryScenario>>();
const scenario = (stop?: HistoryStop) => {
  const key = stop ?? 'all';
  if (!built.has(key)) built.set(key, buildMergedHistoryScenario(tempDir(), stop ? { stop } : {}));
  return built.get(key)!;
};

function plan(s: MergedHistoryScenario, policy: string, extra: string[] = [], repo = s.configRepo): CliResult & { plan?: Plan; file?: string } {
  const out = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = runCli(['plan', 'rollback', '--policy', policy, '--env', 'production', '--repo', `deploy=${repo}`, '--no-cluster', '--out', out, ...extra], { cwd: s.root });
  return r.code === 0 ? { ...r, plan: JSON.parse(readFileSync(out, 'utf8')) as Plan, file: out } : r;
}

const commitAction = (p: Plan) => p.actions.find((a) => a.kind === 'commit') as Extract<Plan['actions'][number], { kind: 'commit' }>;

test('a second rollback skips the image the first one removed, and the deployment is dated by its merge', async () => {
  const s = await scenario();
  const r = plan(s, s.kustomizePolicy);
  assert.is(r.code, 0, r.stderr);
  // Current 1.4.3 came back by the merged rollback; 1.5.0 was rolled back; 1.4.3 before it is what runs.
  assert.is(r.plan!.deployed.image, `${API}:1.4.3`);
  assert.is(r.plan!.target.image, `${API}:1.4.2`);
  assert.is(r.plan!.target.deployedBy!.sha, s.commits['renovate-1.4.2']);
  // maxAge 14d holds: merged 10 days ago, though committed 30 days ago on the pull request's branch.
  assert.is(Date.parse(r.plan!.target.deployedBy!.date), Date.parse(s.dates['merge-1.4.2']!));
  assert.ok(!JSON.stringify(r.plan!.actions).includes('1.5.0'), 'never back to the rolled-back image');
  assert.match(r.stdout, /newTag: 1\.4\.2 # \{"\$imagepolicy": "apps:api-js:tag"\}/);
  assert.ok(r.plan!.notes.some((n) => n.startsWith(`${API}:1.4.2 reached main with the merge ${s.commits['merge-1.4.2']!.slice(0, 7)} "Merge pull request #41`)), r.plan!.notes.join('\n'));
});

test('maxAge counts from the merge: older than that is HF305 naming the merge', async () => {
  const s = await scenario();
  const policy = join(s.root, 'policies', 'api-js-9d.yaml');
  writeFileSync(policy, readFileSync(s.kustomizePolicy, 'utf8').replace('maxAge: 14d', 'maxAge: 9d'));
  const r = plan(s, policy);
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`${API.replace(/\./g, '\\.')}:1\\.4\\.2 was deployed .*\\(merged by ${s.commits['merge-1.4.2']!.slice(0, 7)}\\), longer ago than rollback.maxAge 9d +\\[HF305\\]`));
});

test('a placeholder kustomize name lints clean', async () => {
  const s = await scenario();
  const r = runCli(['lint', s.kustomizePolicy], { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stdout, /HF132/);
});

test('a broken revision is stepped over (HF236): the walk goes on to the first deployment', async () => {
  const s = await scenario();
  const r = plan(s, s.markerPolicy, ['--to', '1.4.0']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.target.image, `${API}:1.4.0`);
  assert.is(r.plan!.target.deployedBy!.sha, s.commits['init']);
  assert.equal(r.plan!.diagnostics.map((d) => d.code), ['HF236']);
  assert.match(r.plan!.diagnostics[0]!.message, new RegExp(`at ${s.commits['broken']!.slice(0, 7)} \\("Add a PodDisruptionBudget to api-js"\\) was skipped: it is not valid YAML`));
});

test('a tag never deployed is HF306 saying how far the walk looked, not "the whole history" wrongly', async () => {
  const s = await scenario();
  const r = plan(s, s.markerPolicy, ['--to', '0.9.9']);
  assert.is(r.code, 1);
  assert.match(r.stderr, new RegExp(`0\\.9\\.9 was never deployed here in the whole history of the file \\(back to ${s.commits['init']!.slice(0, 7)}\\)`));
});

test('a commit that only renamed the marker comment deployed nothing', async () => {
  const s = await scenario('marker-rename');
  const r = plan(s, s.markerPolicy);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.deployed.deployingCommit!.sha, s.commits['auto-1.4.3']);
  assert.is(r.plan!.target.image, `${API}:1.4.2`);
});

test('the revert of a bot bump drops [skip ci], so CI runs on the rollback pull request', async () => {
  const s = await scenario('bad-release');
  const r = plan(s, s.kustomizePolicy);
  assert.is(r.code, 0, r.stderr);
  const commit = commitAction(r.plan!);
  assert.is(commit.purpose, 'revert');
  assert.is(commit.message.split('\n')[0], 'Revert "ci: auto-update api-js 1.4.3 -> 1.5.0"');
  assert.match(commit.message, new RegExp(`This reverts commit ${s.commits['auto-1.5.0']}\\.`));
  const pr = r.plan!.actions.find((a) => a.kind === 'open-pull-request') as { title: string };
  assert.not.match(pr.title, /skip ci/i);
});

test('hotfix\'s own rollback, applied and merged, is not undone by the next rollback', async () => {
  const s = await buildMergedHistoryScenario(tempDir(), { stop: 'bad-release' });
  const first = plan(s, s.kustomizePolicy);
  assert.is(first.code, 0, first.stderr);
  const out = join(s.root, 'first.json');
  writeFileSync(out, JSON.stringify(first.plan));
  const applied = runCli(['apply', '--auto-approve', out], { cwd: s.root });
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  // The rollback pull request is merged as a forge merges it.
  const branch = (first.plan!.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  execFileSync('git', ['-c', 'user.name=Dana Ops', '-c', 'user.email=dana@example.org', 'merge', '-q', '--no-ff', '-m', `Merge pull request #45 from example-org/${branch}`, branch], { cwd: s.configRepo, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const second = plan(s, s.kustomizePolicy);
  assert.is(second.code, 0, second.stderr);
  assert.is(second.plan!.deployed.image, `${API}:1.4.3`);
  assert.is(second.plan!.target.image, `${API}:1.4.2`, 'past the rolled-back 1.5.0 and the 1.4.3 running now');
});

test('a kustomize newName holding the tag is reverted in place', async () => {
  const s = await scenario();
  const r = plan(s, s.billingPolicy);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.target.image, `${BILLING}:3.1.0`);
  assert.is(commitAction(r.plan!).purpose, 'revert');
  assert.match(commitAction(r.plan!).changes[0]!.diff, /\n-    newName: ghcr\.io\/example-org\/billing:3\.1\.1\n\+    newName: ghcr\.io\/example-org\/billing:3\.1\.0\n/);
});

test('a Helm tag pinned by digest is reverted with its digest; header and diff agree', async () => {
  const s = await scenario();
  const r = plan(s, s.helmPolicy);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.target.image, `${WORKER}:2.3.0@${DIGEST_OLD}`);
  const commit = commitAction(r.plan!);
  assert.is(commit.purpose, 'revert');
  assert.match(commit.changes[0]!.diff, new RegExp(`\\n-\\s+tag: 2\\.3\\.1@${DIGEST_NEW}\\n\\+\\s+tag: 2\\.3\\.0@${DIGEST_OLD}\\n`));
});

test('config.digest drop unpins and is no revert; keep, which would leave the bad digest running, is HF360', async () => {
  const s = await scenario();
  const withDigest = (policy: string) => {
    const file = join(s.root, 'policies', `worker-${policy}.yaml`);
    writeFileSync(file, readFileSync(s.helmPolicy, 'utf8').replace('        branch: main\n', `        branch: main\n        digest: ${policy}\n`));
    return file;
  };
  const drop = plan(s, withDigest('drop'));
  assert.is(drop.code, 0, drop.stderr);
  assert.is(drop.plan!.target.image, `${WORKER}:2.3.0`);
  assert.is(commitAction(drop.plan!).purpose, 'set-previous');
  assert.match(commitAction(drop.plan!).changes[0]!.diff, /\n\+\s+tag: 2\.3\.0\n/);
  const keep = plan(s, withDigest('keep'));
  assert.is(keep.code, 1);
  assert.match(keep.stderr, new RegExp(`would go on pinning ${DIGEST_NEW}, the digest of the image deployed now.*\\[HF360\\]`));
});

test('a hand bump that dropped the Renovate digest pin is reverted with the pin put back', async () => {
  const s = await scenario();
  // A person edits the pinned tag by hand and leaves the digest off (the pin Renovate keeps
  // adding); the revert must restore the pinned line byte for byte, as `git revert` would.
  const clone = join(s.root, 'hand-bump');
  const git = (...args: string[]) => execFileSync('git', ['-C', clone, ...args], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
  execFileSync('git', ['clone', '-q', s.configRepo, clone]);
  const file = join(clone, HELM_RELEASE);
  const pinned = readFileSync(file, 'utf8');
  assert.match(pinned, new RegExp(`tag: 2\\.3\\.1@${DIGEST_NEW}\n`));
  writeFileSync(file, pinned.replace(`tag: 2.3.1@${DIGEST_NEW}`, 'tag: 2.3.2'));
  git('-c', 'user.name=Dana Ops', '-c', 'user.email=dana@example.org', 'commit', '-qam', 'worker: 2.3.2');
  const r = plan(s, s.helmPolicy, [], clone);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.plan!.target.image, `${WORKER}:2.3.1@${DIGEST_NEW}`);
  const commit = commitAction(r.plan!);
  assert.is(commit.purpose, 'revert');
  assert.match(commit.changes[0]!.diff, new RegExp(`\\n-\\s+tag: 2\\.3\\.2\\n\\+\\s+tag: 2\\.3\\.1@${DIGEST_NEW}\\n`));
  const applied = runCli(['apply', r.file!, '--repo', `deploy=${clone}`, '--auto-approve'], { cwd: s.root });
  assert.is(applied.code, 0, applied.stderr);
  const branch = r.plan!.actions.find((a) => a.kind === 'create-branch')!.branch;
  assert.is(git('show', `${branch}:${HELM_RELEASE}`), pinned, 'the file as it was before the hand bump');
});

test('a shallow clone is named with its fix (HF235), not "no earlier deployment"', async () => {
  const s = await scenario();
  const shallow = join(s.root, 'shallow');
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${s.configRepo}`, shallow], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  const r = plan(s, s.kustomizePolicy, [], shallow);
  assert.is(r.code, 1);
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  assert.match(r.stderr, /shallow clone: the history of apps\/production\/api-js\/kustomization\.yaml ends at [0-9a-f]{7} .*git fetch --unshallow \(in GitHub Actions: actions\/checkout with fetch-depth: 0\) +\[HF235\]/);
  assert.not.match(r.stderr, /no earlier deployment/);
});

test.run();
