import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildGitopsScenario, type GitopsScenario } from '../../fixtures/gitops-scenario.js';
import { armRepository, commitAttributes, type HostileVariant, INFO_ATTRIBUTES, neutraliseAttributes } from '../../fixtures/hostile-attributes.js';
import { buildPrdNopScenario, type PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import { sha256Mirror } from '../../fixtures/sha256-mirror.js';
import type { Plan } from '../../src/plan/types.js';
import { copiedScenario } from '../helpers/copied-scenario.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { ROOT, runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';
import { checkoutSnapshot } from '../helpers/user-checkout.js';

const registry = registryForFile(test);

/**
 * Every plan of this file is made at this instant (test/helpers/fixed-clock.cjs): a plan's
 * commits carry its creation time, so only plans made at one moment can have equal ids.
 */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const PINNED = { NODE_OPTIONS: `--require ${join(ROOT, 'test', 'helpers', 'fixed-clock.cjs')}`, HOTFIX_TEST_NOW: NOW };

const isolated = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: isolated }).trim();

type Setup = 'reference' | HostileVariant;

/** What a run of plan, show and apply left, to compare a hostile run with the reference. */
interface Outcome {
  readonly root: string;
  readonly plan: Plan;
  readonly shown: { readonly text: string; readonly markdown: string };
  /** Each remote's refs after apply. */
  readonly remotes: Record<string, string>;
  /** Files the hostile programs left: none when nothing ran. */
  readonly markers: readonly string[];
  readonly checkouts: { readonly before: unknown; readonly after: unknown };
}

/**
 * Both runs commit the same `.gitattributes` (so their histories are the same objects);
 * the reference then sets every attribute back to unspecified and defines no program, the
 * hostile one arms every repository (fixtures/hostile-attributes.ts).
 */
async function prepare(root: string, repos: readonly string[], setup: Setup): Promise<string> {
  const markers = join(root, 'markers');
  for (const repo of repos) {
    await commitAttributes(repo);
    if (setup === 'reference') await neutraliseAttributes(repo);
    else await armRepository(repo, setup, join(root, `programs-${repos.indexOf(repo)}`), markers);
  }
  return markers;
}

async function planShowApply(root: string, repos: Record<string, string>, remotes: Record<string, string>, markers: string, planArgs: string[], applyArgs: string[], beforeApply: (plan: Plan) => Promise<void> = async () => undefined): Promise<Outcome> {
  const before = Object.fromEntries(Object.entries(repos).map(([name, repo]) => [name, checkoutSnapshot(repo)]));
  const file = join(root, 'plan.json');
  const planned = await runCliAsync([...planArgs, '--out', file], { cwd: root, env: PINNED });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const show = async (format: string) => {
    const r = await runCliAsync(['show', '--format', format, file], { cwd: root });
    assert.is(r.code, 0, r.stderr);
    return r.stdout;
  };
  const shown = { text: await show('text'), markdown: await show('markdown') };
  await beforeApply(plan);
  const applied = await runCliAsync(['apply', '--auto-approve', ...applyArgs, file], { cwd: root });
  assert.is(applied.code, 0, applied.stderr);
  return {
    root,
    plan,
    shown,
    remotes: Object.fromEntries(Object.entries(remotes).map(([name, remote]) => [name, git(remote, 'for-each-ref', '--format=%(refname) %(objectname)')])),
    markers: existsSync(markers) ? readdirSync(markers) : [],
    checkouts: { before, after: Object.fromEntries(Object.entries(repos).map(([name, repo]) => [name, checkoutSnapshot(repo)])) },
  };
}

// Every test starts from one of two worlds, each built once and copied for each test.
let gitops: Promise<GitopsScenario> | undefined;
let prdNop: Promise<PrdNopScenario> | undefined;

async function gitopsCopy(): Promise<GitopsScenario> {
  gitops ??= buildGitopsScenario(tempDir());
  return copiedScenario(await gitops, [['configRepo', 'remote']]);
}

async function rollback(setup: Setup): Promise<Outcome> {
  const s = await gitopsCopy();
  const markers = await prepare(s.root, [s.configRepo], setup);
  return planShowApply(
    s.root,
    { deploy: s.configRepo },
    { deploy: s.remote },
    markers,
    ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'login broken'],
    ['--cluster-state', s.clusterStateFile],
  );
}

