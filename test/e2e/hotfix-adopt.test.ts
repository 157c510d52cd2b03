import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppScenario } from '../../fixtures/app-scenario.js';
import { fluxBumpsWorker, teammateReleases } from '../../fixtures/moved-branch-commits.js';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan, PlanBody } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { gitOut, refs } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

// An incident: apply made the hotfix branch and tag and waits at the gate while CI builds;
// meanwhile someone commits to the config branch on the line the deploy patches, so the plan
// no longer applies (HF417; a change elsewhere apply makes again, hotfix-moved-branches). The
// re-plan adopts what the first apply made, when it is the same hotfix, and says so.

let registry: TestRegistry;
test.before(async () => {
  registry = await startTestRegistry();
});
test.after(async () => {
  await registry.stop();
});

async function replan(s: AppScenario, picks: readonly string[], extra: string[] = []): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCliAsync(
    ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', ...picks.flatMap((p) => ['--pick', p]), '--out', file, ...extra],
    { cwd: s.root },
  );
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

const branchOf = (plan: Plan) => (plan.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
const tagOf = (plan: Plan) => (plan.actions.find((a) => a.kind === 'tag') as { tag: string }).tag;

/** The first apply, stopped at the gate: the branch, the tag and their push are done. */
async function interrupted(seed: number) {
  const g = await gatedHotfix(registry.host, seed);
  const first = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const stopped = await runCliAsync(g.args, { cwd: g.s.root });
  assert.is(stopped.code, 3, stopped.stderr);
  const branch = branchOf(first);
  const tag = tagOf(first);
  const tip = gitOut(g.s.appRepo, ['rev-parse', `refs/heads/${branch}`]).trim();
  return { ...g, first, branch, tag, tip };
}

test('re-planned after a bot moved the config branch: the branch and tag the stopped apply made are adopted, and the new plan finishes the hotfix', async () => {
  const { s, first, args, branch, tag, tip } = await interrupted(31);
  // A teammate releases another build on the line the deploy patches: the plan cannot be made again there.
  await teammateReleases(s.configRepo, 'overlays/production/kustomization.yaml', 'main-0c0ffee');
  const stale = await runCliAsync(args, { cwd: s.root });
  assert.is(stale.code, 1);
  assert.match(stale.stderr, /HF417/);

  const again = await replan(s, [s.fixes[0]!.commit]);
  assert.is(again.code, 0, again.stderr);
  const plan = again.plan!;
  const kinds = plan.actions.map((a) => a.kind);
  assert.not.ok(kinds.includes('create-branch'), 'the branch is not made again');
  assert.not.ok(kinds.includes('cherry-pick'), 'the pick is not made again');
  assert.not.ok(kinds.includes('tag'), 'the tag is not made again');
  assert.equal(plan.preconditions.filter((p) => p.kind === 'ref' && p.repo === 'app' && (p.ref === `refs/heads/${branch}` || p.ref === `refs/tags/${tag}`)), [
    { kind: 'ref', repo: 'app', ref: `refs/heads/${branch}`, sha: tip },
    { kind: 'ref', repo: 'app', ref: `refs/tags/${tag}`, sha: gitOut(s.appRepo, ['rev-parse', `refs/tags/${tag}`]).trim() },
  ]);
  const gate = plan.actions.find((a) => a.kind === 'gate') as { revision: string };
  assert.is(gate.revision, tip);
  const merge = plan.actions.find((a) => a.kind === 'merge') as { parents: readonly string[] };
  assert.is(merge.parents[1], tip);
  assert.is(plan.target.image, first.target.image, 'the same hotfix image: CI builds it from the same tip');
  const note = new RegExp(`Adopts ${branch.replace(/\//g, '\\/')} at ${tip.slice(0, 7)} and its tag ${tag}, made before .*starts at the deployed commit ${s.deployed.commit.slice(0, 7)} and carries exactly the picks, compared by git patch-id --stable \\(${s.fixes[0]!.commit.slice(0, 7)} as ${tip.slice(0, 7)}\\)`);
  assert.ok(plan.notes.some((n) => note.test(n)), plan.notes.join('\n'));
  assert.match(again.stdout, note);
  const markdown = await runCliAsync(['show', '--format', 'markdown', again.file], { cwd: s.root });
  assert.is(markdown.code, 0, markdown.stderr);
  assert.match(markdown.stdout, note);

  await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { [REVISION]: tip } });
  const applied = await runCliAsync([...args.slice(0, -1), again.file], { cwd: s.root });
  assert.is(applied.code, 0, applied.stderr);
  assert.is(gitOut(s.appRemote, ['rev-parse', `refs/heads/${branch}`]).trim(), tip);
  assert.is(gitOut(s.appRemote, ['rev-parse', 'refs/heads/main^2']).trim(), tip, 'main merges the adopted tip');
  assert.match(gitOut(s.configRemote, ['show', 'main:overlays/production/kustomization.yaml']), new RegExp(`newTag: ${plan.target.image.split(':').pop()}`));
  assert.is(gitOut(s.configRemote, ['log', '-1', '--format=%an', 'main~1']).trim(), 'Dana Weiss', 'the deploy sits on the teammate\'s commit');
});

