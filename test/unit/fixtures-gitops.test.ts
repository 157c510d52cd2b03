import { rejects } from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeList } from '../../fixtures/cluster-snapshot.js';
import { git } from '../../fixtures/git.js';
import { buildGitopsScenario, type GitopsScenario, type GitopsScenarioOptions } from '../../fixtures/gitops-scenario.js';
import { counted } from '../helpers/counting-shim.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const KUSTOMIZATION = 'app/bases/kustomization.yaml';
const DEPLOYMENT = 'app/bases/deployment.yaml';
const AUTOMATION = 'clusters/prod/flux-system/image-update-automation.yaml';
const API_JS_LINE = 'flux-system:api-js:tag';
const AUTO_RELEASE = /^Auto-release registry\.example\.com\/team\/([a-z0-9-]+):(main-[0-9a-f]{7})$/;

const built = new Map<string, Promise<GitopsScenario>>();
/** Each distinct scenario is built once for the whole file. */
function scenario(options: GitopsScenarioOptions = {}): Promise<GitopsScenario> {
  const key = JSON.stringify(options);
  let promise = built.get(key);
  if (!promise) built.set(key, (promise = buildGitopsScenario(tempDir(), options)));
  return promise;
}

const show = (repo: string, rev: string, path: string): Promise<string> => git(repo, ['show', `${rev}:${path}`]);
async function apiJsTag(repo: string, rev: string): Promise<string> {
  const kustomization = parse(await show(repo, rev, KUSTOMIZATION)) as { images: Array<{ name: string; newTag: string }> };
  const entry = kustomization.images.find((image) => image.name === 'registry.example.com/team/api-js');
  if (!entry) throw new Error(`no api-js image at ${rev}`);
  return entry.newTag;
}
async function webTag(repo: string, rev: string): Promise<string> {
  const line = /image: registry\.example\.com\/team\/web:(\S+) # \{"\$imagepolicy": "flux-system:web"\}$/m.exec(await show(repo, rev, DEPLOYMENT));
  if (!line?.[1]) throw new Error(`no web marker line at ${rev}`);
  return line[1];
}
/** Oldest first: id, author, subject, body, and the files each commit changed. */
async function commits(repo: string, range = 'HEAD'): Promise<Array<{ id: string; author: string; subject: string; body: string; files: string[] }>> {
  const out = await git(repo, ['log', '--reverse', '--format=%x00%H%x1f%an%x1f%s%x1f%b%x1f', '--name-only', range]);
  return out
    .split('\0')
    .slice(1)
    .map((record) => {
      const [id = '', author = '', subject = '', body = '', names = ''] = record.split('\x1f');
      return { id, author, subject, body: body.trim(), files: names.split('\n').filter((name) => name !== '') };
    });
}

test('the default history: 300 Flux automation commits, human commits every 25, hourly dates from 2021', async () => {
  const s = await scenario();
  const all = await commits(s.configRepo);
  const auto = all.filter((c) => c.author === 'fluxcdbot');
  const human = all.filter((c) => c.author === 'Jane Doe');
  assert.is(auto.length, 300);
  assert.is(human.length, 1 + 12 + 1, 'the initial commit, one per 25 automation commits, one after api-js is deployed');
  assert.is(all.length, auto.length + human.length);
  for (const c of auto) {
    const [, image, tag] = AUTO_RELEASE.exec(c.subject) ?? [];
    assert.ok(image && tag, c.subject);
    assert.is(c.body, '[ci skip]');
    assert.equal(c.files, [image === 'web' ? DEPLOYMENT : KUSTOMIZATION], c.subject);
    const changed = await git(s.configRepo, ['diff', '--unified=0', `${c.id}^`, c.id]);
    assert.is(changed.split('\n').filter((line) => /^[-+] /.test(line)).length, 2, 'one line changed');
    assert.match(changed, new RegExp(`^\\+.*${tag} # \\{"\\$imagepolicy": "flux-system:${image}(:tag)?"\\}$`, 'm'));
  }
  const webShare = auto.filter((c) => c.subject.includes('/web:')).length / auto.length;
  assert.ok(webShare > 0.05 && webShare < 0.25, `about 1 in 8 automation commits bump web, got ${webShare}`);
  for (const c of human.slice(1)) assert.ok(c.files.length === 1 && ['README.md', 'app/bases/configmap.yaml'].includes(c.files[0] ?? ''), c.subject);
  const created = human[0]?.files ?? [];
  for (const file of ['README.md', 'app/bases/configmap.yaml', DEPLOYMENT, KUSTOMIZATION, AUTOMATION, 'clusters/prod/flux-system/images/web.yaml'])
    assert.ok(created.includes(file), `the initial commit adds ${file}`);
  assert.is(created.filter((file) => file.startsWith('clusters/prod/flux-system/images/')).length, 8 + 1, 'Flux image manifests for the 8 kustomization images and web');
  const dates = (await git(s.configRepo, ['log', '--reverse', '--format=%at %ct'])).trim().split('\n');
  dates.forEach((line, index) => assert.is(line, `${1609459200 + index * 3600} ${1609459200 + index * 3600}`));
});

