import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../fixtures/git.js';
import { mergePullRequest, protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { addRunbook, checkout, deployCommit, planIn, teammatePushes, withRegistry } from '../helpers/ci-runner-jobs.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §1 in CI as GitHub Actions and GitLab CI run it: the plan job and the apply job
// each start from their own checkout of the remote (actions/checkout, GitLab's fetch), so
// the apply job's clone is made after whatever teammates pushed while the plan was
// reviewed and the hotfix image built. It holds the config branch (prd) and the merge-back
// branch (main) only as origin/*, at their new heads, and never had the plan's.

const registry = registryForFile(test);
const { scenario, applyIn } = withRegistry(registry);

test('the apply job clones after teammates pushed to prd and main: it makes the deploy commit and the merge-back again on their new heads', async () => {
  const s = await scenario(21);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  const deployed = deployCommit(plan);
  const merge = plan.actions.find((a) => a.kind === 'merge') as Extract<Action, { kind: 'merge' }>;

  const prdNow = await addRunbook(s);
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

/** A job's depth-1 checkout, as CI makes by default: through file:// so that --depth is honoured, then origin is the URL the plan pushes to, as a CI checkout's would be. */
async function shallowCheckout(s: Parameters<typeof checkout>[0], job: string) {
  const checkedOut = await checkout({ ...s, configRemote: `file://${s.configRemote}`, appRemote: `file://${s.appRemote}` }, job, ['--depth', '1', '--no-single-branch']);
  await git(checkedOut.config, ['remote', 'set-url', 'origin', s.configRemote]);
  await git(checkedOut.app, ['remote', 'set-url', 'origin', s.appRemote]);
  return checkedOut;
}

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
  await addRunbook(s, 'add-runbook');
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

test('the apply job checks out shallow (depth 1, as CI does by default) after prd moved: refused in one line saying to fetch the whole history, nothing written', async () => {
  const s = await scenario(25);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const prdNow = await addRunbook(s);
  const applyJob = await shallowCheckout(s, 'apply-job');
  const before = await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs));
  const refused = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  assert.not.ok(hasStackTrace(refused.stderr), refused.stderr);
  const lines = refused.stderr.trim().split('\n');
  assert.is(lines.length, 1, refused.stderr);
  assert.match(lines[0]!, new RegExp(`^error  deploy: prd, planned at ${deployCommit(r.plan!).parent.slice(0, 7)}, moved to ${prdNow.slice(0, 7)}, and .* is a shallow clone, .*git fetch --unshallow; in GitHub Actions actions/checkout with fetch-depth: 0, in GitLab CI GIT_DEPTH: 0\\) and run apply again  \\[HF391\\]$`));
  assert.equal(await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs)), before, 'no ref moved anywhere');
});

test('the apply job checks out shallow and nothing moved: the commits the plan read its files from are cut off, refused in one line saying to fetch the whole history, nothing written', async () => {
  const s = await scenario(26);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const applyJob = await shallowCheckout(s, 'apply-job');
  const before = await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs));
  const refused = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  const lines = refused.stderr.trim().split('\n');
  // The baseline (nop's config of the running version's time) is an old commit a depth-1 clone does not hold.
  const baseline = r.plan!.preconditions.find((p) => p.kind === 'blob' && p.commit !== deployCommit(r.plan!).parent) as { commit: string };
  assert.is(lines.length, 1, refused.stderr);
  assert.match(lines[0]!, new RegExp(`^error  deploy: .* is a shallow clone without ${baseline.commit.slice(0, 7)}, the commit the plan read .* from, .*git fetch --unshallow; in GitHub Actions actions/checkout with fetch-depth: 0, in GitLab CI GIT_DEPTH: 0\\) and run apply again  \\[HF392\\]$`));
  assert.equal(await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs)), before, 'no ref moved anywhere');
  // Once the history is fetched, the same plan applies.
  await git(applyJob.config, ['fetch', '--quiet', '--unshallow', `file://${s.configRemote}`]);
  await git(applyJob.app, ['fetch', '--quiet', '--unshallow', `file://${s.appRemote}`]);
  const applied = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployCommit(r.plan!).commit);
});

