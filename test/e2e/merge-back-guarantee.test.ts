import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { buildReleaseBranchScenario, RELEASE_BRANCH, type ReleaseBranchScenario } from '../../fixtures/release-branch-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

const registry = registryForFile(test);

/** The person who does the merge-back by hand. */
const PERSON = { ...isolatedGitEnv(), GIT_AUTHOR_NAME: 'Pat Person', GIT_AUTHOR_EMAIL: 'pat@example.com', GIT_COMMITTER_NAME: 'Pat Person', GIT_COMMITTER_EMAIL: 'pat@example.com' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: PERSON, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
/** A shell line run the way a person pastes it. */
const sh = (cwd: string, line: string) => spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', env: PERSON });

interface Applied {
  readonly s: ReleaseBranchScenario;
  readonly plan: Plan;
  readonly first: CliResult;
  readonly apply: () => Promise<CliResult>;
  readonly hotfixBranch: string;
  readonly hotfixHead: string;
}

/** Production hotfixed with both fixes, the gate met, applied once: release/1.5 is left to a person. */
async function appliedHotfix(seed: number): Promise<Applied> {
  const s = await buildReleaseBranchScenario(tempDir(), registry.host, seed);
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit } });
  const file = join(s.root, 'plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', ...s.fixes.flatMap((f) => ['--pick', f.commit]), '--out', file], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const hotfixHead = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { [REVISION]: hotfixHead } });
  const apply = () => runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', file], { cwd: s.root });
  const first = await apply();
  const hotfixBranch = (plan.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  return { s, plan, first, apply, hotfixBranch, hotfixHead };
}

/** The commands apply printed under next: for the merge-back into `branch`. */
function printedCommands(stdout: string, branch: string): string {
  const lines = stdout.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`next: merge `) && l.includes(` into ${branch} (`));
  assert.ok(at >= 0, `no next: line for ${branch} in:\n${stdout}`);
  return lines[at + 1]!.trim();
}

/** A clone of the app's remote, as the person who does the merge-back has it. */
function personClone(s: ReleaseBranchScenario): string {
  const dir = join(tempDir(), 'app');
  git(s.root, 'clone', '--quiet', s.appRemote, dir);
  return dir;
}

test('a merge-back left to a person: apply exits 4 with HF430, not complete; the printed commands merge once the conflict is resolved; the rerun says complete', async () => {
  const { s, first, apply, hotfixBranch, hotfixHead } = await appliedHotfix(1);
  assert.is(first.code, 4, first.stderr);
  assert.match(first.stderr, new RegExp(`merge-back into release/1\\.5 is left to you and release/1\\.5 \\([0-9a-f]{7}\\) does not hold [0-9a-f]{7} "Fix rounding of refunds in payment\\.js", [0-9a-f]{7} "Reject expired sessions" yet.*\\[HF430\\]`));
  assert.match(first.stdout, /Apply incomplete: release\/1\.5 does not hold the hotfix yet/);
  assert.not.match(first.stdout, /Apply complete/);
  // main and dev, which merge cleanly, apply merged and pushed.
  for (const branch of ['main', 'dev']) assert.ok(spawnSync('git', ['merge-base', '--is-ancestor', hotfixHead, `refs/heads/${branch}`], { cwd: s.appRemote }).status === 0, `${branch} has the hotfix`);

  const again = await apply();
  assert.is(again.code, 4, 'nothing was done: still left to the person');
  assert.match(again.stderr, /\[HF430\]/);

  const commands = printedCommands(first.stdout, RELEASE_BRANCH);
  // A rerun, which skips the finished actions and their next: lines, prints the same commands.
  assert.ok(again.stdout.includes(`left to you: merge the hotfix into ${RELEASE_BRANCH}:\n    ${commands}\n`), again.stdout);
  assert.ok(commands.includes(`'origin/${hotfixBranch}'`), commands);
  const clone = personClone(s);
  const remoteBefore = git(s.appRemote, 'rev-parse', `refs/heads/${RELEASE_BRANCH}`);
  // Pasted as printed, the commands stop where the merge stops, and push nothing.
  const stopped = sh(clone, commands);
  assert.is(stopped.status, 1, stopped.stderr + stopped.stdout);
  assert.match(stopped.stdout, /CONFLICT \(content\): Merge conflict in src\/payment\.js/);
  assert.is(git(s.appRemote, 'rev-parse', `refs/heads/${RELEASE_BRANCH}`), remoteBefore);
  // The person keeps QA's guard and takes the fix, then runs the rest from git commit.
  const released = git(clone, 'show', `origin/${RELEASE_BRANCH}:src/payment.js`);
  writeFileSync(join(clone, 'src/payment.js'), `${released.replace('Math.floor(order.totalCents', 'Math.round(order.totalCents')}\n`);
  git(clone, 'add', 'src/payment.js');
  const rest = commands.slice(commands.indexOf('git commit'));
  const finished = sh(clone, rest);
  assert.is(finished.status, 0, finished.stderr);
  assert.is.not(git(s.appRemote, 'rev-parse', `refs/heads/${RELEASE_BRANCH}`), remoteBefore);

  const complete = await apply();
  assert.is(complete.code, 0, complete.stderr);
  assert.match(complete.stdout, /done: release\/1\.5 holds every change of the hotfix \([0-9a-f]{7} by merge, [0-9a-f]{7} by merge\)/);
  assert.match(complete.stdout, /Nothing to do: this plan was applied completely before/);
});