/** The plan with `change` applied and its id sealed again, as an attacker who can edit the file would. */
function resealed(plan: Plan, change: (body: Record<string, unknown>) => void): Plan {
  const { id: _id, ...body } = JSON.parse(JSON.stringify(plan)) as Plan;
  change(body as unknown as Record<string, unknown>);
  return sealPlan(body as PlanBody);
}

test('an adopted plan edited and re-sealed: a tip other than the branch\'s, an unchecked branch, a moved tag are refused before any write', async () => {
  const { s, args, branch, tag, tip } = await interrupted(39);
  await fluxBumpsWorker(s.configRepo);
  const again = await replan(s, [s.fixes[0]!.commit]);
  assert.is(again.code, 0, again.stderr);
  const plan = again.plan!;
  const other = s.deployed.commit;
  const swap = (value: unknown): unknown => (value === tip ? other : Array.isArray(value) ? value.map(swap) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)])) : value);
  const attacks: Array<[string, Plan, RegExp]> = [
    // Every mention of the tip replaced (precondition, push, gate, merge parent): the merge
    // commit's id no longer fits its parents, or the branch is not where the plan says.
    ['another tip everywhere', resealed(plan, (b) => Object.assign(b, swap(b))), /\[HF4(04|15)\]/],
    ['the branch not checked', resealed(plan, (b) => (b.preconditions = (b.preconditions as Plan['preconditions']).filter((p) => !(p.kind === 'ref' && p.ref === `refs/heads/${branch}`)))), /the plan contradicts itself: .*refs\/heads\/hotfix\/.*\[HF415\]/],
    ['the tag somewhere else', resealed(plan, (b) => {
      const pre = (b.preconditions as Array<{ kind: string; ref?: string; sha?: string }>).find((p) => p.kind === 'ref' && p.ref === `refs/tags/${tag}`)!;
      const push = (b.actions as Array<{ id: string; refs?: Array<{ ref: string; sha: string }> }>).find((a) => a.id === 'push-hotfix')!.refs!.find((r) => r.ref === `refs/tags/${tag}`)!;
      pre.sha = push.sha = tip;
    }), new RegExp(`refs/tags/${tag}.*\\[HF404\\]`)],
  ];
  const before = [refs(s.appRepo), refs(s.configRepo)];
  for (const [label, attacked, refusal] of attacks) {
    const file = join(s.root, `attacked-${label.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(attacked));
    const r = await runCliAsync([...args.slice(0, -1), file], { cwd: s.root });
    assert.is(r.code, 1, `${label}: ${r.stdout}`);
    assert.match(r.stderr, refusal, `${label}: ${r.stderr}`);
  }
  assert.equal([refs(s.appRepo), refs(s.configRepo)], before, 'nothing written');
});

test('re-planned on a later day: the branch and tag named with the earlier day are found and adopted', async () => {
  const { s, branch, tag, tip } = await interrupted(32);
  // What the same apply would have left had it run on 1 December: names of that day.
  const day = '20261201';
  const earlierBranch = branch.replace(/\d{8}/, day);
  const earlierTag = tag.replace(/\d{8}/, day);
  assert.is.not(earlierBranch, branch, 'the fixture renders {date}');
  gitOut(s.appRepo, ['branch', '-m', branch, earlierBranch]);
  gitOut(s.appRepo, ['tag', '-d', tag]);
  gitOut(s.appRepo, ['-c', 'user.name=hotfix', '-c', 'user.email=hotfix@example.com', 'tag', '-a', '-m', 'Hotfix of production', earlierTag, tip]);
  const again = await replan(s, [s.fixes[0]!.commit]);
  assert.is(again.code, 0, again.stderr);
  const plan = again.plan!;
  assert.not.ok(plan.actions.some((a) => a.kind === 'create-branch' || a.kind === 'tag'));
  const push = plan.actions.find((a) => a.id === 'push-hotfix') as { refs: ReadonlyArray<{ ref: string; sha: string }> };
  assert.equal(push.refs.map((r) => r.ref), [`refs/heads/${earlierBranch}`, `refs/tags/${earlierTag}`]);
  assert.ok(plan.notes.some((n) => n.startsWith(`Adopts ${earlierBranch} at ${tip.slice(0, 7)} and its tag ${earlierTag}`)), plan.notes.join('\n'));
});

test('a branch of the hotfix\'s name with other changes is refused (HF312), saying what differs and what to run', async () => {
  const { s, branch, tag } = await interrupted(33);
  // Someone reset the branch and picked the other fix by hand.
  gitOut(s.appRepo, ['branch', '-f', branch, s.deployed.commit]);
  gitOut(s.appRepo, ['worktree', 'add', '--quiet', join(s.root, 'by-hand'), branch]);
  gitOut(join(s.root, 'by-hand'), ['-c', 'user.name=dev', '-c', 'user.email=dev@example.com', 'cherry-pick', '-x', s.fixes[1]!.commit]);
  gitOut(s.appRepo, ['worktree', 'remove', '--force', join(s.root, 'by-hand')]);
  const before = refs(s.appRepo);
  const refused = await replan(s, [s.fixes[0]!.commit]);
  assert.is(refused.code, 1);
  assert.not.ok(hasStackTrace(refused.stderr));
  assert.match(refused.stderr, new RegExp(`hotfix branch ${branch.replace(/\//g, '\\/')} already exists in app and is not this hotfix: its commit 1 after ${s.deployed.commit.slice(0, 7)}, [0-9a-f]{7} "${s.fixes[1]!.subject}", is not the change of pick 1, ${s.fixes[0]!.commit.slice(0, 7)} "${s.fixes[0]!.subject}" \\(git patch-id --stable [0-9a-f]{12}, not [0-9a-f]{12}\\)`));
  assert.match(refused.stderr, new RegExp(`compare it with git log --oneline ${s.deployed.commit.slice(0, 7)}\\.\\.'${branch}'; if an abandoned attempt made it, delete it with git branch -D '${branch}' and its tag with git tag -d '${tag}' and plan again, or, to keep it, change hotfix\\.branch\\s+\\[HF312\\]`));
  assert.is(refs(s.appRepo), before, 'planning writes nothing');
});

test('a branch of the hotfix\'s name cut from another commit is refused (HF312), naming where it forks', async () => {
  const { s, branch } = await interrupted(34);
  // Cut from the release before the deployed one, as a hand-made branch might be.
  const older = gitOut(s.appRepo, ['rev-parse', `${s.deployed.commit}~1`]).trim();
  gitOut(s.appRepo, ['branch', '-f', branch, older]);
  const refused = await replan(s, [s.fixes[0]!.commit]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`already exists in app and is not this hotfix: it forks from ${older.slice(0, 7)}, not from the deployed commit ${s.deployed.commit.slice(0, 7)}; compare it with`));
});

test('the hotfix\'s tag moved elsewhere: the branch matches, the tag does not, so HF312 names the tag and the commands', async () => {
  const { s, tag } = await interrupted(35);
  gitOut(s.appRepo, ['tag', '-f', tag, s.deployed.commit]);
  const refused = await replan(s, [s.fixes[0]!.commit]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`hotfix tag ${tag} already exists in app, but not at [0-9a-f]{7}, the tip of \\S+ with every pick, which this plan adopts; see where it points with git show --no-patch '${tag}', and if an abandoned attempt made it, delete it with git tag -d '${tag}' and plan again\\s+\\[HF312\\]`));
});