test('the initial config: kustomization images with Flux markers, the web marker line, Flux manifests', async () => {
  const s = await scenario();
  const first = (await git(s.configRepo, ['rev-list', '--max-parents=0', 'HEAD'])).trim();
  const kustomization = await show(s.configRepo, first, KUSTOMIZATION);
  assert.match(kustomization, /^# /);
  const doc = parse(kustomization) as { resources: string[]; images: Array<{ name: string; newTag: string }> };
  assert.equal(doc.resources, ['deployment.yaml', 'configmap.yaml']);
  assert.is(doc.images.length, 8);
  for (const { name } of doc.images) {
    const short = name.replace('registry.example.com/team/', '');
    assert.match(kustomization, new RegExp(`^    newTag: main-[0-9a-f]{7} # \\{"\\$imagepolicy": "flux-system:${short}:tag"\\}$`, 'm'));
    const [repository, policy] = parseAllDocuments(await show(s.configRepo, 'HEAD', `clusters/prod/flux-system/images/${short}.yaml`)).map((d) => d.toJS());
    assert.is(repository.kind, 'ImageRepository');
    assert.is(repository.spec.image, name);
    assert.is(policy.apiVersion, 'image.toolkit.fluxcd.io/v1beta2');
    assert.is(policy.spec.imageRepositoryRef.name, short);
    assert.is(policy.spec.filterTags.pattern, '^main-[a-f0-9]+');
  }
  assert.ok(doc.images.some((image) => image.name === 'registry.example.com/team/api-js'));
  await webTag(s.configRepo, first);
  const automation = parse(await show(s.configRepo, 'HEAD', AUTOMATION));
  assert.equal(
    { kind: automation.kind, name: automation.metadata.name, namespace: automation.metadata.namespace, suspend: automation.spec.suspend },
    { kind: 'ImageUpdateAutomation', name: 'deploy', namespace: 'flux-system', suspend: undefined },
  );
  assert.is(automation.spec.git.checkout.ref.branch, 'main');
  assert.is(automation.spec.git.push.branch, 'main');
  assert.equal(automation.spec.git.commit.author, { name: 'fluxcdbot', email: 'fluxcdbot@users.noreply.github.com' });
  assert.equal(automation.spec.update, { path: './app', strategy: 'Setters' });
});

test('api-js facts: the deploying commit, its subject, current and previous tags, the whole deploy history', async () => {
  const s = await scenario();
  assert.is((await git(s.configRepo, ['log', '-1', '--format=%s', s.apiJs.deployingCommit])).trim(), s.apiJs.deployingSubject);
  assert.is(s.apiJs.deployingSubject, `Auto-release registry.example.com/team/api-js:${s.apiJs.currentTag}`);
  assert.is(await apiJsTag(s.configRepo, 'HEAD'), s.apiJs.currentTag);
  assert.is(await apiJsTag(s.configRepo, s.apiJs.deployingCommit), s.apiJs.currentTag);
  assert.is(await apiJsTag(s.configRepo, `${s.apiJs.deployingCommit}^`), s.apiJs.previousTag);
  assert.not.equal(s.apiJs.currentTag, s.apiJs.previousTag);
  // Independently of the builder: every commit whose diff touches api-js's line, newest first.
  const touching = (await git(s.configRepo, ['log', '--format=%H', '-G', API_JS_LINE, '--', KUSTOMIZATION])).trim().split('\n');
  assert.equal(s.apiJs.deployHistory.map((d) => d.commit), touching);
  assert.ok(s.apiJs.deployHistory.length >= 3, 'deployed several times');
  assert.equal(s.apiJs.deployHistory.slice(0, 2).map((d) => d.tag), [s.apiJs.currentTag, s.apiJs.previousTag]);
  for (const d of s.apiJs.deployHistory) assert.is(await apiJsTag(s.configRepo, d.commit), d.tag);
  // The last deployment is near the end, with automation and human commits after it.
  const after = await commits(s.configRepo, `${s.apiJs.deployingCommit}..HEAD`);
  assert.ok(after.length >= 2 && after.length <= 6, `${after.length} commits after the deployment`);
  assert.ok(after.some((c) => c.author === 'fluxcdbot') && after.some((c) => c.author === 'Jane Doe'));
});

test('web facts: its tag on the marker line in deployment.yaml', async () => {
  const s = await scenario();
  assert.is(await webTag(s.configRepo, 'HEAD'), s.web.currentTag);
  assert.is(await webTag(s.configRepo, s.web.deployingCommit), s.web.currentTag);
  assert.is(await webTag(s.configRepo, `${s.web.deployingCommit}^`), s.web.previousTag);
  assert.is((await git(s.configRepo, ['log', '-1', '--format=%s', s.web.deployingCommit])).trim(), `Auto-release registry.example.com/team/web:${s.web.currentTag}`);
});

test('the config repo is a clone on main, clean, up to date with its bare remote, with local git config', async () => {
  const s = await scenario();
  assert.is((await git(s.remote, ['rev-parse', '--is-bare-repository'])).trim(), 'true');
  assert.is((await git(s.configRepo, ['rev-parse', '--is-bare-repository'])).trim(), 'false');
  assert.is((await git(s.configRepo, ['remote', 'get-url', 'origin'])).trim(), s.remote);
  assert.is((await git(s.configRepo, ['symbolic-ref', 'HEAD'])).trim(), 'refs/heads/main');
  assert.is(await git(s.configRepo, ['status', '--porcelain']), '');
  const head = (await git(s.configRepo, ['rev-parse', 'HEAD'])).trim();
  assert.is((await git(s.remote, ['rev-parse', 'refs/heads/main'])).trim(), head);
  assert.is((await git(s.configRepo, ['rev-parse', 'refs/remotes/origin/main'])).trim(), head);
  for (const repo of [s.configRepo, s.remote]) {
    const config = await git(repo, ['config', '--local', '--list']);
    for (const setting of ['gc.auto=0', 'commit.gpgsign=false', 'init.defaultbranch=main', 'user.name=', 'user.email=']) assert.ok(config.includes(setting), `${repo}: ${setting}`);
  }
});

test('the policy files lint clean and name the scenario repo, files and locators', async () => {
  const s = await scenario();
  const r = runCli(['lint', s.policyFile, s.markerPolicyFile]);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /2 policies in 2 files: 0 errors, 0 warnings/);
  const apiJs = parse(readFileSync(s.policyFile, 'utf8'));
  assert.equal(apiJs.spec.environments[0].config, { repo: 'deploy', branch: 'main', file: KUSTOMIZATION, locator: { kustomizeImage: s.image } });
  assert.is(apiJs.spec.environments[0].automation.flux.onRollback, 'suspend');
  const web = parse(readFileSync(s.markerPolicyFile, 'utf8'));
  assert.equal(web.spec.environments[0].config.locator, { fluxImagePolicy: 'flux-system:web' });
  assert.is(web.spec.rollback.method, 'set-previous');
});