/** Production now runs the hotfix image, as the cluster reports once the deploy rolled out. */
function clusterRunsHotfix(a: Applied): string {
  const file = join(a.s.root, 'cluster-after.json');
  const running = `${a.s.image}:${a.s.deployed.tag}`;
  const text = readFileSync(a.s.clusterStateFile, 'utf8');
  assert.ok(text.includes(running), 'the snapshot runs the deployed image');
  writeFileSync(file, text.split(running).join(a.plan.target.image));
  return file;
}

const statusArgs = (a: Applied, clusterFile: string) => ['status', '--policy', a.s.policyFile, '--env', 'production', '--repo', `app=${a.s.appRepo}`, '--repo', `deploy=${a.s.configRepo}`, '--cluster-state', clusterFile, '--detailed-exitcode'];
const checkArgs = (a: Applied, clusterFile: string, image: string) => ['check', 'release', '--policy', a.s.policyFile, '--env', 'production', '--image', image, '--repo', `app=${a.s.appRepo}`, '--repo', `deploy=${a.s.configRepo}`, '--cluster-state', clusterFile];

interface StatusJson {
  environments: Array<{ name: string; hotfix?: { commit: string; changes: Array<{ sha: string }>; contained: boolean; targets: Array<{ target: string; contained: boolean; commits: Array<{ sha: string; heldBy?: string }> }> } }>;
}

/** release/1.5 after the person took QA's guard out again (it moves into the fix), so the fix lands there cleanly. */
function withoutGuard(a: Applied, clone: string): void {
  git(clone, 'switch', '--quiet', RELEASE_BRANCH);
  git(clone, 'revert', '--no-edit', a.s.releaseGuard);
}