test('one pick more on the same day: the branch goes on with it, but its tag marks the one-pick hotfix, so HF312 names the tag', async () => {
  const { s, tag, tip } = await interrupted(36);
  const refused = await replan(s, [s.fixes[0]!.commit, s.fixes[1]!.commit]);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, new RegExp(`hotfix tag ${tag} already exists in app, but not at ${tip.slice(0, 7)}, the tip of \\S+ with 1 of the 2 picks, which this plan adopts; .*git tag -d '${tag}'`), refused.stderr);
  gitOut(s.appRepo, ['tag', '-d', tag]);
  // The stopped apply pushed the tag: deleted here only, it is still on origin, where a new tag object could not be pushed.
  const remote = await replan(s, [s.fixes[0]!.commit, s.fixes[1]!.commit]);
  assert.is(remote.code, 1);
  assert.match(remote.stderr, new RegExp(`hotfix tag ${tag} already exists on origin \\(not in this clone\\), but not at ${tip.slice(0, 7)}.*git push 'origin' --delete 'refs/tags/${tag}' and plan again  \\[HF312\\]`), remote.stderr);
  gitOut(s.appRepo, ['push', '--quiet', 'origin', '--delete', `refs/tags/${tag}`]);
  const extended = await replan(s, [s.fixes[0]!.commit, s.fixes[1]!.commit]);
  assert.is(extended.code, 0, extended.stderr);
  assert.equal(extended.plan!.actions.filter((a) => a.kind === 'cherry-pick').map((a) => [a.id, (a as { parent: string }).parent]), [['pick-2', tip]]);
});

