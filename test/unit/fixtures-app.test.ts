import { rejects } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { type AppScenario, type AppScenarioOptions, buildAppScenario } from '../../fixtures/app-scenario.js';
import type { KubeList } from '../../fixtures/cluster-snapshot.js';
import { cloneRepo, git } from '../../fixtures/git.js';
import { counted } from '../helpers/counting-shim.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const REGISTRY_HOST = 'registry.example.com';
const APP_FILES = ['Dockerfile', 'README.md', 'package.json', 'src/config.js', 'src/payment.js', 'src/server.js'];

const built = new Map<string, Promise<AppScenario>>();
/** Each distinct scenario is built once for the whole file. */
function scenario(options: AppScenarioOptions = {}): Promise<AppScenario> {
  const key = JSON.stringify(options);
  let promise = built.get(key);
  if (!promise) built.set(key, (promise = buildAppScenario(tempDir(), REGISTRY_HOST, options)));
  return promise;
}

const revParse = async (repo: string, rev: string): Promise<string> => (await git(repo, ['rev-parse', rev])).trim();
const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

async function isAncestor(repo: string, ancestor: string, of: string): Promise<boolean> {
  try {
    await git(repo, ['merge-base', '--is-ancestor', ancestor, of]);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 1) return false;
    throw error;
  }
}

/** A throwaway clone of the app's remote with `at` checked out (detached), to pick and merge in. */
async function throwaway(s: AppScenario, at: string): Promise<string> {
  const dir = join(tempDir(), 'app');
  await cloneRepo(s.root, s.appRemote, dir, ['--shared']);
  await git(dir, ['checkout', '--quiet', '--detach', at]);
  return dir;
}

/** Runs a git command that may stop on conflicts; returns the conflicted files ([] when it went through). */
async function conflicts(repo: string, args: readonly string[]): Promise<string[]> {
  try {
    await git(repo, args);
    return [];
  } catch {
    const unmerged = lines(await git(repo, ['diff', '--name-only', '--diff-filter=U']));
    if (unmerged.length === 0) throw new Error(`git ${args.join(' ')} failed without conflicts`);
    return unmerged;
  }
}

const pick = (repo: string, commit: string): Promise<string[]> => conflicts(repo, ['cherry-pick', commit]);

/** Picks the first fix onto the deployed commit, then merges that hotfix into `branch` (--no-ff); the conflicted files. */
async function mergeBack(s: AppScenario, branch: string): Promise<string[]> {
  const [fix] = s.fixes;
  if (!fix) throw new Error('no fix');
  const repo = await throwaway(s, s.deployed.commit);
  assert.equal(await pick(repo, fix.commit), []);
  const hotfix = await revParse(repo, 'HEAD');
  await git(repo, ['checkout', '--quiet', '-B', branch, `origin/${branch}`]);
  return conflicts(repo, ['merge', '--no-ff', '--no-edit', hotfix]);
}

test('main: 60 commits by four people an hour apart, a small Node service that parses', async () => {
  const s = await scenario();
  assert.is((await git(s.appRepo, ['rev-list', '--count', 'main'])).trim(), '60');
  assert.is(await revParse(s.appRepo, 'main'), s.mainHead);
  const authors = new Set(lines(await git(s.appRepo, ['log', '--format=%an', 'main'])));
  assert.equal([...authors].sort(), ['Ana Lima', 'Ben Okafor', 'Chloé Dubois', 'Dmitri Ivanov']);
  const dates = lines(await git(s.appRepo, ['log', '--reverse', '--format=%at %ct', 'main'])).map((line) => line.split(' ').map(Number));
  dates.forEach(([author, committer], index) => {
    assert.is(author, committer);
    if (index > 0) assert.is(author, (dates[index - 1]?.[0] ?? 0) + 3600);
  });
  assert.equal(lines(await git(s.appRepo, ['ls-tree', '-r', '--name-only', 'main'])), APP_FILES);
  for (const rev of [s.mainHead, s.deployed.commit])
    for (const file of ['src/config.js', 'src/payment.js', 'src/server.js']) execFileSync(process.execPath, ['--check', '-'], { input: await git(s.appRepo, ['show', `${rev}:${file}`]) });
  assert.is(JSON.parse(await git(s.appRepo, ['show', 'main:package.json'])).name, 'shop-api');
  assert.is.not(await git(s.appRepo, ['show', `${s.deployed.commit}:src/payment.js`]), await git(s.appRepo, ['show', 'main:src/payment.js']));
});

