import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenario } from '../../fixtures/app-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import type { Person } from '../../src/state/types.js';
import { commitObject } from '../../src/plan/git-objects.js';
import { resealed } from '../helpers/hostile-plans.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §4 through the built CLI, on seed 000's shop-api: the hotfix image CI tags from
// the hotfix branch (hotfix.imageTag), the hotfix's own --version, and the trailers every
// commit of the hotfix carries.

const registry = registryForFile(test);
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } }).trim();

async function scenario(): Promise<AppScenario> {
  const s = await buildAppScenario(tempDir(), registry.host);
  await pushImage(registry.host, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit } });
  return s;
}

/** The scenario's policy with `hotfix:` lines replaced, written beside it. */
function policyWith(s: AppScenario, name: string, replace: Array<[RegExp, string]>): string {
  let text = readFileSync(s.policyFile, 'utf8');
  for (const [from, to] of replace) {
    assert.match(text, from);
    text = text.replace(from, to);
  }
  const file = join(s.root, 'policies', name);
  writeFileSync(file, text);
  return file;
}

// As docker/metadata-action's `type=sha,prefix={{branch}}-` tags a push of the hotfix branch.
const BRANCH_BUILDS: [RegExp, string] = [/\n {4}tag: "hotfix-\{date\}-\{sha7\}"\n/, '\n    tag: "hotfix-{date}-{sha7}"\n    imageTag: "{branch}-{sha7}"\n'];

async function plan(s: AppScenario, policy: string, extra: string[] = []): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = await runCliAsync(
    ['plan', 'hotfix', '--policy', policy, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file, ...extra],
    { cwd: s.root },
  );
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

const of = <K extends Plan['actions'][number]['kind']>(p: Plan, kind: K) => p.actions.filter((a) => a.kind === kind) as Array<Extract<Plan['actions'][number], { kind: K }>>;

test('hotfix.imageTag: lint warns about main-{sha7} without it; with it the gate, the deploy diff, show and apply all use the hotfix branch\'s tag', async () => {
  const s = await scenario();
  // The fixture tags mainline builds main-<sha7> and says nothing of hotfix branch builds.
  const warned = await runCliAsync(['lint', s.policyFile], { cwd: s.root });
  assert.is(warned.code, 0, warned.stderr);
  assert.match(warned.stdout + warned.stderr, /a hotfix's gate would wait for .*team\/shop-api:main-\{sha7\} of the hotfix head \(app\.tagFormat, as there is no hotfix\.imageTag\), a tag starting with the mainline's name "main".*HF146/);

  const policy = policyWith(s, 'branch-builds.yaml', [BRANCH_BUILDS]);
  const clean = await runCliAsync(['lint', policy], { cwd: s.root });
  assert.is(clean.code, 0, clean.stderr);
  assert.not.match(clean.stdout + clean.stderr, /HF146/);

  const planned = await plan(s, policy);
  assert.is(planned.code, 0, planned.stderr);
  const p = planned.plan!;
  const branch = of(p, 'create-branch')[0]!.branch;
  const head = of(p, 'cherry-pick').pop()!.commit;
  const tag = `${branch.replace(/\//g, '-')}-${head.slice(0, 7)}`;
  assert.match(branch, /^hotfix\/\d{8}-[0-9a-f]{7}$/);
  const image = `${s.image}:${tag}`;
  assert.is(p.target.image, image);
  assert.is(of(p, 'gate')[0]!.image, image);
  const deploy = of(p, 'commit').find((c) => c.id === 'deploy-hotfix')!;
  assert.match(JSON.stringify(deploy), new RegExp(`\\+ +newTag: ${tag}\\b`));
  assert.match(deploy.message, new RegExp(`^Deploy hotfix ${image.replace(/[.]/g, '\\.')} to production\\n`));
  for (const format of ['text', 'markdown', 'json']) {
    const shown = await runCliAsync(['show', '--format', format, planned.file], { cwd: s.root });
    assert.is(shown.code, 0, shown.stderr);
    assert.ok(shown.stdout.includes(tag), `${format} names ${tag}`);
    assert.not.ok(shown.stdout.includes(`main-${head.slice(0, 7)}`), `${format} names no mainline tag of the hotfix head`);
  }

  const args = ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', planned.file];
  // An image of the hotfix head under the mainline's tag is not what the gate waits for.
  await pushImage(registry.host, { name: 'team/shop-api', tag: `main-${head.slice(0, 7)}`, labels: { [REVISION]: head } });
  const stopped = await runCliAsync(args, { cwd: s.root });
  assert.is(stopped.code, 3, stopped.stderr);
  assert.ok(stopped.stderr.includes(`${tag} is not in the registry yet`), stopped.stderr);
  await pushImage(registry.host, { name: 'team/shop-api', tag, labels: { [REVISION]: head } });
  const done = await runCliAsync(args, { cwd: s.root });
  assert.is(done.code, 0, done.stderr);
  const deployed = git(s.configRemote, 'show', `refs/heads/main:${deploy.changes[0]!.path}`);
  assert.match(deployed, new RegExp(`^ +newTag: ${tag}$`, 'm'));
  assert.is(git(s.configRemote, 'rev-parse', 'refs/heads/main'), deploy.commit);
});