test('an apply killed right after it made the branch, re-planned once a bot moved the config: the branch is adopted and the pick planned onto it', async () => {
  const { s, planFile, args } = await gatedHotfix(registry.host, 38);
  const first = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  const killed = await runCliAsync(args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'create-branch:recorded' } });
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  const branch = branchOf(first);
  assert.is(gitOut(s.appRepo, ['rev-parse', `refs/heads/${branch}`]).trim(), s.deployed.commit);
  await fluxBumpsWorker(s.configRepo);
  const again = await replan(s, [s.fixes[0]!.commit]);
  assert.is(again.code, 0, again.stderr);
  const plan = again.plan!;
  assert.equal(plan.actions.slice(0, 2).map((a) => a.kind), ['cherry-pick', 'tag']);
  assert.is((plan.actions[0] as { parent: string }).parent, s.deployed.commit);
  assert.ok(plan.notes.some((n) => n.includes(`Adopts ${branch} at ${s.deployed.commit.slice(0, 7)}, made before`) && n.includes('holds none of the picks yet, so this plan makes the pick on it')), plan.notes.join('\n'));
  const head = (plan.actions[0] as { commit: string }).commit;
  await pushImage(registry.host, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { [REVISION]: head } });
  const applied = await runCliAsync([...args.slice(0, -1), again.file], { cwd: s.root });
  assert.is(applied.code, 0, applied.stderr);
  assert.is(gitOut(s.appRemote, ['rev-parse', `refs/heads/${branch}`]).trim(), head);
});