test('the app repo: a clean clone on main of its bare remote, with local branches for dev and feature/x', async () => {
  const s = await scenario();
  assert.is((await git(s.appRemote, ['rev-parse', '--is-bare-repository'])).trim(), 'true');
  assert.is((await git(s.appRepo, ['remote', 'get-url', 'origin'])).trim(), s.appRemote);
  assert.is((await git(s.appRepo, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/main');
  assert.is(await git(s.appRepo, ['status', '--porcelain']), '');
  assert.equal(lines(await git(s.appRepo, ['for-each-ref', '--format=%(refname:short) %(upstream:short)', 'refs/heads'])), ['dev origin/dev', 'feature/x origin/feature/x', 'main origin/main']);
  for (const repo of [s.appRepo, s.appRemote, s.configRepo, s.configRemote]) {
    const config = await git(repo, ['config', '--local', '--list']);
    for (const setting of ['gc.auto=0', 'commit.gpgsign=false', 'init.defaultbranch=main', 'user.name=', 'user.email=']) assert.ok(config.includes(setting), `${repo}: ${setting}`);
  }
});

test('the deployed commit: Release 1.4.0 about 70% down main, annotated tag v1.4.0, image tag main-<sha7>', async () => {
  const s = await scenario();
  assert.equal({ gitTag: s.deployed.gitTag, version: s.deployed.version, tag: s.deployed.tag }, { gitTag: 'v1.4.0', version: '1.4.0', tag: `main-${s.deployed.commit.slice(0, 7)}` });
  assert.is((await git(s.appRepo, ['cat-file', '-t', 'v1.4.0'])).trim(), 'tag');
  assert.is(await revParse(s.appRepo, 'v1.4.0^{commit}'), s.deployed.commit);
  assert.is((await git(s.appRepo, ['for-each-ref', '--format=%(taggername) %(taggerdate:unix)', 'refs/tags/v1.4.0'])).trim(), `Ana Lima ${Number((await git(s.appRepo, ['log', '-1', '--format=%ct', s.deployed.commit])).trim()) + 600}`);
  assert.is((await git(s.appRepo, ['log', '-1', '--format=%s', s.deployed.commit])).trim(), 'Release 1.4.0');
  assert.is(JSON.parse(await git(s.appRepo, ['show', `${s.deployed.commit}:package.json`])).version, '1.4.0');
  const position = Number((await git(s.appRepo, ['rev-list', '--count', s.deployed.commit])).trim()) / 60;
  assert.ok(position > 0.65 && position < 0.75, `deployed at ${position}`);
  assert.equal(lines(await git(s.appRepo, ['tag', '--merged', s.deployed.commit])), ['v1.1.0', 'v1.2.0', 'v1.3.0', 'v1.4.0']);
});

test('the clean fixes: on main after the deployed commit, touching files it has; each picks cleanly onto it, and both in turn', async () => {
  const s = await scenario();
  assert.equal(s.fixes.map((fix) => fix.subject), ['Fix rounding of refunds in payment.js', 'Reject expired sessions']);
  for (const fix of s.fixes) {
    assert.ok(await isAncestor(s.appRepo, s.deployed.commit, `${fix.commit}^`), 'after the deployed commit, not right after it');
    assert.ok(await isAncestor(s.appRepo, fix.commit, 'main'));
    assert.equal(lines(await git(s.appRepo, ['diff-tree', '--no-commit-id', '--name-only', '-r', fix.commit])), fix.files);
    for (const file of fix.files) await git(s.appRepo, ['cat-file', '-e', `${s.deployed.commit}:${file}`]);
    assert.equal(await pick(await throwaway(s, s.deployed.commit), fix.commit), [], fix.subject);
  }
  const repo = await throwaway(s, s.deployed.commit);
  for (const fix of s.fixes) assert.equal(await pick(repo, fix.commit), [], fix.subject);
  assert.match(await git(repo, ['show', 'HEAD~1:src/payment.js']), 'Math.round(order.totalCents * fraction)');
  assert.is(s.conflicting, undefined);
});

test('conflictingFix: a later fix that conflicts in the named file when picked onto the deployed commit', async () => {
  const s = await scenario({ conflictingFix: true });
  const conflicting = s.conflicting;
  if (!conflicting) throw new Error('no conflicting fix');
  assert.equal(conflicting.files, ['src/payment.js']);
  assert.ok(await isAncestor(s.appRepo, s.deployed.commit, conflicting.commit) && (await isAncestor(s.appRepo, conflicting.commit, 'main')));
  assert.equal(lines(await git(s.appRepo, ['diff-tree', '--no-commit-id', '--name-only', '-r', conflicting.commit])), conflicting.files);
  assert.equal(await pick(await throwaway(s, s.deployed.commit), conflicting.commit), conflicting.files);
  // It conflicts because of the deployed commit, not by itself: on main's history it applies.
  assert.equal(await pick(await throwaway(s, `${conflicting.commit}^`), conflicting.commit), []);
  const repo = await throwaway(s, s.deployed.commit);
  for (const fix of s.fixes) assert.equal(await pick(repo, fix.commit), [], fix.subject);
});

test('notOnMainline: a commit on feature/x only, forked from the deployed commit', async () => {
  const s = await scenario();
  await git(s.appRepo, ['cat-file', '-e', `${s.notOnMainline}^{commit}`]);
  assert.is(await revParse(s.appRepo, 'feature/x'), s.notOnMainline);
  assert.is(await revParse(s.appRepo, `${s.notOnMainline}^`), s.deployed.commit);
  assert.not.ok(await isAncestor(s.appRepo, s.notOnMainline, 'main'));
  assert.not.ok(await isAncestor(s.appRepo, s.notOnMainline, 'dev'));
});

test('dev: three commits on main head; a picked fix merges back cleanly into dev and main', async () => {
  const s = await scenario();
  assert.is(await revParse(s.appRepo, 'dev'), s.devHead);
  assert.is(lines(await git(s.appRepo, ['rev-list', 'main..dev'])).length, 3);
  assert.is((await git(s.appRepo, ['merge-base', 'main', 'dev'])).trim(), s.mainHead);
  assert.equal(await mergeBack(s, 'dev'), []);
  assert.equal(await mergeBack(s, 'main'), []);
});

test('mergeBackConflict: dev rewrote the fixed refund lines, so merging the hotfix into dev conflicts (main still merges)', async () => {
  const s = await scenario({ mergeBackConflict: true });
  assert.match(await git(s.appRepo, ['log', '--format=%s', 'main..dev']), 'Round half-cent refunds to even');
  assert.equal(await mergeBack(s, 'dev'), ['src/payment.js']);
  assert.equal(await mergeBack(s, 'main'), []);
  assert.is(await revParse(s.appRepo, 'main'), (await scenario()).mainHead, 'main is the same as without the option');
});

test('devBranch: false: no dev branch, and the policy merges back into main only', async () => {
  const s = await scenario({ devBranch: false });
  assert.is(s.devHead, undefined);
  assert.equal(lines(await git(s.appRemote, ['for-each-ref', '--format=%(refname)', 'refs/heads'])), ['refs/heads/feature/x', 'refs/heads/main']);
  assert.equal(parse(readFileSync(s.policyFile, 'utf8')).spec.hotfix.mergeBack, ['main']);
  await rejects(buildAppScenario(tempDir(), REGISTRY_HOST, { devBranch: false, mergeBackConflict: true }), /needs the dev branch/);
});

test('releaseBranch: a production line branch at the deployed commit, named as hotfix.release', async () => {
  const s = await scenario({ releaseBranch: 'production' });
  assert.is(await revParse(s.appRemote, 'refs/heads/production'), s.deployed.commit);
  assert.is(await revParse(s.appRepo, 'refs/heads/production'), s.deployed.commit);
  const hotfix = parse(readFileSync(s.policyFile, 'utf8')).spec.hotfix;
  assert.equal([hotfix.release, hotfix.mergeBack], ['production', ['main', 'dev']]);
  assert.equal(await mergeBack(s, 'production'), []);
});

test('the config repo: production declares the deployed tag, staging main head; a clean clone of its bare remote', async () => {
  const s = await scenario();
  const declared = async (env: string, rev = 'HEAD') => {
    const text = await git(s.configRepo, ['show', `${rev}:overlays/${env}/kustomization.yaml`]);
    assert.match(text, /^# shop-api in /);
    const images = (parse(text) as { images: Array<{ name: string; newTag: string }> }).images;
    assert.equal(images.map((image) => image.name), [s.image]);
    return images[0]?.newTag;
  };
  assert.is(await declared('production'), s.deployed.tag);
  assert.is(await declared('staging'), `main-${s.mainHead.slice(0, 7)}`);
  const v130 = await revParse(s.appRepo, 'v1.3.0^{commit}');
  const productionHistory = lines(await git(s.configRepo, ['log', '--format=%H', '--', 'overlays/production/kustomization.yaml']));
  assert.is(productionHistory.length, 2);
  assert.is(await declared('production', `${productionHistory[0]}^`), `main-${v130.slice(0, 7)}`, 'production ran 1.3.0 before');
  assert.is((await git(s.configRemote, ['rev-parse', '--is-bare-repository'])).trim(), 'true');
  assert.is((await git(s.configRepo, ['remote', 'get-url', 'origin'])).trim(), s.configRemote);
  assert.is((await git(s.configRepo, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/main');
  assert.is(await git(s.configRepo, ['status', '--porcelain']), '');
  assert.is(await revParse(s.configRemote, 'main'), await revParse(s.configRepo, 'HEAD'));
});

test('the cluster snapshot: production runs the deployed image', async () => {
  const s = await scenario();
  const list = JSON.parse(readFileSync(s.clusterStateFile, 'utf8')) as KubeList;
  const [deployment, ...pods] = list.items;
  assert.equal([deployment?.kind, deployment?.metadata.name, deployment?.metadata.namespace], ['Deployment', 'shop-api', 'shop']);
  assert.ok(JSON.stringify(deployment?.spec).includes(`"name":"api","image":"${s.image}:${s.deployed.tag}"`));
  assert.is(pods.length, 3);
});

test('the policy lints without errors through the built CLI, with the registry host given; its one warning is HF146', async () => {
  const [plain, release, noDev, local] = await Promise.all([
    scenario(),
    scenario({ releaseBranch: 'production' }),
    scenario({ devBranch: false }),
    buildAppScenario(tempDir(), '127.0.0.1:5000'),
  ]);
  for (const s of [plain, release, noDev, local]) {
    const one = runCli(['lint', s.policyFile]);
    assert.is(one.code, 0, one.stdout + one.stderr);
    // Seed 000's policy has tagFormat main-{sha7} and no hotfix.imageTag: the gate waits for
    // a main- tag of the hotfix head, as the hotfix tests' CI pushes it; lint says real CI does not.
    assert.match(one.stdout, /1 policy in 1 file: 0 errors, 1 warning/);
    assert.match(one.stdout + one.stderr, /HF146/);
  }
  assert.is(local.image, '127.0.0.1:5000/team/shop-api');
  const policy = parse(readFileSync(local.policyFile, 'utf8'));
  assert.equal(policy.spec.app, {
    repo: 'app',
    mainline: 'main',
    image: '127.0.0.1:5000/team/shop-api',
    tagFormat: 'main-{sha7}',
    revisionFrom: ['label', 'tag', 'gitTag'],
    gitTagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)$',
  });
  assert.ok(new RegExp(policy.spec.app.gitTagPattern).test('v1.4.0'));
  assert.equal(policy.spec.environments[1].config, { repo: 'deploy', branch: 'main', file: 'overlays/production/kustomization.yaml', locator: { kustomizeImage: local.image } });
  assert.match(await git(local.configRepo, ['show', 'HEAD:overlays/production/kustomization.yaml']), `- name: ${local.image}\n`);
});

test('the same options build the same commits; another seed another history with the same shape', async () => {
  const options = { conflictingFix: true, releaseBranch: 'production' };
  const [a, b, c] = await Promise.all([scenario(options), buildAppScenario(tempDir(), REGISTRY_HOST, options), scenario({ seed: 2 })]);
  const ids = (s: AppScenario) => ({ deployed: s.deployed, fixes: s.fixes, conflicting: s.conflicting, notOnMainline: s.notOnMainline, mainHead: s.mainHead, devHead: s.devHead });
  assert.equal(ids(b), ids(a));
  assert.is(await revParse(b.configRepo, 'HEAD'), await revParse(a.configRepo, 'HEAD'));
  assert.is.not(c.mainHead, (await scenario()).mainHead);
  for (const fix of c.fixes) assert.equal(await pick(await throwaway(c, c.deployed.commit), fix.commit), [], fix.subject);
});

test('options the history cannot have are refused', async () => {
  await rejects(buildAppScenario(tempDir(), REGISTRY_HOST, { commits: 19 }), /at least 20/);
  await rejects(buildAppScenario(tempDir(), REGISTRY_HOST, { commits: 60.5 }), /integer/);
});

test('the smallest history (20 commits) keeps every promise', async () => {
  const s = await scenario({ commits: 20, conflictingFix: true, mergeBackConflict: true });
  assert.is((await git(s.appRepo, ['rev-list', '--count', 'main'])).trim(), '20');
  for (const fix of s.fixes) assert.equal(await pick(await throwaway(s, s.deployed.commit), fix.commit), [], fix.subject);
  assert.equal(await pick(await throwaway(s, s.deployed.commit), s.conflicting?.commit ?? ''), ['src/payment.js']);
  assert.equal(await mergeBack(s, 'dev'), ['src/payment.js']);
});

test('100,000 commits build with the git processes 20 take: one fast-import per repository, whatever the history', async () => {
  const small = await counted('git', () => buildAppScenario(tempDir(), REGISTRY_HOST, { commits: 20, conflictingFix: true }));
  const { value: s, invocations } = await counted('git', () => buildAppScenario(tempDir(), REGISTRY_HOST, { commits: 100_000, conflictingFix: true }));
  assert.is(invocations.length, small.invocations.length, invocations.join('\n'));
  assert.is(invocations.filter((args) => args.startsWith('fast-import ')).length, 2, 'the app and the config repository');
  assert.is((await git(s.appRepo, ['rev-list', '--count', 'main'])).trim(), '100000');
  assert.is(await revParse(s.appRepo, 'v1.4.0^{commit}'), s.deployed.commit);
  for (const fix of s.fixes) assert.equal(await pick(await throwaway(s, s.deployed.commit), fix.commit), [], fix.subject);
});

test.run();
