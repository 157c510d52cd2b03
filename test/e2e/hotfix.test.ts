import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenario, type AppScenarioOptions } from '../../fixtures/app-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { copiedScenario } from '../helpers/copied-scenario.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync, startCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile, startTestRegistry } from '../helpers/test-registry.js';

const registry = registryForFile(test);

const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();

/** A scenario whose deployed image is in the registry, labelled with its commit (as CI pushes it). */
async function scenario(options: AppScenarioOptions = {}): Promise<AppScenario> {
  const s = await buildAppScenario(tempDir(), registry.host, options);
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit } });
  return s;
}

let defaults: Promise<AppScenario> | undefined;
/** The scenario with no options, built (and its image pushed) once; each test writes to a copy of its own. */
async function defaultScenario(): Promise<AppScenario> {
  defaults ??= scenario();
  return copiedScenario(await defaults, [['appRepo', 'appRemote'], ['configRepo', 'configRemote']]);
}

async function plan(s: AppScenario, picks: string[], extra: string[] = []): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCliAsync(
    ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', ...picks.flatMap((p) => ['--pick', p]), '--out', file, ...extra],
    { cwd: s.root },
  );
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

const applyArgs = (s: AppScenario, file: string, extra: string[] = []) => ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, ...extra, file];
const apply = (s: AppScenario, file: string, extra: string[] = []) => runCliAsync(applyArgs(s, file, extra), { cwd: s.root });
const actions = <K extends Plan['actions'][number]['kind']>(p: Plan, kind: K) => p.actions.filter((a) => a.kind === kind) as Array<Extract<Plan['actions'][number], { kind: K }>>;

test('the whole hotfix: label decides, picks land with the planned ids, the gate waits for CI, config and merges follow', async () => {
  const s = await defaultScenario();
  const fixes = s.fixes.map((f) => f.commit);
  const planned = await plan(s, fixes);
  assert.is(planned.code, 0, planned.stderr);
  const p = planned.plan!;
  assert.is(p.deployed.appCommit?.sha, s.deployed.commit);
  assert.match(p.deployed.appCommit!.decidedBy, /^label org\.opencontainers\.image\.revision=/);
  assert.ok(p.deployed.appCommit!.agreeing.some((a) => a.startsWith('tag ')));

  const picks = actions(p, 'cherry-pick');
  const head = picks[picks.length - 1]!.commit;
  assert.equal(picks.map((a) => a.pick), fixes);

  // Before CI built the image: apply does everything up to the gate, then stops with exit 3.
  const stopped = await apply(s, planned.file, ['--check', 'unit', '--check', 'smoke']);
  assert.is(stopped.code, 3, stopped.stderr);
  assert.match(stopped.stderr, /stopped at the gate: .*main-[0-9a-f]{7} is not in the registry yet.*\[HF410\]/);
  const branch = actions(p, 'create-branch')[0]!.branch;
  assert.is(git(s.appRepo, 'rev-parse', `refs/heads/${branch}`), head);
  assert.is(git(s.appRemote, 'rev-parse', `refs/heads/${branch}`), head);
  const configHead = git(s.configRepo, 'rev-parse', 'refs/heads/main');

  // CI builds the image from the hotfix head; the checks are reported; apply goes on.
  const image = p.target.image;
  await pushImage(registry.host, { name: 'team/shop-api', tag: image.split(':').pop()!, labels: { [REVISION]: head } });
  const missingChecks = await apply(s, planned.file);
  assert.is(missingChecks.code, 3);
  assert.match(missingChecks.stderr, /checks not reported passed: unit, smoke/);
  const done = await apply(s, planned.file, ['--check', 'unit', '--check', 'smoke']);
  assert.is(done.code, 0, done.stderr);

  // Every commit has the id the plan named.
  const parents = git(s.appRepo, 'log', '--format=%H', `${s.deployed.commit}..${branch}`).split('\n').reverse();
  assert.equal(parents, picks.map((a) => a.commit));
  assert.match(git(s.appRepo, 'log', '-1', '--format=%B', picks[0]!.commit), new RegExp(`\\(cherry picked from commit ${fixes[0]}\\)`));
  const tag = actions(p, 'tag')[0]!;
  assert.is(git(s.appRepo, 'rev-parse', `refs/tags/${tag.tag}`), tag.object);
  assert.is(git(s.appRepo, 'cat-file', '-t', tag.tag), 'tag');
  // Branches checked out in the user's clones (main in both) move only on the remote;
  // the others move locally too. Either way the work trees are as they were.
  const deploy = actions(p, 'commit')[0]!;
  assert.is(git(s.configRemote, 'rev-parse', 'refs/heads/main'), deploy.commit);
  assert.is(git(s.configRepo, 'rev-parse', 'refs/heads/main'), configHead);
  assert.match(git(s.configRemote, 'show', 'main:overlays/production/kustomization.yaml'), new RegExp(`newTag: ${image.split(':').pop()}`));
  assert.match(done.stdout, /note: main is checked out in .*, so only the remote moves/);
  for (const merge of actions(p, 'merge')) {
    assert.is(git(s.appRemote, 'rev-parse', `refs/heads/${merge.into}`), merge.commit);
    assert.is(git(s.appRepo, 'rev-parse', `refs/heads/${merge.into}`), merge.into === 'main' ? s.mainHead : merge.commit);
    assert.is(git(s.appRepo, 'rev-parse', `${merge.commit}^2`), head);
  }
  assert.equal(actions(p, 'merge').map((m) => m.into), ['main', 'dev']);
  assert.is(git(s.appRepo, 'status', '--porcelain'), '');
  assert.is(git(s.configRepo, 'status', '--porcelain'), '');
  assert.is(git(s.appRepo, 'rev-parse', 'HEAD'), s.mainHead);

  const again = await apply(s, planned.file);
  assert.is(again.code, 0);
  assert.match(again.stdout, /Nothing to do: this plan was applied completely before/);
});