test('an apply killed after it pushed the deploy, re-planned after a bot commit: only the merge-back is left to plan', async () => {
  const { s, planFile, args, meetGate } = await gatedHotfix(registry.host, 40);
  await meetGate();
  const first = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  const killed = await runCliAsync(args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'push-config:recorded' } });
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  // main is checked out in the config clone, so apply moved only the remote: pull it, as a person would.
  gitOut(s.configRepo, ['pull', '--quiet', '--ff-only']);
  await fluxBumpsWorker(s.configRepo);
  const again = await replan(s, [s.fixes[0]!.commit]);
  assert.is(again.code, 0, again.stderr);
  const plan = again.plan!;
  assert.equal(plan.actions.map((a) => a.id), ['push-hotfix', 'gate', 'merge-main', ...(s.devHead ? ['merge-dev'] : []), 'push-merges']);
  assert.ok(plan.notes.some((n) => n.startsWith(`overlays/production/kustomization.yaml on main deploys ${first.target.image} already (an earlier apply of this hotfix got that far), so this plan does not deploy it again`)), plan.notes.join('\n'));
  const configBefore = refs(s.configRemote);
  const applied = await runCliAsync([...args.slice(0, -1), again.file], { cwd: s.root });
  assert.is(applied.code, 0, applied.stderr);
  assert.is(refs(s.configRemote), configBefore, 'the config is not touched again');
  assert.is(gitOut(s.appRemote, ['rev-parse', 'refs/heads/main^2']).trim(), gitOut(s.appRepo, ['rev-parse', `refs/heads/${branchOf(first)}`]).trim());
});

/** The command an HF414 message says to run, run as a person would paste it. */
function pasted(message: string, pattern: RegExp): string {
  const command = pattern.exec(message)?.[1];
  assert.ok(command, `no command in: ${message}`);
  return execFileSync('sh', ['-c', command!], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
}

test('the hotfix branch moved under a stopped apply: HF414 says where, a command that shows it, and that a re-plan adopts what matches', async () => {
  const { s, args, branch, tip } = await interrupted(37);
  const older = gitOut(s.appRepo, ['rev-parse', `${s.deployed.commit}~1`]).trim();
  gitOut(s.appRepo, ['branch', '-f', branch, older]);
  const moved = await runCliAsync(args, { cwd: s.root });
  assert.is(moved.code, 1);
  assert.not.ok(hasStackTrace(moved.stderr));
  assert.match(moved.stderr, new RegExp(`records create-branch as done, but app: refs/heads/${branch} is at ${older.slice(0, 7)}, not at ${s.deployed.commit.slice(0, 7)} \\(nor past it\\); see what moved it with git -C '\\S+' log --oneline --graph ${s.deployed.commit.slice(0, 12)} ${older.slice(0, 12)} --; then make the plan again: plan hotfix adopts the hotfix branch and tag where they still match \\(cut from the deployed commit, the same picks by patch-id\\) and plans only the steps left`));
  const shown = pasted(moved.stderr, /see what moved it with (git -C '[^']+' log [^;]+ --);/);
  assert.match(shown, new RegExp(older.slice(0, 7)));

  // Deleted instead: the reflog and the planned commit, still in the repository.
  gitOut(s.appRepo, ['branch', '-D', branch]);
  const gone = await runCliAsync(args, { cwd: s.root });
  assert.is(gone.code, 1);
  assert.match(gone.stderr, new RegExp(`app: refs/heads/${branch} is missing, not at ${tip.slice(0, 7)}; it was deleted since: see what was done last with git -C '\\S+' reflog --date=iso -n 20; the planned ${tip.slice(0, 7)} is still there: git -C '\\S+' show --stat ${tip.slice(0, 12)}; then make the plan again`));
  assert.match(pasted(gone.stderr, new RegExp(`is still there: (git -C '[^']+' show --stat ${tip.slice(0, 12)});`)), new RegExp(`commit ${tip}`));
});

test.run();