test('every commit of the hotfix carries Hotfix-Reason, as git reads trailers; a plan whose trailer differs from its reason is refused (HF415)', async () => {
  const s = await scenario();
  const policy = policyWith(s, 'branch-builds.yaml', [BRANCH_BUILDS]);
  const planned = await plan(s, policy);
  assert.is(planned.code, 0, planned.stderr);
  const p = planned.plan!;
  const commits = [...of(p, 'cherry-pick'), ...of(p, 'commit'), ...of(p, 'merge')];
  assert.equal(commits.map((c) => c.id).sort(), ['deploy-hotfix', 'merge-dev', 'merge-main', 'pick-1']);
  for (const c of commits) assert.ok(c.message.includes('\nHotfix-Reason: payment\n'), c.message);

  const head = of(p, 'cherry-pick').pop()!.commit;
  const branch = of(p, 'create-branch')[0]!.branch;
  await pushImage(registry.host, { name: 'team/shop-api', tag: `${branch.replace(/\//g, '-')}-${head.slice(0, 7)}`, labels: { [REVISION]: head } });
  const done = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', planned.file], { cwd: s.root });
  assert.is(done.code, 0, done.stderr);
  for (const c of commits) {
    const repo = c.id === 'deploy-hotfix' ? s.configRemote : s.appRemote;
    assert.is(git(repo, 'log', '-1', '--format=%(trailers:key=Hotfix-Reason,valueonly)', c.commit), 'payment', c.id);
  }
  // Each commit, the pick too, and the tag name the plan by the id reviewed (the image tag names the pick: plan-id.ts sets it aside).
  for (const c of commits) {
    const repo = c.id === 'deploy-hotfix' ? s.configRemote : s.appRemote;
    assert.is(git(repo, 'log', '-1', '--format=%(trailers:key=Hotfix-Plan,valueonly)', c.commit), p.id, c.id);
  }
  // The image tag's template, recorded with all but the head's id filled in.
  assert.is(of(p, 'gate')[0]!.tagFromHead, `${branch.replace(/\//g, '-')}-{sha7}`);
  const tag = of(p, 'tag')[0]!;
  assert.is(git(s.appRemote, 'for-each-ref', '--format=%(contents:trailers:key=Hotfix-Plan,valueonly)', `refs/tags/${tag.tag}`), p.id);
  // The pick keeps cherry-pick -x's line in the same trailer block, as git writes it.
  assert.match(git(s.appRemote, 'log', '-1', '--format=%B', head), new RegExp(`\\n\\n\\(cherry picked from commit ${s.fixes[0]!.commit}\\)\\nHotfix-Plan: ${p.id}\\nHotfix-Reason: payment$`));

  // Re-sealed with another reason in the request, its commits still saying payment.
  const other = join(s.root, 'other-reason.json');
  writeFileSync(other, resealed(p, (body) => void (body.request.reason = 'security')));
  for (const args of [['show', other], ['apply', '--auto-approve', '--dry-run', '--cluster-state', s.clusterStateFile, other]]) {
    const r = await runCliAsync(args, { cwd: s.root });
    assert.is(r.code, 1, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /pick-1: its message ends with Hotfix-Reason: payment, but the plan's reason is security; make and review it again {2}\[HF415\]/);
    assert.not.ok(hasStackTrace(r.stderr));
  }
  // Re-sealed with the deploy commit naming no plan (its id recomputed, as an attacker would).
  const unnamed = join(s.root, 'unnamed.json');
  writeFileSync(unnamed, resealed(p, (body) => {
    const deploy = body.actions.find((a: { id: string }) => a.id === 'deploy-hotfix') as { message: string; commit: string; tree: string; parent: string; author: Person; committer: Person };
    deploy.message = deploy.message.replace(/^Hotfix-Plan: .*\n/m, '');
    deploy.commit = commitObject({ tree: deploy.tree, parents: [deploy.parent], author: deploy.author, committer: deploy.committer, message: deploy.message }).id;
  }));
  const refused = await runCliAsync(['show', unnamed], { cwd: s.root });
  assert.is(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /deploy-hotfix: its message ends with no Hotfix-Plan trailer, where one Hotfix-Plan: sha256:… must name the plan that makes it/);
});

test('--version: a tag template with {version} and no --version says so (not "already exists"); a --version gitTagPattern cannot read is a warning in the plan', async () => {
  const s = await scenario();
  // git flow's finish tags the hotfix's own version, as the release tags are: v1.4.0 is deployed.
  const policy = policyWith(s, 'versioned.yaml', [BRANCH_BUILDS, [/\n {4}tag: "hotfix-\{date\}-\{sha7\}"\n/, '\n    tag: "v{version}"\n']]);
  assert.ok(git(s.appRepo, 'tag', '--list', s.deployed.gitTag).length > 0);

  const missing = await plan(s, policy);
  assert.is(missing.code, 1, missing.stderr);
  assert.match(missing.stderr, /hotfix tag "v\{version\}" needs the hotfix's own version: without --version, \{version\} is the deployed version 1\.4\.0, and v1\.4\.0 already exists in app \(likely the deployed release's own tag\); pass --version, such as --version 1\.4\.1.*\[HF341\]/);
  assert.not.match(missing.stderr, /pass another --version/);

  const odd = await plan(s, policy, ['--version', '1.4.1-hotfix.1']);
  assert.is(odd.code, 0, odd.stderr);
  const warning = odd.plan!.diagnostics.find((d) => d.code === 'HF362');
  assert.ok(warning, JSON.stringify(odd.plan!.diagnostics));
  assert.match(warning!.message, /^--version 1\.4\.1-hotfix\.1 does not match the version group \(\?<version>\\d\+\\\.\\d\+\\\.\\d\+\) of app\.gitTagPattern/);
  assert.is(of(odd.plan!, 'tag')[0]!.tag, 'v1.4.1-hotfix.1');
  for (const format of ['text', 'markdown']) {
    const shown = await runCliAsync(['show', '--format', format, odd.file], { cwd: s.root });
    assert.is(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /HF362/, format);
  }

  const fine = await plan(s, policy, ['--version', '1.4.1']);
  assert.is(fine.code, 0, fine.stderr);
  assert.not.ok(fine.plan!.diagnostics.some((d) => d.code === 'HF362'));
  assert.is(of(fine.plan!, 'tag')[0]!.tag, 'v1.4.1');
});

test.run();