test('without a registry the tag decides, and the plan says which check it could not make', async () => {
  const s = await defaultScenario();
  const r = await plan(s, [s.fixes[0]!.commit], ['--no-registry']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.plan!.deployed.appCommit!.decidedBy, /^tag main-/);
  assert.ok(r.plan!.diagnostics.some((d) => d.code === 'HF338' && d.message.startsWith('label not checked: the registry was not asked')));
  const deployed = await plan(s, [s.fixes[0]!.commit], ['--no-registry', '--deployed', `${s.image}:${s.deployed.tag}`]);
  assert.is(deployed.code, 0, deployed.stderr);
  assert.is(deployed.plan!.deployed.appCommit!.sha, s.deployed.commit);
});

test('sources that disagree, or name a commit the repo lacks, refuse the plan', async () => {
  const disagreeing = await scenario({ seed: 2 });
  await pushImage(registry.host, { name: 'team/shop-api', tag: disagreeing.deployed.tag, labels: { [REVISION]: git(disagreeing.appRepo, 'rev-parse', 'v1.3.0^{commit}') } });
  const r = await plan(disagreeing, [disagreeing.fixes[0]!.commit]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /label org\.opencontainers\.image\.revision=[0-9a-f]+ names [0-9a-f]{7} but tag main-[0-9a-f]{7} names [0-9a-f]{7} {2}\[HF336\]/);

  const missing = await scenario({ seed: 3 });
  await pushImage(registry.host, { name: 'team/shop-api', tag: missing.deployed.tag, labels: { [REVISION]: 'f'.repeat(40) } });
  const m = await plan(missing, [missing.fixes[0]!.commit]);
  assert.is(m.code, 1);
  assert.match(m.stderr, /names commit f{40}, which is not in the app repository {2}\[HF215\]/);
});

test('a multi-arch index: the label is read from the platform manifest', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { seed: 4 });
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit }, platforms: ['linux/amd64', 'linux/arm64'] });
  const r = await plan(s, [s.fixes[0]!.commit]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.plan!.deployed.appCommit!.decidedBy, /^label /);
});