test('both jobs check out prd itself (actions/checkout ref: prd): the apply job\'s checked-out prd is past the plan\'s, and apply makes the deploy again on it, moving only the remote', async () => {
  const s = await scenario(26);
  const planJob = await checkout(s, 'plan-job', [], 'prd');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const deployed = deployCommit(r.plan!);
  assert.ok(r.plan!.preconditions.some((p) => p.kind === 'ref' && p.ref === 'refs/heads/prd' && p.sha === s.prd.head), 'prd is checked as the local branch');
  const prdNow = await addRunbook(s);
  const applyJob = await checkout(s, 'apply-job', [], 'prd');
  const applied = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  const prd = (await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim();
  assert.match(applied.stdout, new RegExp(`re-derived: prd moved to ${prdNow.slice(0, 7)} since the plan, so deploy-hotfix is ${prd.slice(0, 7)} on it instead of ${deployed.commit.slice(0, 7)}`));
  assert.is(await git(s.configRemote, ['-c', 'core.abbrev=7', 'diff', prdNow, prd]), deployed.changes.map((c) => c.diff).join(''));
  assert.match(applied.stdout, /note: prd is checked out in .*, so only the remote moves/);
  assert.is((await git(applyJob.config, ['rev-parse', 'refs/heads/prd'])).trim(), prdNow, 'the checked-out branch is left to git pull');
});

test('the plan job checked out prd, the apply job the default branch (prd only as origin/prd): refused naming the command that makes the local branch; made, the plan applies', async () => {
  const s = await scenario(28);
  const planJob = await checkout(s, 'plan-job', [], 'prd');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const applyJob = await checkout(s, 'apply-job');
  const before = await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs));
  const refused = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  const line = refused.stderr.split('\n').find((l) => l.includes('refs/heads/prd')) ?? '';
  assert.ok(line.includes(`deploy: refs/heads/prd moved from ${s.prd.head.slice(0, 7)} to (deleted): this clone has prd only as origin/prd (at ${s.prd.head.slice(0, 7)}, where the plan found it). Make the local branch there and run apply again (git branch 'prd' 'origin/prd')`), refused.stderr);
  assert.match(line, /\[HF404\]$/);
  assert.equal(await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs)), before, 'no ref moved anywhere');
  // The command as printed, run by the shell in the job's config checkout.
  const made = spawnSync('sh', ['-c', /\((git branch [^)]*)\)/.exec(line)![1]!], { cwd: applyJob.config, encoding: 'utf8' });
  assert.is(made.status, 0, made.stderr);
  const applied = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployCommit(r.plan!).commit);
});

test('the apply job clones after a teammate rewrote on main the lines the fix changes: refused (HF417) before production is deployed, naming the commit and the file; the printed re-plan deploys and leaves the merge-back to a person', async () => {
  const s = await scenario(27);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const merge = r.plan!.actions.find((a) => a.kind === 'merge') as Extract<Action, { kind: 'merge' }>;
  const fix = s.fixes[0]!;
  const file = fix.files[0]!;
  // The lines the fix added, each changed again on main: merging the hotfix back conflicts there.
  const added = (await git(s.appRemote, ['diff', `${fix.commit}^`, fix.commit, '--', file])).split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++')).map((l) => l.slice(1)).filter((l) => l.trim() !== '');
  assert.ok(added.length > 0, `the fix adds lines to ${file}`);
  const rewrite = await teammatePushes(s, s.appRemote, 'main', file, (text) => text.split('\n').map((l) => (added.includes(l) ? `${l} // reviewed`.trimStart() : l)).join('\n'), `Tidy ${file}`);
  const applyJob = await checkout(s, 'apply-job');
  const before = await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs));
  const refused = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  assert.not.ok(hasStackTrace(refused.stderr), refused.stderr);
  const line = refused.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`app: main, planned at ${merge.parents[0].slice(0, 7)}, moved to ${rewrite.slice(0, 7)} by ${rewrite.slice(0, 7)} "Tidy ${file}"`), refused.stderr);
  assert.ok(line.includes(`merging ${merge.from} there conflicts in ${file}`), line);
  assert.ok(line.includes('Nothing was written.'), line);
  // Found by the rehearsal, before the first write: production is not deployed, main is the
  // teammate's, no hotfix branch nor tag was made or pushed, no ref moved anywhere.
  assert.not.match(refused.stdout, /^done: /m, refused.stdout);
  assert.equal(await Promise.all([s.configRemote, s.appRemote, applyJob.config, applyJob.app].map(allRefs)), before, 'no ref moved anywhere');
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployCommit(r.plan!).parent);
  assert.is((await git(s.appRemote, ['rev-parse', 'refs/heads/main'])).trim(), rewrite);
  const tag = r.plan!.actions.find((a) => a.kind === 'tag') as Extract<Action, { kind: 'tag' }>;
  assert.is(await git(s.appRemote, ['for-each-ref', 'refs/heads/hotfix', `refs/tags/${tag.tag}`]), '');

  // The command HF417 prints, run as printed (the shell splits it) in a new job's checkout: it
  // plans the hotfix from today's heads, the deploy, and the merge-back left to a person since
  // it conflicts (HF335).
  const command = /review it and apply it: hotfix (.*?)  \[HF417\]/.exec(line)?.[1];
  assert.ok(command, line);
  const words = spawnSync('sh', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' }).stdout.split('\0').slice(0, -1);
  const replanJob = await checkout(s, 'replan-job');
  writeFileSync(join(replanJob.root, 'policy.yaml'), readFileSync(s.policyFile));
  const again = await runCliAsync(words, { cwd: replanJob.root });
  assert.is(again.code, 0, again.stdout + again.stderr);
  const planFile = join(replanJob.root, 'plan.json');
  const left = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  assert.ok(left.actions.some((a) => a.kind === 'commit' && a.purpose === 'deploy-hotfix'), left.actions.map((a) => a.id).join(', '));
  assert.not.ok(left.actions.some((a) => a.kind === 'merge' && a.into === 'main'), left.actions.map((a) => a.id).join(', '));
  assert.ok(left.actions.some((a) => a.kind === 'manual' && a.id.includes('main')), left.actions.map((a) => a.id).join(', '));
  assert.ok(left.diagnostics.some((d) => d.code === 'HF335'), JSON.stringify(left.diagnostics));

  // That plan applied in the same job: production deployed, the merge-back left to a person
  // with its commands. main holds the fix already (the commit the hotfix picked is on it), so
  // nothing regresses and apply completes.
  const applied = await applyIn(s, replanJob, left, planFile);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.not.ok(hasStackTrace(applied.stderr), applied.stderr);
  assert.match(applied.stdout, new RegExp(`next: merge hotfix/\\S+ into main \\(the merge stops at conflicts in ${file.replace(/[.]/g, '\\.')}`));
  assert.match(applied.stdout, /done: main holds every change of the hotfix/);
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployCommit(left).commit);
  assert.is((await git(s.appRemote, ['rev-parse', 'refs/heads/main'])).trim(), rewrite, 'main is left to the person');
});

