import { rejects } from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeList } from '../../fixtures/cluster-snapshot.js';
import { git } from '../../fixtures/git.js';
import { buildPrdNopScenario, type PrdNopOptions, type PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import { counted } from '../helpers/counting-shim.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const REGISTRY_HOST = 'registry.example.com';
const KUSTOMIZATION = 'deploy/kustomization.yaml';
const CONFIG_MAP = 'deploy/configmap.yaml';

const built = new Map<string, Promise<PrdNopScenario>>();
/** Each distinct scenario is built once for the whole file. */
function scenario(options: PrdNopOptions = {}): Promise<PrdNopScenario> {
  const key = JSON.stringify(options);
  let promise = built.get(key);
  if (!promise) built.set(key, (promise = buildPrdNopScenario(tempDir(), REGISTRY_HOST, options)));
  return promise;
}

const revParse = async (repo: string, rev: string): Promise<string> => (await git(repo, ['rev-parse', rev])).trim();
const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');
const committed = async (repo: string, rev: string): Promise<number> => Number((await git(repo, ['log', '-1', '--format=%ct', rev])).trim());

/** The newTag the kustomization declares for the scenario's image at `rev`. */
async function declaredTag(s: PrdNopScenario, rev: string): Promise<string | undefined> {
  const images = (parse(await git(s.configRepo, ['show', `${rev}:${KUSTOMIZATION}`])) as { images: Array<{ name: string; newTag: string }> }).images;
  return images.find((image) => image.name === s.image)?.newTag;
}

async function configMapData(s: PrdNopScenario, rev: string): Promise<Record<string, string>> {
  return (parse(await git(s.configRepo, ['show', `${rev}:${CONFIG_MAP}`])) as { data: Record<string, string> }).data;
}

/** Read from git alone: the prd commit that introduced `newTag: "1.4.0"`, and its committer date. */
async function prdDeploy(s: PrdNopScenario): Promise<{ commit: string; at: number }> {
  const introduced = lines(await git(s.configRepo, ['log', '--format=%H', '-S', 'newTag: "1.4.0"', 'prd', '--', KUSTOMIZATION]));
  assert.is(introduced.length, 1, 'prd got 1.4.0 once');
  const commit = introduced[0] ?? '';
  return { commit, at: await committed(s.configRepo, commit) };
}

/** Read from git alone: the baseline `match: image` must find (or undefined) and the one `match: time` must find. */
async function expectedBaselines(s: PrdNopScenario): Promise<{ image?: string; time: string }> {
  const { at } = await prdDeploy(s);
  let image: string | undefined;
  for (const commit of lines(await git(s.configRepo, ['log', '--format=%H', `--before=@${at - 1}`, 'nop']))) {
    if ((await declaredTag(s, commit)) !== '1.4.0') continue;
    image = commit;
    break;
  }
  const time = (await git(s.configRepo, ['log', '-1', '--format=%H', `--before=@${at}`, 'nop'])).trim();
  return { ...(image === undefined ? {} : { image }), time };
}

test('the config repo: nop checked out, a local prd, both as on the bare remote, whose HEAD is nop; prd forks from nop first commit', async () => {
  const s = await scenario();
  assert.is((await git(s.configRemote, ['rev-parse', '--is-bare-repository'])).trim(), 'true');
  assert.is((await git(s.configRemote, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/nop');
  assert.is((await git(s.configRepo, ['remote', 'get-url', 'origin'])).trim(), s.configRemote);
  assert.is((await git(s.configRepo, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/nop');
  assert.is(await git(s.configRepo, ['status', '--porcelain']), '');
  assert.equal(lines(await git(s.configRepo, ['for-each-ref', '--format=%(refname:short) %(upstream:short)', 'refs/heads'])), ['nop origin/nop', 'prd origin/prd']);
  assert.equal(lines(await git(s.configRemote, ['for-each-ref', '--format=%(refname)', 'refs/heads'])), ['refs/heads/nop', 'refs/heads/prd']);
  for (const repo of [s.configRepo, s.configRemote]) {
    assert.is(await revParse(repo, 'refs/heads/nop'), s.nop.head);
    assert.is(await revParse(repo, 'refs/heads/prd'), s.prd.head);
  }
  const root = lines(await git(s.configRepo, ['rev-list', '--max-parents=0', 'nop']));
  assert.equal(lines(await git(s.configRepo, ['rev-list', '--max-parents=0', 'prd'])), root);
  assert.equal([(await git(s.configRepo, ['merge-base', 'nop', 'prd'])).trim()], root);
  assert.is(await declaredTag(s, root[0] ?? ''), '1.3.0');
  assert.is((await git(s.configRepo, ['rev-list', '--count', 'nop'])).trim(), '12');
  for (const repo of [s.appRepo, s.appRemote, s.configRepo, s.configRemote]) {
    const config = await git(repo, ['config', '--local', '--list']);
    for (const setting of ['gc.auto=0', 'commit.gpgsign=false', 'init.defaultbranch=main', 'user.name=', 'user.email=']) assert.ok(config.includes(setting), `${repo}: ${setting}`);
  }
});

test('the config repo: committer dates increase along each branch; both branches deploy the same kustomize directory', async () => {
  const s = await scenario();
  for (const branch of ['nop', 'prd']) {
    const dates = lines(await git(s.configRepo, ['log', '--reverse', '--format=%ct', branch])).map(Number);
    dates.forEach((date, index) => index > 0 && assert.ok(date > (dates[index - 1] ?? 0), `${branch}: dates increase`));
    assert.equal(lines(await git(s.configRepo, ['ls-tree', '-r', '--name-only', branch])), ['README.md', CONFIG_MAP, 'deploy/deployment.yaml', KUSTOMIZATION]);
  }
});

test('prd: its head declares 1.4.0, and deployingCommit is the commit that introduced it (not the head), with prd-only settings', async () => {
  const s = await scenario();
  assert.is(await declaredTag(s, 'prd'), '1.4.0');
  assert.is((await prdDeploy(s)).commit, s.prd.deployingCommit);
  assert.equal(lines(await git(s.configRepo, ['log', '--format=%H', '-G', 'newTag:', 'prd', '--', KUSTOMIZATION])), [s.prd.deployingCommit, ...lines(await git(s.configRepo, ['rev-list', '--max-parents=0', 'prd']))]);
  assert.is.not(s.prd.head, s.prd.deployingCommit);
  assert.is(await declaredTag(s, `${s.prd.deployingCommit}^`), '1.3.0');
  const replicas = async (rev: string) => (parse(await git(s.configRepo, ['show', `${rev}:deploy/deployment.yaml`])) as { spec: { replicas: number } }).spec.replicas;
  assert.equal([await replicas(`${s.prd.deployingCommit}^`), await replicas(s.prd.deployingCommit), await replicas('nop')], [3, 4, 1]);
  // Production went live some days after nop got the release.
  const nopGot = lines(await git(s.configRepo, ['log', '--reverse', '--format=%H', '-S', 'newTag: "1.4.0"', 'nop', '--', KUSTOMIZATION]))[0] ?? '';
  const days = ((await committed(s.configRepo, s.prd.deployingCommit)) - (await committed(s.configRepo, nopGot))) / 86_400;
  assert.ok(days >= 2 && days <= 5, `${days} days`);
});

test('nop.baseline: the last nop commit with 1.4.0 before prd deployed it: neither the first 1.4.0 commit nor the last', async () => {
  const s = await scenario();
  const expected = await expectedBaselines(s);
  assert.ok(s.nop.baseline !== undefined);
  assert.is(s.nop.baseline, expected.image);
  assert.is(await declaredTag(s, s.nop.baseline), '1.4.0');
  const withRelease = [];
  for (const commit of lines(await git(s.configRepo, ['rev-list', '--reverse', 'nop']))) if ((await declaredTag(s, commit)) === '1.4.0') withRelease.push(commit);
  assert.ok(withRelease.length >= 4, 'nop ran 1.4.0 for several commits');
  assert.is.not(withRelease[0], s.nop.baseline, 'commits that do not touch the image follow the release on nop');
  assert.is.not(withRelease.at(-1), s.nop.baseline, 'nop kept 1.4.0 for a commit after prd deployed it');
  assert.ok((await committed(s.configRepo, withRelease.at(-1) ?? '')) > (await prdDeploy(s)).at);
  // Between the release on nop and the baseline, the kustomization did not change.
  assert.equal(lines(await git(s.configRepo, ['log', '--format=%H', `${withRelease[0]}..${s.nop.baseline}`, '--', KUSTOMIZATION])), []);
});

test('nop.timeBaseline: nop as of prd deploying 1.4.0; here the same commit as the baseline', async () => {
  const s = await scenario();
  const expected = await expectedBaselines(s);
  assert.is(s.nop.timeBaseline, expected.time);
  assert.is(s.nop.timeBaseline, s.nop.baseline);
  const after = lines(await git(s.configRepo, ['rev-list', '--reverse', `${s.nop.timeBaseline}..nop`]))[0] ?? '';
  assert.ok((await committed(s.configRepo, after)) > (await prdDeploy(s)).at, 'the next nop commit is after the deploy');
});

test('the removed setting: in nop configmap at the baseline, removed on nop after prd deployed, replaced by NEW_PAYMENT_SERVICE_URL', async () => {
  const s = await scenario();
  const { file, key, value } = s.nop.removedSetting;
  assert.equal([file, key], [CONFIG_MAP, 'PARTNER_ENDPOINT']);
  assert.is((await configMapData(s, s.nop.baseline ?? ''))[key], value);
  const head = await configMapData(s, 'nop');
  assert.is(head[key], undefined);
  assert.ok(head.NEW_PAYMENT_SERVICE_URL?.startsWith('http'));
  assert.ok((await configMapData(s, 'prd'))[key]?.startsWith('https://'), 'production still has its own endpoint');
  const removal = lines(await git(s.configRepo, ['log', '--format=%H', '-S', key, 'nop', '--', file]))[0] ?? '';
  assert.ok((await committed(s.configRepo, removal)) > (await prdDeploy(s)).at);
  assert.match(await declaredTag(s, 'nop') ?? '', /^1\.5\.0-rc\.1$/);
});

test('changedSince equals git diff --name-only from the baseline to nop', async () => {
  const s = await scenario();
  assert.equal([...s.nop.changedSince], lines(await git(s.configRepo, ['diff', '--name-only', s.nop.baseline ?? '', 'nop'])));
  assert.ok(s.nop.changedSince.includes(CONFIG_MAP) && s.nop.changedSince.includes(KUSTOMIZATION));
});

test('neverInNop: nop goes from 1.3.0 to 1.5.0-rc.1, so there is no baseline; timeBaseline and the rest still hold', async () => {
  const s = await scenario({ neverInNop: true });
  assert.is(s.nop.baseline, undefined);
  assert.equal(await expectedBaselines(s), { time: s.nop.timeBaseline });
  const tags = new Set<string | undefined>();
  for (const commit of lines(await git(s.configRepo, ['rev-list', 'nop']))) tags.add(await declaredTag(s, commit));
  assert.equal([...tags].sort(), ['1.3.0', '1.5.0-rc.1']);
  assert.is(await declaredTag(s, s.nop.timeBaseline), '1.3.0');
  assert.is((await prdDeploy(s)).commit, s.prd.deployingCommit);
  assert.is((await git(s.configRepo, ['rev-list', '--count', 'nop'])).trim(), '12');
  assert.equal([...s.nop.changedSince], lines(await git(s.configRepo, ['diff', '--name-only', s.nop.timeBaseline, 'nop'])));
  assert.is((await configMapData(s, s.nop.timeBaseline))[s.nop.removedSetting.key], s.nop.removedSetting.value);
  assert.is((await configMapData(s, 'nop'))[s.nop.removedSetting.key], undefined);
});

test('nopCommits: nop has that many commits and keeps every promise; fewer than 7 are refused', async () => {
  for (const nopCommits of [7, 25]) {
    const s = await scenario({ nopCommits });
    assert.is((await git(s.configRepo, ['rev-list', '--count', 'nop'])).trim(), String(nopCommits));
    const expected = await expectedBaselines(s);
    assert.equal([s.nop.baseline, s.nop.timeBaseline], [expected.image, expected.time], `nopCommits ${nopCommits}`);
    assert.is((await configMapData(s, s.nop.baseline ?? ''))[s.nop.removedSetting.key], s.nop.removedSetting.value);
    assert.equal([...s.nop.changedSince], lines(await git(s.configRepo, ['diff', '--name-only', s.nop.baseline ?? '', 'nop'])));
  }
  await rejects(buildPrdNopScenario(tempDir(), REGISTRY_HOST, { nopCommits: 6 }), /at least 7/);
  await rejects(buildPrdNopScenario(tempDir(), REGISTRY_HOST, { nopCommits: 12.5 }), /integer/);
});

test('kubectl kustomize renders nop at the baseline with 1.4.0 and the partner endpoint, as the plan will render it', async () => {
  const s = await scenario();
  const render = async (rev: string) => {
    const dir = join(tempDir(), 'deploy');
    mkdirSync(dir);
    for (const path of lines(await git(s.configRepo, ['ls-tree', '--name-only', `${rev}:deploy`]))) writeFileSync(join(dir, path), await git(s.configRepo, ['show', `${rev}:deploy/${path}`]));
    const objects = parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' })).map((doc) => doc.toJS());
    const deployment = objects.find((o) => o.kind === 'Deployment');
    const configMap = objects.find((o) => o.kind === 'ConfigMap');
    return { image: deployment.spec.template.spec.containers[0].image, namespace: deployment.metadata.namespace, data: configMap.data };
  };
  const baseline = await render(s.nop.baseline ?? '');
  assert.equal([baseline.image, baseline.namespace], [`${s.image}:1.4.0`, 'billing']);
  assert.is(baseline.data.PARTNER_ENDPOINT, s.nop.removedSetting.value);
  const today = await render('nop');
  assert.is(today.image, `${s.image}:1.5.0-rc.1`);
  assert.is(today.data.PARTNER_ENDPOINT, undefined);
  assert.is((await render('prd')).image, `${s.image}:1.4.0`);
});

test('the app repo: releases tagged v1.3.0 and v1.4.0, the deployed commit is v1.4.0, the fixes follow it on main; no dev branch', async () => {
  const s = await scenario();
  assert.equal([s.deployed.version, s.deployed.tag], ['1.4.0', '1.4.0']);
  assert.is(await revParse(s.appRepo, 'v1.4.0^{commit}'), s.deployed.commit);
  assert.is(JSON.parse(await git(s.appRepo, ['show', `${s.deployed.commit}:package.json`])).version, '1.4.0');
  assert.ok(lines(await git(s.appRepo, ['tag', '--merged', s.deployed.commit])).includes('v1.3.0'));
  assert.equal(lines(await git(s.appRemote, ['for-each-ref', '--format=%(refname)', 'refs/heads'])), ['refs/heads/feature/x', 'refs/heads/main']);
  assert.is(s.fixes.length, 2);
  for (const fix of s.fixes) {
    await git(s.appRepo, ['merge-base', '--is-ancestor', s.deployed.commit, `${fix.commit}^`]);
    await git(s.appRepo, ['merge-base', '--is-ancestor', fix.commit, 'main']);
    assert.equal(lines(await git(s.appRepo, ['diff-tree', '--no-commit-id', '--name-only', '-r', fix.commit])), fix.files);
  }
  // The config repo deployed each version after the app released it.
  assert.ok((await committed(s.configRepo, s.prd.deployingCommit)) > (await committed(s.appRepo, s.deployed.commit)));
});

test('the cluster snapshot: production runs image:1.4.0 in deployment/billing, container service, with prd replicas', async () => {
  const s = await scenario();
  const [deployment, ...pods] = (JSON.parse(readFileSync(s.clusterStateFile, 'utf8')) as KubeList).items;
  assert.equal([deployment?.kind, deployment?.metadata.name, deployment?.metadata.namespace], ['Deployment', 'billing', 'billing']);
  assert.ok(JSON.stringify(deployment?.spec).includes(`"name":"service","image":"${s.image}:1.4.0"`));
  assert.is(pods.length, 4);
});

test('the policy lints clean through the built CLI and names the branches, the file and the image of the scenario', async () => {
  const [s, local] = await Promise.all([scenario(), buildPrdNopScenario(tempDir(), '127.0.0.1:5000')]);
  for (const policy of [s, local]) {
    const result = runCli(['lint', policy.policyFile]);
    assert.is(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 policy in 1 file: 0 errors, 0 warnings/);
  }
  assert.is(local.image, '127.0.0.1:5000/billing/service');
  const spec = parse(readFileSync(local.policyFile, 'utf8')).spec;
  assert.equal(spec.app, { repo: 'app', image: local.image, tagFormat: '{version}', revisionFrom: ['label', 'gitTag'], gitTagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)$' });
  assert.is(new RegExp(spec.app.gitTagPattern).exec('v1.4.0')?.groups?.version, '1.4.0');
  const [nop, production] = spec.environments;
  assert.equal(nop, {
    name: 'nop',
    order: 1,
    config: { repo: 'deploy', branch: 'nop', file: KUSTOMIZATION, locator: { kustomizeImage: local.image } },
    baselineFor: 'production',
    baseline: { match: 'image', ifMissing: 'refuse' },
  });
  assert.equal(production.config, { ...nop.config, branch: 'prd' });
  assert.equal(production.cluster, { context: 'ocp-prd', namespace: 'billing', workload: 'deployment/billing', container: 'service' });
  assert.equal(spec.hotfix.mergeBack, ['main']);
  assert.equal(spec.git, { push: true });
  assert.is(await declaredTag(local, 'prd'), '1.4.0');
});

test('the same options build the same commits; another seed another nop history with the same shape', async () => {
  const ids = (s: PrdNopScenario) => ({ deployed: s.deployed, fixes: s.fixes, prd: s.prd, nop: s.nop });
  const [a, b, c] = await Promise.all([scenario(), buildPrdNopScenario(tempDir(), REGISTRY_HOST), scenario({ seed: 2 })]);
  assert.equal(ids(b), ids(a));
  assert.is(await revParse(b.appRepo, 'main'), await revParse(a.appRepo, 'main'));
  assert.is.not(c.nop.head, a.nop.head);
  assert.is.not(c.deployed.commit, a.deployed.commit);
  const expected = await expectedBaselines(c);
  assert.equal([c.nop.baseline, c.nop.timeBaseline], [expected.image, expected.time]);
});

test('a longer nop history builds with the same git processes: one fast-import per repository', async () => {
  const usual = await counted('git', () => buildPrdNopScenario(tempDir(), REGISTRY_HOST));
  const { value: s, invocations } = await counted('git', () => buildPrdNopScenario(tempDir(), REGISTRY_HOST, { nopCommits: 300 }));
  assert.is(invocations.length, usual.invocations.length, invocations.join('\n'));
  assert.is(invocations.filter((args) => args.startsWith('fast-import ')).length, 2, 'the app and the config repository');
  assert.is((await git(s.configRepo, ['rev-list', '--count', 'nop'])).trim(), '300');
});

test.run();