test('policy rules: reason, too many commits, not on the mainline, a conflicting pick', async () => {
  const s = await scenario({ conflictingFix: true });
  const fix = s.fixes[0]!.commit;
  const reason = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'boredom', '--pick', fix], { cwd: s.root });
  assert.is(reason.code, 1);
  assert.match(reason.stderr, /reason "boredom" is not allowed .*\[HF330\]/);
  const many = await plan(s, [fix, s.fixes[1]!.commit, fix, fix]);
  assert.match(many.stderr, /4 commits picked; hotfix\.maxCommits allows 3 {2}\[HF332\]/);
  const off = await plan(s, [s.notOnMainline]);
  assert.match(off.stderr, /is not on main; land the fix there first .*\[HF331\]/);
  const conflict = await plan(s, [s.conflicting!.commit]);
  assert.is(conflict.code, 1);
  assert.match(conflict.stderr, new RegExp(`${s.conflicting!.commit.slice(0, 7)} does not apply cleanly onto the deployed commit: conflicts in ${s.conflicting!.files.join(', ')} {2}\\[HF334\\]`));
});

test('a pick whose change is there already (the deployed commit itself, or the same fix twice) is refused (HF347), not planned as an empty commit', async () => {
  const s = await defaultScenario();
  const fix = s.fixes[0]!.commit;
  const deployed = await plan(s, [s.deployed.commit]);
  assert.is(deployed.code, 1);
  assert.match(deployed.stderr, new RegExp(`${s.deployed.commit.slice(0, 7)} changes nothing on top of the deployed commit: its change is there already; leave it out of --pick {2}\\[HF347\\]`));
  const twice = await plan(s, [fix, fix]);
  assert.is(twice.code, 1);
  assert.match(twice.stderr, new RegExp(`${fix.slice(0, 7)} changes nothing on top of the deployed commit and the picks before it: .*\\[HF347\\]`));
  assert.is((await plan(s, [fix])).code, 0, 'the fix alone is planned');
});

test('a picked commit whose message could steer the terminal is refused by plan (HF348), as show and apply would refuse the plan; nothing is saved', async () => {
  const s = await defaultScenario();
  writeFileSync(join(s.appRepo, 'escape.txt'), 'x\n');
  git(s.appRepo, 'add', 'escape.txt');
  git(s.appRepo, '-c', 'user.name=a', '-c', 'user.email=a@a', 'commit', '-q', '-m', 'fix \x1b[2Jhidden');
  const r = await plan(s, [git(s.appRepo, 'rev-parse', 'HEAD')]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /a control character \(U\+001B\) in \/actions\/\d+\/message.*\[HF348\]/);
  assert.not.match(r.stderr + r.stdout, /\x1b/);
  assert.not.ok(existsSync(r.file), 'no plan saved');
});

test('merge-back that conflicts is left to a person, and said so; git flow shape with a release branch', async () => {
  const s = await scenario({ mergeBackConflict: true, releaseBranch: 'production' });
  const r = await plan(s, [s.fixes[0]!.commit]);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.plan!.diagnostics.some((d) => d.code === 'HF335' && d.message.includes('into dev conflicts in src/payment.js')));
  assert.equal(actions(r.plan!, 'merge').map((m) => m.into), ['production', 'main']);
  assert.equal(actions(r.plan!, 'manual').map((m) => m.title.split(' ').slice(0, 4).join(' ')), [`merge ${actions(r.plan!, 'create-branch')[0]!.branch} into dev`]);
  assert.match(r.stdout, /for you to do \(apply does not\)/);
});

test('a checked-out branch the plan would move without pushing: refused before anything is written (HF411)', async () => {
  const s = await scenario({ seed: 5 });
  writeFileSync(s.policyFile, readFileSync(s.policyFile, 'utf8').replace(/push: true/, 'push: false'));
  const r = await plan(s, [s.fixes[0]!.commit]);
  assert.is(r.code, 0, r.stderr);
  const refsBefore = git(s.appRepo, 'for-each-ref') + git(s.configRepo, 'for-each-ref');
  const refused = await apply(s, r.file, ['--check', 'unit', '--check', 'smoke']);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /deploy: refs\/heads\/main is checked out in .* and the plan does not push it.*\[HF411\]/);
  assert.is(git(s.appRepo, 'for-each-ref') + git(s.configRepo, 'for-each-ref'), refsBefore);
});