test('the cluster snapshot runs the declared api-js tag', async () => {
  const s = await scenario();
  const list = JSON.parse(readFileSync(s.clusterStateFile, 'utf8')) as KubeList;
  const [deployment, ...pods] = list.items;
  assert.is(deployment?.kind, 'Deployment');
  assert.is(JSON.stringify(deployment?.spec).includes(`"image":"${s.image}:${s.apiJs.currentTag}"`), true);
  assert.is(pods.length, 3);
  for (const pod of pods) assert.match(JSON.stringify(pod.status), new RegExp(`"imageID":"${s.image}@sha256:[0-9a-f]{64}"`));
});

test('the same seed builds the same commits; another seed another history', async () => {
  const [a, b, c] = await Promise.all([scenario(), buildGitopsScenario(tempDir()), scenario({ seed: 2 })]);
  assert.is(b.apiJs.deployingCommit, a.apiJs.deployingCommit);
  assert.is((await git(b.configRepo, ['rev-parse', 'HEAD'])).trim(), (await git(a.configRepo, ['rev-parse', 'HEAD'])).trim());
  assert.is.not(c.apiJs.currentTag, a.apiJs.currentTag);
});

test('bundleDeployingCommit: the deploying commit is a human one that also bumps another image and edits configmap.yaml', async () => {
  const s = await scenario({ bundleDeployingCommit: true });
  const [deploying] = await commits(s.configRepo, `${s.apiJs.deployingCommit}^!`);
  assert.is(deploying?.author, 'Jane Doe');
  assert.is(deploying?.subject, s.apiJs.deployingSubject);
  assert.equal(deploying?.files, ['app/bases/configmap.yaml', KUSTOMIZATION]);
  const kustomizationDiff = await git(s.configRepo, ['diff', '--unified=0', `${s.apiJs.deployingCommit}^`, s.apiJs.deployingCommit, '--', KUSTOMIZATION]);
  const added = kustomizationDiff.split('\n').filter((line) => line.startsWith('+ '));
  assert.is(added.length, 2, 'two images bumped');
  assert.ok(added.some((line) => line.includes(`${s.apiJs.currentTag} # {"$imagepolicy": "${API_JS_LINE}"}`)));
  assert.is(await apiJsTag(s.configRepo, `${s.apiJs.deployingCommit}^`), s.apiJs.previousTag);
});