test('status shows the hotfix production runs as not contained in release/1.5 (exit 2 with --detailed-exitcode), and contained once it is cherry-picked there; check release follows', async () => {
  const a = await appliedHotfix(2);
  assert.is(a.first.code, 4, a.first.stderr);
  const cluster = clusterRunsHotfix(a);
  // The config checkout has main checked out, so apply moved only the remote's: bring it up
  // to what production runs, or status also (rightly) reports drift, which exits 2 as well.
  git(a.s.configRepo, 'pull', '--ff-only', '--quiet');

  const before = await runCliAsync([...statusArgs(a, cluster), '--format', 'json'], { cwd: a.s.root });
  assert.is(before.code, 2, before.stderr);
  const hotfix = (JSON.parse(before.stdout) as StatusJson).environments[0]!.hotfix!;
  assert.is(hotfix.commit, a.hotfixHead);
  assert.equal(hotfix.changes.map((c) => c.sha), a.plan.actions.filter((x) => x.kind === 'cherry-pick').map((x) => (x as { commit: string }).commit));
  assert.is(hotfix.contained, false);
  assert.equal(hotfix.targets.map((t) => [t.target, t.contained]), [['main', true], ['dev', true], [RELEASE_BRANCH, false]]);
  // This checkout's main (checked out, so apply moved only the remote's) has the commits the fixes were picked from.
  assert.equal(hotfix.targets[0]!.commits.map((c) => c.heldBy), ['origin', 'origin']);
  const text = await runCliAsync(statusArgs(a, cluster), { cwd: a.s.root });
  assert.is(text.code, 2);
  assert.match(text.stdout, /hotfix +2 changes beyond the mainline at [0-9a-f]{7}: [0-9a-f]{7} Fix rounding of refunds in payment\.js; [0-9a-f]{7} Reject expired sessions/);
  assert.match(text.stdout, /release\/1\.5 lacks [0-9a-f]{7}, [0-9a-f]{7}/);
  const plain = await runCliAsync(statusArgs(a, cluster).filter((x) => x !== '--detailed-exitcode'), { cwd: a.s.root });
  assert.is(plain.code, 0, 'without --detailed-exitcode status only reports');

  // A release/1.5 build as it is would take the fix away from production.
  const rcTag = '1.5.0-rc.1';
  await pushImage(registry.host, { name: 'team/shop-api', tag: rcTag, labels: { [REVISION]: a.s.releaseGuard } });
  const refused = await runCliAsync(checkArgs(a, cluster, `${a.s.image}:${rcTag}`), { cwd: a.s.root });
  assert.is(refused.code, 2, refused.stderr);
  assert.match(refused.stderr, new RegExp(`1\\.5\\.0-rc\\.1 \\(${a.s.releaseGuard.slice(0, 7)}\\) lacks 2 hotfix changes that production runs .*"Fix rounding of refunds in payment\\.js".*\\[HF380\\]`));

  // The person cherry-picks the hotfix commits (no -x): found by patch-id.
  const clone = personClone(a.s);
  withoutGuard(a, clone);
  for (const pick of hotfix.changes) git(clone, 'cherry-pick', pick.sha);
  git(clone, 'push', '--quiet', 'origin', RELEASE_BRANCH);
  git(a.s.appRepo, 'fetch', '--quiet', 'origin', `+refs/heads/${RELEASE_BRANCH}:refs/heads/${RELEASE_BRANCH}`);
  const after = await runCliAsync([...statusArgs(a, cluster), '--format', 'json'], { cwd: a.s.root });
  assert.is(after.code, 0, after.stdout);
  const release = (JSON.parse(after.stdout) as StatusJson).environments[0]!.hotfix!.targets[2]!;
  assert.equal(release.commits.map((c) => c.heldBy), ['patch-id', 'patch-id']);
  const complete = await a.apply();
  assert.is(complete.code, 0, complete.stderr);
  assert.match(complete.stdout, /done: release\/1\.5 holds every change of the hotfix \([0-9a-f]{7} by patch-id, [0-9a-f]{7} by patch-id\)/);

  const rc2 = '1.5.0-rc.2';
  await pushImage(registry.host, { name: 'team/shop-api', tag: rc2, labels: { [REVISION]: git(clone, 'rev-parse', 'HEAD') } });
  const passed = await runCliAsync(checkArgs(a, cluster, `${a.s.image}:${rc2}`), { cwd: a.s.root });
  assert.is(passed.code, 0, passed.stderr);
  assert.is(passed.stdout, `${a.s.image}:${rc2} contains every hotfix production runs (${hotfix.changes.map((c) => c.sha.slice(0, 7)).join(', ')})\n`);
  const json = await runCliAsync([...checkArgs(a, cluster, `${a.s.image}:${rcTag}`), '--format', 'json'], { cwd: a.s.root });
  assert.is(json.code, 2);
  const doc = JSON.parse(json.stdout) as { release: { commit: string }; diagnostics: Array<{ code: string }>; running: { contained: boolean } };
  assert.is(doc.release.commit, a.s.releaseGuard);
  assert.equal(doc.diagnostics.map((d) => d.code), ['HF380']);
});

test('a squash of the hotfix branch into release/1.5 counts: apply completes, by squash; check release of mainline builds from before and after the fixes', async () => {
  const a = await appliedHotfix(3);
  assert.is(a.first.code, 4, a.first.stderr);
  const clone = personClone(a.s);
  withoutGuard(a, clone);
  git(clone, 'merge', '--quiet', '--squash', `origin/${a.hotfixBranch}`);
  git(clone, 'commit', '--quiet', '-m', `Squashed merge of ${a.hotfixBranch}`);
  git(clone, 'push', '--quiet', 'origin', RELEASE_BRANCH);
  const complete = await a.apply();
  assert.is(complete.code, 0, complete.stderr);
  assert.match(complete.stdout, /done: release\/1\.5 holds every change of the hotfix \([0-9a-f]{7} by squash, [0-9a-f]{7} by squash\)/);

  // Mainline builds, tagged the way CI tags them: one from before the fixes landed on main would take them away.
  const cluster = clusterRunsHotfix(a);
  const build = async (commit: string) => {
    const tag = `main-${commit.slice(0, 7)}`;
    await pushImage(registry.host, { name: 'team/shop-api', tag, labels: { [REVISION]: commit } });
    return runCliAsync(checkArgs(a, cluster, `${a.s.image}:${tag}`), { cwd: a.s.root });
  };
  const old = await build(a.s.releaseFork);
  assert.is(old.code, 2, old.stderr);
  assert.match(old.stderr, /lacks 2 hotfix changes that production runs.*\[HF380\]/);
  const current = await build(a.s.mainHead);
  assert.is(current.code, 0, current.stderr);
  assert.match(current.stdout, /contains every hotfix production runs/);
});

test.run();