test('--wait polls the gate: met while waiting goes on; never met stops at the deadline with exit 3', async () => {
  const s = await scenario({ seed: 6 });
  const r = await plan(s, [s.fixes[0]!.commit]);
  assert.is(r.code, 0, r.stderr);
  const head = actions(r.plan!, 'cherry-pick').pop()!.commit;
  const timedOut = await apply(s, r.file, ['--check', 'unit', '--check', 'smoke', '--wait', '2s']);
  assert.is(timedOut.code, 3);
  assert.match(timedOut.stdout, /waiting: .* is not in the registry yet/);
  // CI finishes while apply waits.
  const waiting = startCli(applyArgs(s, r.file, ['--check', 'unit', '--check', 'smoke', '--wait', '10m']), { cwd: s.root });
  await waiting.printed(/^waiting: /m);
  await pushImage(registry.host, { name: 'team/shop-api', tag: r.plan!.target.image.split(':').pop()!, labels: { [REVISION]: head } });
  const finished = await waiting.result;
  assert.is(finished.code, 0, finished.stderr);
  assert.match(finished.stdout, /Apply complete/);
  // Planning the same hotfix again: its branch and tag exist now, and are this hotfix's, so
  // they are adopted rather than made again (hotfix-adopt.test.ts has the cases).
  const twice = await plan(s, [s.fixes[0]!.commit]);
  assert.is(twice.code, 0, twice.stderr);
  assert.match(twice.stdout, new RegExp(`Adopts hotfix/\\S+ at ${head.slice(0, 7)} and its tag hotfix-\\S+, made before`));
  assert.not.ok(twice.plan!.actions.some((a) => a.kind === 'create-branch' || a.kind === 'cherry-pick' || a.kind === 'tag'));
});

test('a registry that needs a login: the label is read with the docker config credentials', async () => {
  const secured = await startTestRegistry({ auth: 'basic' });
  try {
    const s = await buildAppScenario(tempDir(), secured.host, { seed: 7 });
    await pushImage(secured.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit }, auth: { username: secured.username!, password: secured.password! } });
    const anonymous = await plan(s, [s.fixes[0]!.commit]);
    assert.is(anonymous.code, 0, anonymous.stderr);
    assert.ok(anonymous.plan!.diagnostics.some((d) => d.code === 'HF338' && /label not checked: .*docker login/.test(d.message)));
    const loggedIn = await plan(s, [s.fixes[0]!.commit], ['--docker-config', secured.dockerConfig]);
    assert.is(loggedIn.code, 0, loggedIn.stderr);
    assert.match(loggedIn.plan!.deployed.appCommit!.decidedBy, /^label /);
    assert.not.ok(JSON.stringify(loggedIn.plan).includes(secured.password!));
    assert.not.ok((loggedIn.stdout + loggedIn.stderr).includes(secured.password!));
  } finally {
    await secured.stop();
  }
});

test('red team: a pick whose message is UTF-8, in a repository that logs in Latin-1 (i18n.logOutputEncoding): the plan and the commit keep its words', async () => {
  const s = await defaultScenario();
  writeFileSync(join(s.appRepo, 'menu.txt'), 'café\n');
  git(s.appRepo, 'add', 'menu.txt');
  git(s.appRepo, '-c', 'user.name=Zoë', '-c', 'user.email=zoe@example.com', 'commit', '-q', '-m', 'fix: café crème\n\nNaïve body.\n');
  const pick = git(s.appRepo, 'rev-parse', 'HEAD');
  git(s.appRepo, 'config', 'i18n.logOutputEncoding', 'ISO-8859-1');
  const r = await plan(s, [pick]);
  assert.is(r.code, 0, r.stderr);
  const [picked] = actions(r.plan!, 'cherry-pick');
  assert.is(picked!.message.split('\n')[0], 'fix: café crème');
  assert.match(picked!.message, /^Naïve body\.$/m);
  assert.is(picked!.author.name, 'Zoë');
});

test.run();