/** A hotfix of billing (seed 002): a cherry-pick, the config branch from nop's baseline, a merge-back into main. */
async function hotfix(setup: Setup): Promise<Outcome> {
  prdNop ??= buildPrdNopScenario(tempDir(), registry.host).then(async (built) => {
    await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: built.deployed.commit } });
    return built;
  });
  const s = copiedScenario(await prdNop, [['appRepo', 'appRemote'], ['configRepo', 'configRemote']]);
  const markers = await prepare(s.root, [s.appRepo, s.configRepo], setup);
  return planShowApply(
    s.root,
    { app: s.appRepo, deploy: s.configRepo },
    { app: s.appRemote, deploy: s.configRemote },
    markers,
    ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1'],
    ['--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'integration-nop'],
    // CI builds the hotfix image from the planned head, which the gate waits for.
    async (plan) => {
      const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
      await pushImage(registry.host, { name: 'billing/service', tag: '1.4.1', labels: { [REVISION]: head } });
    },
  );
}

/**
 * The plan body with the scenario's directory put out of the way. By plan.schema.json,
 * where a scenario lives is in `repos`, `policy.file`, the policy precondition's `file`,
 * the remote precondition's `url` and the push action's `url`; `id` is a hash over all of
 * it. Every other field must be equal, byte for byte.
 */
/**
 * The scenario's directory is in the plan body, so in its id, which every commit the plan
 * makes carries (Hotfix-Plan): the two runs' ids differ, and with them the commits, the pick
 * the image tag names, the deploy's tree and blobs. Each of those is written here as its
 * place in the plan, whole or abbreviated; everything else must still be equal.
 */
function derivedAway(o: Outcome): (text: string) => string {
  const made = [o.plan.id, ...o.plan.actions.flatMap((a) => (a.kind === 'commit' ? [a.commit, a.tree, ...a.changes.map((c) => c.after)] : a.kind === 'cherry-pick' || a.kind === 'merge' ? [a.commit, a.tree] : a.kind === 'tag' ? [a.object] : []))];
  const forms = (id: string) => (id.startsWith('sha256:') ? [id, id.slice(7, 19)] : [id, id.slice(0, 12), id.slice(0, 7)]);
  return (text) => made.reduce((t, id, i) => forms(id).reduce((u, form) => u.split(form).join(`<made ${i}>`), t), text);
}

function located(o: Outcome): unknown {
  const at = (path: string) => (path.startsWith(`${o.root}/`) ? `<root>${path.slice(o.root.length)}` : path);
  const { id: _id, ...body } = o.plan;
  return JSON.parse(derivedAway(o)(JSON.stringify({
    ...body,
    policy: { ...body.policy, file: at(body.policy.file) },
    repos: Object.fromEntries(Object.entries(body.repos).map(([name, path]) => [name, at(path)])),
    preconditions: body.preconditions.map((p) => (p.kind === 'policy' ? { ...p, file: at(p.file) } : p.kind === 'remote' ? { ...p, url: at(p.url) } : p)),
    actions: body.actions.map((a) => (a.kind === 'push' ? { ...a, url: at(a.url) } : a)),
  })));
}

/** What `show` printed, with the directory and the plan id (a hash over the directory) put out of the way. */
const shownAt = (o: Outcome, text: string) => derivedAway(o)(text.replaceAll(o.root, '<root>'));

/** The commits, diffs and diff counts a reviewer reads, by action. */
function reviewed(plan: Plan) {
  return plan.actions.map((a) => {
    if (a.kind === 'commit') return { id: a.id, commit: a.commit, tree: a.tree, changes: a.changes.map((c) => ({ path: c.path, before: c.before, after: c.after, diff: c.diff })) };
    if (a.kind === 'cherry-pick' || a.kind === 'merge') return { id: a.id, commit: a.commit, tree: a.tree, ...(a.kind === 'cherry-pick' ? { diff: a.diff } : {}) };
    return { id: a.id };
  });
}

const reviewedAway = (o: Outcome) => JSON.parse(derivedAway(o)(JSON.stringify(reviewed(o.plan)))) as unknown;

function assertSteersNothing(hostile: Outcome, reference: Outcome, variant: HostileVariant): void {
  assert.equal(hostile.markers, [], `no program the repository names ran (${variant})`);
  assert.equal(hostile.checkouts.after, hostile.checkouts.before, "the user's work trees and indexes are byte-identical");
  assert.equal(reference.checkouts.after, reference.checkouts.before);
  assert.equal(reviewedAway(hostile), reviewedAway(reference), 'the same commits, trees and diffs (but for what the plan id reaches)');
  for (const push of hostile.plan.actions.filter((a) => a.kind === 'push')) {
    const remote = hostile.remotes[push.repo]!;
    for (const { ref, sha } of push.refs) assert.ok(remote.split('\n').includes(`${ref} ${sha}`), `${push.repo}: ${ref} on the remote is the planned ${sha}`);
  }
  assert.equal(Object.fromEntries(Object.entries(hostile.remotes).map(([k, v]) => [k, derivedAway(hostile)(v)])), Object.fromEntries(Object.entries(reference.remotes).map(([k, v]) => [k, derivedAway(reference)(v)])), 'the remotes hold the same refs');
  // Counted by `git diff --numstat` in the repository itself, `-diff`, `binary` or
  // `diff.<driver>.binary` made every count 0 until diffStat moved to the object view (f6d22dc).
  assert.equal(hostile.plan.baseline?.changedSince, reference.plan.baseline?.changedSince, 'the baseline diff counts');
  assert.equal(located(hostile), located(reference), 'the same plan body');
  for (const format of ['text', 'markdown'] as const) assert.is(shownAt(hostile, hostile.shown[format]), shownAt(reference, reference.shown[format]), `show --format ${format} prints the same`);
}