test('touchDeployedLine: a later human commit edits the api-js line, tag unchanged', async () => {
  const s = await scenario({ touchDeployedLine: true });
  const touching = await git(s.configRepo, ['log', '--format=%H %an', '-G', API_JS_LINE, `${s.apiJs.deployingCommit}..HEAD`, '--', KUSTOMIZATION]);
  const [touch, ...more] = touching.trim().split('\n');
  assert.is(more.length, 0);
  assert.match(touch ?? '', / Jane Doe$/);
  assert.is(await apiJsTag(s.configRepo, 'HEAD'), s.apiJs.currentTag);
  assert.match(await show(s.configRepo, 'HEAD', KUSTOMIZATION), new RegExp(`newTag: ${s.apiJs.currentTag} # \\{"\\$imagepolicy": "${API_JS_LINE}"\\} # .+$`, 'm'));
  assert.is(s.apiJs.deployHistory[0]?.commit, s.apiJs.deployingCommit, 'the edit is not a deployment');
});

test('automationSuspended: a last human commit suspends the ImageUpdateAutomation', async () => {
  const s = await scenario({ automationSuspended: true });
  const [last] = await commits(s.configRepo, 'HEAD^!');
  assert.equal(last && [last.author, last.files], ['Jane Doe', [AUTOMATION]]);
  assert.is(parse(await show(s.configRepo, 'HEAD', AUTOMATION)).spec.suspend, true);
  assert.is(parse(await show(s.configRepo, 'HEAD^', AUTOMATION)).spec.suspend, undefined);
});

test('clusterTag: the snapshot runs another tag than the config declares (drift)', async () => {
  const s = await scenario({ clusterTag: 'main-0000000' });
  const snapshot = readFileSync(s.clusterStateFile, 'utf8');
  assert.ok(snapshot.includes(`"image": "${s.image}:main-0000000"`));
  assert.not.ok(snapshot.includes(s.apiJs.currentTag));
});

test('options: fewer images, fewer human commits; impossible ones are refused', async () => {
  const s = await scenario({ images: 2, humanEvery: 100, automationCommits: 40 });
  assert.is((parse(await show(s.configRepo, 'HEAD', KUSTOMIZATION)) as { images: unknown[] }).images.length, 2);
  assert.is((await git(s.configRepo, ['rev-list', '--count', 'HEAD'])).trim(), String(1 + 40 + 1));
  await rejects(buildGitopsScenario(tempDir(), { automationCommits: 9 }), /at least 10/);
  await rejects(buildGitopsScenario(tempDir(), { images: 1, bundleDeployingCommit: true }), /images >= 2/);
});

test('5000 automation commits build with the git processes 10 take: one fast-import, whatever the history', async () => {
  const small = await counted('git', () => buildGitopsScenario(tempDir(), { automationCommits: 10 }));
  const { value: s, invocations } = await counted('git', () => buildGitopsScenario(tempDir(), { automationCommits: 5000 }));
  assert.is(invocations.length, small.invocations.length, invocations.join('\n'));
  assert.is(invocations.filter((args) => args.startsWith('fast-import ')).length, 1);
  assert.is((await git(s.configRepo, ['rev-list', '--count', 'HEAD'])).trim(), String(1 + 5000 + 200 + 1));
});

test.run();