test('the apply job clones after a teammate changed another file on main: the rehearsal finds the merge-back clean there, apply deploys and makes the merge-back again on the new head', async () => {
  const s = await scenario(28);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const merge = r.plan!.actions.find((a) => a.kind === 'merge') as Extract<Action, { kind: 'merge' }>;
  const mainNow = await teammatePushes(s, s.appRemote, 'main', 'ONCALL.md', () => 'Escalate billing incidents to the payments lead.\n', 'Document the billing escalation');
  const applyJob = await checkout(s, 'apply-job');
  const applied = await applyIn(s, applyJob, r.plan!, r.file);
  assert.is(applied.code, 0, applied.stdout + applied.stderr);
  assert.not.ok(hasStackTrace(applied.stderr), applied.stderr);
  const main = (await git(s.appRemote, ['rev-parse', 'refs/heads/main'])).trim();
  assert.match(applied.stdout, new RegExp(`re-derived: main moved to ${mainNow.slice(0, 7)} since the plan, so merge-main is ${main.slice(0, 7)} on it instead of ${merge.commit.slice(0, 7)}`));
  assert.equal((await git(s.appRemote, ['rev-list', '--parents', '-n', '1', main])).trim().split(' ').slice(1), [mainNow, merge.parents[1]]);
  // The merge brings in exactly the planned hotfix commits, and the teammate's file is kept.
  assert.is(await git(s.appRemote, ['rev-list', `${mainNow}..${main}^2`]), await git(s.appRemote, ['rev-list', `${merge.parents[0]}..${merge.parents[1]}`]));
  assert.is(await git(s.appRemote, ['show', `${main}:ONCALL.md`]), 'Escalate billing incidents to the payments lead.\n');
  assert.is((await git(s.configRemote, ['rev-parse', 'refs/heads/prd'])).trim(), deployCommit(r.plan!).commit);
});

test('show, text and markdown, says why a branch the remote has is created: this clone has it only at origin/<branch>', async () => {
  const s = await scenario(24);
  const planJob = await checkout(s, 'plan-job');
  const r = await planIn(s, planJob);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  const from = (id: string) => (plan.actions.find((a) => a.id === id) as Extract<Action, { kind: 'create-branch' }>).from.slice(0, 7);
  const text = await runCliAsync(['show', 'plan.json'], { cwd: planJob.root, env: { NO_COLOR: '1' } });
  assert.is(text.code, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.ok(lines.includes(`  # [config-branch-local] deploy: branch prd will be created from ${from('config-branch-local')} (this clone has prd only at origin/prd)`), text.stdout);
  assert.ok(lines.includes(`  # [merge-main-local] app: branch main will be created from ${from('merge-main-local')} (this clone has main only at origin/main)`), text.stdout);
  // The hotfix branch is new: no such note.
  const hotfixBranch = lines.find((l) => l.startsWith('  # [create-branch] ')) ?? '';
  assert.match(hotfixBranch, /will be created from [0-9a-f]{7}$/);

  const markdown = await runCliAsync(['show', '--format', 'markdown', 'plan.json'], { cwd: planJob.root });
  assert.is(markdown.code, 0, markdown.stderr);
  assert.ok(markdown.stdout.includes(`\`[config-branch-local] deploy: branch prd will be created from ${from('config-branch-local')} (this clone has prd only at origin/prd)\``), markdown.stdout);
  assert.ok(markdown.stdout.includes(`\`[merge-main-local] app: branch main will be created from ${from('merge-main-local')} (this clone has main only at origin/main)\``), markdown.stdout);
});

test.run();