let rollbackReference: Promise<Outcome> | undefined;
let hotfixReference: Promise<Outcome> | undefined;

for (const variant of Object.keys(INFO_ATTRIBUTES) as HostileVariant[]) {
  test(`rollback: ${variant} attributes and the repository's drivers, hooks and settings steer neither the plan, show nor apply`, async () => {
    rollbackReference ??= rollback('reference');
    const reference = await rollbackReference;
    assertSteersNothing(await rollback(variant), reference, variant);
  });

  test(`hotfix with a pick, a baseline and a merge-back: ${variant} attributes steer neither the plan, show nor apply`, async () => {
    hotfixReference ??= hotfix('reference');
    const reference = await hotfixReference;
    const hostile = await hotfix(variant);
    assert.ok(hostile.plan.actions.some((a) => a.kind === 'cherry-pick') && hostile.plan.actions.some((a) => a.kind === 'merge'), 'the plan picks and merges');
    assert.ok((reference.plan.baseline?.changedSince.length ?? 0) > 0, 'the baseline has changed since: the plan counts lines');
    assertSteersNothing(hostile, reference, variant);
  });
}

test('git itself, run in these repositories, runs their programs and counts no line of a changed file: the runs above have something to resist', async () => {
  const s = await gitopsCopy();
  await commitAttributes(s.configRepo);
  const deploy = s.apiJs.deployingCommit;
  for (const variant of Object.keys(INFO_ATTRIBUTES) as HostileVariant[]) {
    const markers = join(s.root, `markers-${variant}`);
    await armRepository(s.configRepo, variant, join(s.root, `programs-${variant}`), markers);
    assert.match(git(s.configRepo, 'diff', '--numstat', `${deploy}^`, deploy), /^-\t-\tapp\/bases\/kustomization\.yaml$/m, `${variant}: numstat says "-"`);
    if (variant !== 'drivers') continue;
    // The repository's process filter, which says nothing, makes git fail here after it ran.
    const diff = spawnSync('git', ['diff', `${deploy}^`, deploy], { cwd: s.configRepo, env: isolated, encoding: 'utf8' });
    assert.ok(existsSync(markers) && readdirSync(markers).length > 0, `git diff ran a program of the repository: ${diff.stderr}`);
  }
});

test('a repository that names objects by SHA-256 is refused by plan and apply before anything is read or written', async () => {
  const s = await gitopsCopy();
  const mirror = join(s.root, 'deploy256');
  const head = await sha256Mirror(s.remote, join(s.root, 'deploy256.git'), mirror);
  assert.match(head, /^[0-9a-f]{64}$/, 'the mirror is SHA-256');
  const refusal = new RegExp(`^error  repository "deploy" at ${mirror} uses the sha256 object format; hotfix reads SHA-1 repositories only: bind a SHA-1 mirror of it .*\\[HF227\\]\\n$`);
  const refsOf = (repo: string) => git(repo, 'for-each-ref', '--format=%(refname) %(objectname)');
  const before = { refs: refsOf(mirror), remote: refsOf(join(s.root, 'deploy256.git')), checkout: checkoutSnapshot(mirror) };

  const planFile = join(s.root, 'plan.json');
  const planArgs = ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--cluster-state', s.clusterStateFile, '--reason', 'login broken', '--out', planFile];
  const refused = await runCliAsync([...planArgs, '--repo', `deploy=${mirror}`], { cwd: s.root });
  assert.is(refused.code, 1);
  assert.match(refused.stderr, refusal);
  assert.is(refused.stdout, '');
  assert.not.ok(existsSync(planFile), 'no plan was written');

  // A plan made on the SHA-1 repository, applied to the SHA-256 one.
  const planned = await runCliAsync([...planArgs, '--repo', `deploy=${s.configRepo}`], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const applied = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--repo', `deploy=${mirror}`, planFile], { cwd: s.root });
  assert.is(applied.code, 1);
  assert.match(applied.stderr, refusal);
  assert.is(applied.stdout, '', 'refused before the plan is shown');
  assert.equal({ refs: refsOf(mirror), remote: refsOf(join(s.root, 'deploy256.git')), checkout: checkoutSnapshot(mirror) }, before, 'nothing was written');
  assert.not.ok(existsSync(join(mirror, '.git', 'hotfix')), 'no journal or lock');
});

test.run();
