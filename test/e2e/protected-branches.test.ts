import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppScenario } from '../../fixtures/app-scenario.js';
import { mergePullRequest, protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { buildReleaseBranchScenario, RELEASE_BRANCH } from '../../fixtures/release-branch-scenario.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { gitOut, refs } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

// Branches protected as GitHub protects them: a pre-receive hook in the bare remotes refuses
// pushes to main (and dev) with GitHub's GH006 words. With git.via push, apply's refused push
// says the truth (HF408); with git.via pull-request the deploy and the merge-backs go to
// branches of their own, and the hotfix is done once people merge the pull requests.

const registry = registryForFile(test);

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;
const planOf = (g: GatedHotfix) => JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
const pullRequests = (plan: Plan) => plan.actions.filter((a): a is PullRequest => a.kind === 'open-pull-request');
const commitOf = (plan: Plan, id: string) => (plan.actions.find((a) => a.id === id) as { commit: string }).commit;
const remoteRef = (remote: string, ref: string) => spawnSync('git', ['rev-parse', '--verify', '--quiet', ref], { cwd: remote, encoding: 'utf8', env: isolatedGitEnv() }).stdout.trim();

test('HF408 says the truth: the refused ref and the remote\'s own words, where the deploy commit is kept, and a command that finishes the job', async () => {
  const g = await gatedHotfix(registry.host, 41, (s) => protectBranches(s.configRemote, ['main']));
  const { s } = g;
  await g.meetGate();
  const deploy = commitOf(planOf(g), 'deploy-hotfix');
  const remoteBefore = refs(s.configRemote);
  const refused = await runCliAsync(g.args, { cwd: s.root });
  assert.is(refused.code, 1, refused.stderr);
  assert.not.ok(hasStackTrace(refused.stderr), refused.stderr);
  const line = refused.stderr.split('\n').find((l) => l.includes('[HF408]'))!;
  assert.ok(line, refused.stderr);
  assert.match(line, /push to origin was rejected: refs\/heads\/main \[remote rejected\] \(pre-receive hook declined\)\./);
  assert.ok(line.includes('The remote said: "error: GH006: Protected branch update failed for refs/heads/main." "error: Changes must be made through a pull request."'), line);
  // main is checked out in the config clone, so apply made the commit without moving it: a ref of its own keeps it.
  const kept = `refs/hotfix/kept/${deploy}`;
  assert.ok(line.includes(`${deploy.slice(0, 12)} (for refs/heads/main) at ${kept}`), line);
  assert.is(gitOut(s.configRepo, ['rev-parse', kept]).trim(), deploy);
  assert.is(refs(s.configRemote), remoteBefore, 'the remote has nothing of the refused push');
  assert.match(line, /or, where main takes changes only by pull request, set git\.via: pull-request in the policy/);

  // An admin lets the push through (protection lifted); the printed command, pasted, finishes it.
  const command = /To finish, once the remote accepts it: (.*), then run hotfix apply again on the same plan/.exec(line)![1]!;
  spawnSync('rm', [`${s.configRemote}/hooks/pre-receive`]);
  const pushed = spawnSync('sh', ['-c', command], { encoding: 'utf8', env: isolatedGitEnv() });
  assert.is(pushed.status, 0, pushed.stderr);
  assert.is(remoteRef(s.configRemote, 'refs/heads/main'), deploy);
  const rerun = await runCliAsync(g.args, { cwd: s.root });
  assert.is(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stdout, /Apply complete/);
});

/** git flow's production line, cut where 1.4.0 was released: it lacks the fix main has, and takes the hotfix cleanly. */
const PRODUCTION_LINE = 'release/1.4';

/**
 * The policy sends the deploy and the merge-backs by pull request, merging the hotfix into
 * the production line first (hotfix.release); main, dev and the production line of the app's
 * remote and main of the config's are protected.
 */
async function reviewed(s: AppScenario): Promise<void> {
  gitOut(s.appRepo, ['branch', PRODUCTION_LINE, s.deployed.commit]);
  gitOut(s.appRepo, ['push', '--quiet', 'origin', PRODUCTION_LINE]);
  const policy = readFileSync(s.policyFile, 'utf8');
  writeFileSync(s.policyFile, policy.replace('    mergeBack: [main, dev]\n', `    release: ${PRODUCTION_LINE}\n    mergeBack: [main, dev]\n`));
  await withGitSettings(s.policyFile, { via: 'pull-request' });
  await protectBranches(s.configRemote, ['main']);
  await protectBranches(s.appRemote, ['main', 'dev', PRODUCTION_LINE]);
}

test('git.via pull-request: apply pushes exactly the new branches, lists the pull requests, and is done (exit 0) only once the merge-back pull requests are merged', async () => {
  const g = await gatedHotfix(registry.host, 42, reviewed);
  const { s } = g;
  const plan = planOf(g);
  const hotfixBranch = (plan.actions[0] as { branch: string }).branch;
  const date = hotfixBranch.split('/')[1]!.split('-')[0]!;
  const stem = `hotfix/${date}-${s.deployed.commit.slice(0, 7)}`;
  assert.equal(
    pullRequests(plan).map((pr) => [pr.repo, pr.head, pr.base]),
    [
      ['deploy', `${stem}-deploy-production`, 'main'],
      ['app', `${stem}-merge-${PRODUCTION_LINE}`, PRODUCTION_LINE],
      ['app', `${stem}-merge-main`, 'main'],
      ['app', `${stem}-merge-dev`, 'dev'],
    ],
  );
  const deploy = plan.actions.find((a) => a.id === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;
  assert.is(deploy.branch, `${stem}-deploy-production`);
  assert.is(pullRequests(plan)[0]!.title, deploy.message.split('\n')[0]);
  for (const pr of pullRequests(plan))
    assert.ok(plan.preconditions.some((p) => p.kind === 'remote-ref' && p.repo === pr.repo && p.ref === `refs/heads/${pr.head}` && p.sha === null), `${pr.head} must be absent on the remote`);
  assert.ok(plan.notes.some((n) => n.includes(`production is deployed once the pull request ${stem}-deploy-production → main is merged, not when apply ends`)), plan.notes.join('\n'));

  for (const format of ['text', 'markdown']) {
    const shown = await runCliAsync(['show', '--format', format, g.planFile], { cwd: s.root });
    assert.is(shown.code, 0, shown.stderr);
    assert.ok(shown.stdout.includes(`open a pull request ${stem}-merge-dev → dev`), shown.stdout);
    assert.ok(shown.stdout.includes(`Merging this deploys the hotfix image ${plan.target.image} to production`), shown.stdout);
    assert.ok(shown.stdout.includes(`refs/heads/${stem}-deploy-production on ${s.configRemote} does not exist`), shown.stdout);
  }

  const before = { app: refs(s.appRemote), deploy: refs(s.configRemote) };
  await g.meetGate();
  const first = await runCliAsync(g.args, { cwd: s.root });
  assert.is(first.code, 4, first.stderr + first.stdout);
  assert.not.ok(hasStackTrace(first.stderr), first.stderr);
  const listed = first.stdout.slice(first.stdout.indexOf('Open these pull requests (apply opens and merges none):\n')).split('\n').slice(1, 5);
  assert.equal(listed, [
    `  deploy: ${stem}-deploy-production → main  "${deploy.message.split('\n')[0]}" (merging it deploys ${plan.target.image} to production)`,
    `  app: ${stem}-merge-${PRODUCTION_LINE} → ${PRODUCTION_LINE}  "Merge branch '${hotfixBranch}' into ${PRODUCTION_LINE}" (merging it merges the hotfix back into ${PRODUCTION_LINE})`,
    `  app: ${stem}-merge-main → main  "Merge branch '${hotfixBranch}' into main" (merging it merges the hotfix back into main)`,
    `  app: ${stem}-merge-dev → dev  "Merge branch '${hotfixBranch}' into dev" (merging it merges the hotfix back into dev)`,
  ]);
  // main and dev have the commit the fix was picked from; the production line has nothing of it until its pull request is merged.
  assert.match(first.stdout, /done: main holds every change of the hotfix \([0-9a-f]{7} by origin\)\ndone: dev holds/);
  assert.ok(first.stdout.includes(`left to you: merge the pull request ${stem}-merge-${PRODUCTION_LINE} → ${PRODUCTION_LINE} (app)\n`), first.stdout);
  assert.match(first.stdout, /Apply incomplete: release\/1\.4 does not hold the hotfix yet/);
  assert.ok(first.stderr.includes(`merge-back into ${PRODUCTION_LINE} is the pull request ${stem}-merge-${PRODUCTION_LINE} → ${PRODUCTION_LINE}, and ${PRODUCTION_LINE} (${s.deployed.commit.slice(0, 7)}) does not hold `), first.stderr);
  assert.match(first.stderr, new RegExp(`"${s.fixes[0]!.subject.replace(/[.]/g, '\\.')}" yet: open and merge it .*\\[HF430\\]`));

  // Exactly the planned new branches (and the hotfix's tag) reached the remotes; main and dev did not move.
  const added = (remote: string, was: string) => refs(remote).split('\n').filter((l) => l !== '' && !was.split('\n').includes(l));
  assert.equal(added(s.configRemote, before.deploy), [`refs/heads/${stem}-deploy-production ${deploy.commit}`]);
  const merges = [PRODUCTION_LINE, 'main', 'dev'].map((b) => commitOf(plan, `merge-${b}`));
  const hotfixHead = plan.actions.filter((a) => a.kind === 'cherry-pick').map((a) => (a as { commit: string }).commit).pop()!;
  const tag = (plan.actions.find((a) => a.kind === 'tag') as { tag: string; object: string });
  assert.equal(added(s.appRemote, before.app).sort(), [`refs/heads/${hotfixBranch} ${hotfixHead}`, `refs/heads/${stem}-merge-${PRODUCTION_LINE} ${merges[0]}`, `refs/heads/${stem}-merge-main ${merges[1]}`, `refs/heads/${stem}-merge-dev ${merges[2]}`, `refs/tags/${tag.tag} ${tag.object}`].sort());

  // People merge the pull requests on the forge, which deletes their branches; until the production line's is merged, still 4.
  const [deployPr, linePr, mainPr] = pullRequests(plan);
  await mergePullRequest(s.configRemote, { number: 7, head: deployPr!.head, base: 'main', title: deployPr!.title });
  await mergePullRequest(s.appRemote, { number: 8, head: mainPr!.head, base: 'main', title: mainPr!.title });
  const half = await runCliAsync(g.args, { cwd: s.root });
  assert.is(half.code, 4, half.stderr);
  assert.match(half.stderr, /\[HF430\]/);
  await mergePullRequest(s.appRemote, { number: 9, head: linePr!.head, base: PRODUCTION_LINE, title: linePr!.title });
  const done = await runCliAsync(g.args, { cwd: s.root });
  assert.is(done.code, 0, done.stderr);
  assert.ok(done.stdout.includes(`done: ${PRODUCTION_LINE} holds every change of the hotfix (${hotfixHead.slice(0, 7)} by merge)`), done.stdout);
  assert.match(done.stdout, /Nothing to do: this plan was applied completely before/);
});

test('git.via pull-request refuses what cannot be reviewed: a branch for review already on the remote (HF364), no push (HF365), one that appears before apply (HF404, nothing written)', async () => {
  const planArgs = (g: GatedHotfix) => {
    const args = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
    return ['plan', 'hotfix', '--policy', g.s.policyFile, '--env', 'production', '--repo', `app=${g.s.appRepo}`, '--repo', `deploy=${g.s.configRepo}`, '--cluster-state', g.s.clusterStateFile, '--reason', 'payment', '--pick', args.request.kind === 'hotfix' ? args.request.picks[0]! : '', '--out', g.planFile];
  };
  const g = await gatedHotfix(registry.host, 43, (s) => withGitSettings(s.policyFile, { via: 'pull-request', deployBranch: 'hotfix/{sha7}-deploy-{env}' }));
  const { s } = g;
  const branch = `hotfix/${s.deployed.commit.slice(0, 7)}-deploy-production`;
  const appBefore = refs(s.appRepo);
  // Someone pushes a branch of that name between plan and apply: apply refuses before writing.
  gitOut(s.configRepo, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`]);
  await g.meetGate();
  const late = await runCliAsync(g.args, { cwd: s.root });
  assert.is(late.code, 1);
  assert.ok(late.stderr.includes(`deploy: refs/heads/${branch} exists on ${s.configRemote} now (at `), late.stderr);
  assert.match(late.stderr, /\[HF404\]/);
  assert.is(refs(s.appRepo), appBefore, 'nothing was written');

  const again = await runCliAsync(planArgs(g), { cwd: s.root });
  assert.is(again.code, 1);
  // Not a commit of this hotfix: main's head, pushed under that name.
  assert.ok(again.stderr.includes(`the branch for review ${branch} (git.deployBranch "hotfix/{sha7}-deploy-{env}", for main) exists in deploy on origin (${s.configRemote}) already and does not hold the commit this plan pushes there: its tip `), again.stderr);
  assert.match(again.stderr, /\[HF364\]/);

  await withGitSettings(s.policyFile, { push: false });
  const unpushed = await runCliAsync(planArgs(g), { cwd: s.root });
  assert.is(unpushed.code, 1);
  assert.match(unpushed.stderr, /the policy does not push \(git\.push is false\); set git\.push: true\s+\[HF365\]/, unpushed.stderr);
});

test('a merge-back that conflicts, by pull request: the printed commands push the resolved merge to its own branch, which the protected remote takes; done once its pull request is merged', async () => {
  const s = await buildReleaseBranchScenario(tempDir(), registry.host, 44);
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit } });
  await withGitSettings(s.policyFile, { via: 'pull-request' });
  await protectBranches(s.appRemote, ['main', 'dev', RELEASE_BRANCH]);
  await protectBranches(s.configRemote, ['main']);
  const file = join(s.root, 'plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', ...s.fixes.flatMap((f) => ['--pick', f.commit]), '--out', file], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const hotfixBranch = (plan.actions[0] as { branch: string }).branch;
  const review = `${hotfixBranch}-merge-${RELEASE_BRANCH}`;
  const manual = plan.actions.find((a) => a.kind === 'manual') as Extract<Action, { kind: 'manual' }>;
  assert.equal(manual.commands, ["git fetch 'origin'", `git switch --create '${review}' 'origin/${RELEASE_BRANCH}'`, `git merge --no-ff --no-commit 'origin/${hotfixBranch}'`, 'git commit --no-edit', `git push 'origin' 'refs/heads/${review}'`]);
  assert.ok(manual.title.includes(`then open a pull request from ${review} into ${RELEASE_BRANCH}`), manual.title);

  const head = plan.actions.filter((a) => a.kind === 'cherry-pick').map((a) => (a as { commit: string }).commit).pop()!;
  await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { [REVISION]: head } });
  const apply = () => runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', file], { cwd: s.root });
  const first = await apply();
  assert.is(first.code, 4, first.stderr);
  assert.ok(first.stdout.includes(`left to you: merge the hotfix into ${RELEASE_BRANCH}:\n    ${manual.commands.join(' && ')}\n`), first.stdout);

  // The person pastes the commands in a clone: they stop at the conflict; resolved, the rest pushes the review branch.
  const clone = join(tempDir(), 'app');
  gitOut(s.root, ['clone', '--quiet', s.appRemote, clone]);
  const person = { ...isolatedGitEnv(), GIT_AUTHOR_NAME: 'Pat Person', GIT_AUTHOR_EMAIL: 'pat@example.com', GIT_COMMITTER_NAME: 'Pat Person', GIT_COMMITTER_EMAIL: 'pat@example.com' };
  const sh = (line: string) => spawnSync('sh', ['-c', line], { cwd: clone, encoding: 'utf8', env: person });
  const commands = manual.commands.join(' && ');
  assert.is(sh(commands).status, 1, 'the merge stops at the conflict');
  const released = gitOut(clone, ['show', `origin/${RELEASE_BRANCH}:src/payment.js`]);
  writeFileSync(join(clone, 'src/payment.js'), released.replace('Math.floor(order.totalCents', 'Math.round(order.totalCents'));
  gitOut(clone, ['add', 'src/payment.js']);
  const releaseBefore = remoteRef(s.appRemote, `refs/heads/${RELEASE_BRANCH}`);
  const rest = sh(commands.slice(commands.indexOf('git commit')));
  assert.is(rest.status, 0, rest.stderr);
  assert.is(remoteRef(s.appRemote, `refs/heads/${RELEASE_BRANCH}`), releaseBefore, 'the protected branch did not move');
  assert.ok(remoteRef(s.appRemote, `refs/heads/${review}`), 'the review branch is on the remote');
  assert.is((await apply()).code, 4, 'not merged yet');

  await mergePullRequest(s.appRemote, { number: 11, head: review, base: RELEASE_BRANCH, title: `Merge branch '${hotfixBranch}' into ${RELEASE_BRANCH}` });
  const done = await apply();
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /done: release\/1\.5 holds every change of the hotfix \([0-9a-f]{7} by merge, [0-9a-f]{7} by merge\)/);
});

test.run();
