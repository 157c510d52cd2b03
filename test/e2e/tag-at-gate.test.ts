// A hotfix whose image tag CI completes only when it builds: Flux's sortable tags
// (fluxcd.io image-automation guide, "How to make sortable image tags":
// ${GITHUB_REF##*/}-${GITHUB_SHA::8}-$(date +%s)) and GitHub's run number
// (${{ github.sha }}-${{ github.run_number }}). The plan leaves {timestamp} / {build} to the
// gate; apply lists the registry's tags, takes the newest build of the hotfix head that fits,
// and deploys exactly the reviewed diff with that tag.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../fixtures/git.js';
import { buildAppScenario, type AppScenario, type AppScenarioOptions } from '../../fixtures/app-scenario.js';
import { buildPrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { MAX_LABELS_READ } from '../../src/apply/check-gate.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

const registry = registryForFile(test);

const unixSeconds = (date: Date) => Math.floor(date.getTime() / 1000);
const FLUX_SORTABLE: AppScenarioOptions['ci'] = { tagFormat: '{branch}-{sha8}-{timestamp}', revisionFrom: '[tag]', tag: (sha, built) => `main-${sha.slice(0, 8)}-${unixSeconds(built)}` };
const RUN_NUMBER: AppScenarioOptions['ci'] = { tagFormat: '{sha7}-{build}', revisionFrom: '[tag]', tag: (sha, built) => `${sha.slice(0, 7)}-${unixSeconds(built) % 997}` };

const planArgs = (s: AppScenario, file: string) => ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file];
const applyArgs = (s: AppScenario, file: string) => ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', file];
const KUSTOMIZATION = 'overlays/production/kustomization.yaml';

type Gate = Extract<Action, { kind: 'gate' }>;
type Commit = Extract<Action, { kind: 'commit' }>;

async function planned(s: AppScenario) {
  const file = join(s.root, 'plan.json');
  const r = await runCliAsync(planArgs(s, file), { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
  const branch = (plan.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  return { file, plan, head, branch, gate: plan.actions.find((a): a is Gate => a.kind === 'gate')!, deploy: plan.actions.find((a): a is Commit => a.kind === 'commit' && a.purpose === 'deploy-hotfix')! };
}

test('Flux sortable tags: the plan leaves {timestamp} to the gate, which takes the newest build of the hotfix head; the deploy is the reviewed diff with that tag', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: FLUX_SORTABLE });
  const { file, plan, head, branch, gate, deploy } = await planned(s);
  const pattern = `${branch.replace(/\//g, '-')}-${head.slice(0, 8)}-{timestamp}`;
  assert.is(gate.tagAtGate, pattern);
  assert.is(gate.image, `${s.image}:${pattern}`);
  assert.equal(deploy.tagFromGate?.pattern, pattern);
  assert.ok(deploy.changes[0]!.diff.includes(`+    newTag: ${pattern}`), deploy.changes[0]!.diff);
  const shown = await runCliAsync(['show', file], { cwd: s.root });
  assert.is(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(`tag decided at the gate: ${pattern}. CI gives {timestamp} only when it builds`), shown.stdout);

  const waiting = await runCliAsync(applyArgs(s, file), { cwd: s.root });
  assert.is(waiting.code, 3, waiting.stderr);
  assert.match(waiting.stderr, /no tag of .*team\/shop-api fits .*-\{timestamp\} yet \(\d+ tags? listed\).*\[HF410\]/);

  // Two builds of the head (CI re-run), a newer one of another commit under the same pattern's
  // prefix would not fit ({sha8} differs), and a newer tag that fits but carries another revision.
  const at = (seconds: number) => pattern.replace('{timestamp}', String(seconds));
  const [older, newer, wrongLabel] = [at(1795358405), at(1795358999), at(1795359500)];
  await pushImage(registry.host, { name: 'team/shop-api', tag: older, labels: { [REVISION]: head } });
  await pushImage(registry.host, { name: 'team/shop-api', tag: newer, labels: { [REVISION]: head } });
  await pushImage(registry.host, { name: 'team/shop-api', tag: wrongLabel, labels: { [REVISION]: s.deployed.commit } });
  await pushImage(registry.host, { name: 'team/shop-api', tag: `${pattern.replace(/-\{timestamp\}$/, '')}-latest`, labels: { [REVISION]: head } });

  const done = await runCliAsync(applyArgs(s, file), { cwd: s.root });
  assert.is(done.code, 0, done.stderr);
  assert.ok(done.stdout.includes(`tag decided at the gate: ${newer}, the newest registry tag that fits ${pattern} built from ${head.slice(0, 7)} (also fitting: ${wrongLabel}, ${older}); recorded in the journal`), done.stdout);
  const deployed = (await git(s.configRemote, ['rev-parse', 'main'])).trim();
  assert.match(done.stdout, new RegExp(`deploy-hotfix is made with it: ${deployed.slice(0, 7)} instead of the planned ${deploy.commit.slice(0, 7)}`));
  assert.is.not(deployed, deploy.commit);

  // The applied diff is the reviewed one with the pattern filled in, and nothing else.
  const diff = await git(s.configRemote, ['diff', `${deploy.parent}..${deployed}`, '--', KUSTOMIZATION]);
  const body = (d: string) => d.slice(d.indexOf('@@'));
  assert.is(body(diff), body(deploy.changes[0]!.diff).replaceAll(pattern, newer));
  assert.is((await git(s.configRemote, ['log', '-1', '--format=%B', deployed])).trimEnd(), deploy.message.replaceAll(pattern, newer).trimEnd());

  // show prints what the journal recorded; a second apply has nothing to do.
  const after = await runCliAsync(['show', file], { cwd: s.root });
  assert.ok(after.stdout.includes(`gate took the tag ${newer}, the newest that fits ${pattern} (also fitting: ${wrongLabel}, ${older})`), after.stdout);
  assert.ok(after.stdout.includes(`deploy-hotfix was applied with ${newer} as ${deployed}, not as the planned ${deploy.commit}`), after.stdout);
  const again = await runCliAsync(applyArgs(s, file), { cwd: s.root });
  assert.is(again.code, 0, again.stderr);
  assert.is((await git(s.configRemote, ['rev-parse', 'main'])).trim(), deployed);
});

test('a run number: {sha7}-{build} is decided at the gate too, the highest build number taken', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: RUN_NUMBER });
  const { file, head, gate } = await planned(s);
  const pattern = `${head.slice(0, 7)}-{build}`;
  assert.is(gate.tagAtGate, pattern);
  // Build 10 is newer than build 9, though it sorts first as text.
  for (const build of ['9', '10']) await pushImage(registry.host, { name: 'team/shop-api', tag: `${head.slice(0, 7)}-${build}`, labels: { [REVISION]: head } });
  const done = await runCliAsync(applyArgs(s, file), { cwd: s.root });
  assert.is(done.code, 0, done.stderr);
  const deployedFile = await git(s.configRemote, ['show', `main:${KUSTOMIZATION}`]);
  assert.ok(deployedFile.includes(`newTag: ${head.slice(0, 7)}-10`), deployedFile);
});

test('killed after the gate took its tag: the rerun deploys the journalled tag, not a newer build pushed since', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: FLUX_SORTABLE });
  const { file, gate } = await planned(s);
  const first = gate.tagAtGate!.replace('{timestamp}', '1795358405');
  await pushImage(registry.host, { name: 'team/shop-api', tag: first, labels: { [REVISION]: gate.revision } });
  const killed = await runCliAsync(applyArgs(s, file), { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: 'gate:recorded' } });
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  assert.ok(killed.stdout.includes(`tag decided at the gate: ${first},`), killed.stdout);
  await pushImage(registry.host, { name: 'team/shop-api', tag: gate.tagAtGate!.replace('{timestamp}', '1795359999'), labels: { [REVISION]: gate.revision } });
  const rerun = await runCliAsync(applyArgs(s, file), { cwd: s.root });
  assert.is(rerun.code, 0, rerun.stderr);
  assert.not.match(rerun.stdout, /tag decided at the gate: \S+-[0-9]{10}, the newest/, 'the gate decides no tag again');
  const deployedFile = await git(s.configRemote, ['show', `main:${KUSTOMIZATION}`]);
  assert.ok(deployedFile.includes(`newTag: ${first}`), deployedFile);
});

test('a baseline config branch, made before the gate, cannot hold a tag the gate decides: HF370, nothing written', async () => {
  const s = await buildPrdNopScenario(tempDir(), registry.host);
  await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: s.deployed.commit } });
  const policy = join(s.root, 'build-number.yaml');
  writeFileSync(policy, readFileSync(s.policyFile, 'utf8').replace('    maxCommits: 3\n', '    maxCommits: 3\n    imageTag: "{version}-{build}"\n'));
  const file = join(s.root, 'plan.json');
  const r = await runCliAsync(['plan', 'hotfix', '--policy', policy, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: s.root });
  assert.is(r.code, 1, r.stdout);
  assert.match(r.stderr, /the hotfix image tag 1\.4\.1-\{build\} is decided at the gate, when CI has built it, but the baseline config branch from nop comes before the gate and needs it.*\[HF370\]/);
  assert.not.match(r.stderr, /\n\s+at /);
});

/**
 * In front of the real registry, the tag list paged by 2 with a relative Link header as
 * Docker Hub, GHCR and distribution 3 page it (distribution 2.8 sends every tag at once);
 * every other request goes through unchanged. Counts the tag-list pages and the manifests
 * read per tag.
 */
async function pagingRegistry(upstream: string) {
  const pages: string[] = [];
  const manifests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const list = /^\/v2\/(.+)\/tags\/list$/.exec(url.pathname);
    const manifest = /^\/v2\/.+\/manifests\/([^/]+)$/.exec(url.pathname);
    if (manifest && req.method === 'GET') manifests.push(manifest[1]!);
    if (list) {
      pages.push(req.url!);
      fetch(`http://${upstream}/v2/${list[1]}/tags/list`).then(async (r) => {
        const all = (((await r.json()) as { tags?: string[] }).tags ?? []).sort();
        const after = url.searchParams.get('last');
        const start = after === null ? 0 : all.indexOf(after) + 1;
        const page = all.slice(start, start + 2);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (start + 2 < all.length) headers.link = `</v2/${list[1]}/tags/list?last=${page.at(-1)}&n=2>; rel="next"`;
        res.writeHead(200, headers).end(JSON.stringify({ name: list[1], tags: page }));
      });
      return;
    }
    const [host, port] = upstream.split(':');
    const out = forward({ host, port: Number(port), method: req.method, path: req.url, headers: { ...req.headers, host: upstream } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, pages, manifests, close: () => server.close() };
}

test('a paged tag list is read to its last page; labels are read newest first until the head\'s build, every fitting tag newer than it, and no more', async () => {
  const proxy = await pagingRegistry(registry.host);
  try {
    const s = await buildAppScenario(tempDir(), proxy.host, { ci: FLUX_SORTABLE });
    const { file, gate } = await planned(s);
    const at = (seconds: number) => gate.tagAtGate!.replace('{timestamp}', String(seconds));
    // Before the head's build, an older build of another revision (never read: the head's is
    // newer); then the head's build; then 11 newer tags that fit but name another revision (a
    // tag pushed by hand, a build of a rewritten branch), which hid it behind a read of 10.
    await pushImage(registry.host, { name: 'team/shop-api', tag: at(1795349999), labels: { [REVISION]: s.deployed.commit } });
    await pushImage(registry.host, { name: 'team/shop-api', tag: at(1795350000), labels: { [REVISION]: gate.revision } });
    for (let i = 1; i <= 11; i++) await pushImage(registry.host, { name: 'team/shop-api', tag: at(1795350000 + i), labels: { [REVISION]: s.deployed.commit } });
    proxy.pages.length = 0;
    proxy.manifests.length = 0;
    const done = await runCliAsync(applyArgs(s, file), { cwd: s.root });
    assert.is(done.code, 0, done.stderr);
    assert.ok(done.stdout.includes(`tag decided at the gate: ${at(1795350000)},`), done.stdout);
    // The registry is shared by this file's tests: every tag of the repository, by 2 a page.
    const listed = ((await (await fetch(`http://${registry.host}/v2/team/shop-api/tags/list`)).json()) as { tags: string[] }).tags.length;
    assert.is(proxy.pages.length, Math.ceil(listed / 2), `${listed} tags by 2 a page: ${proxy.pages.join(' ')}`);
    const read = new Set(proxy.manifests.filter((m) => !m.startsWith('sha256:')));
    assert.equal([...read].sort(), Array.from({ length: 12 }, (_, i) => at(1795350000 + i)).sort(), 'the 11 newer and the head\'s build; the older one not read');

    // More fitting tags newer than the head's build than a check reads: it waits, and says how many it did not examine.
    const s2 = await buildAppScenario(tempDir(), proxy.host, { ci: FLUX_SORTABLE });
    const second = await planned(s2);
    const at2 = (seconds: number) => second.gate.tagAtGate!.replace('{timestamp}', String(seconds));
    await pushImage(registry.host, { name: 'team/shop-api', tag: at2(1795360000), labels: { [REVISION]: second.gate.revision } });
    for (let i = 1; i <= MAX_LABELS_READ + 1; i++) await pushImage(registry.host, { name: 'team/shop-api', tag: at2(1795360000 + i), labels: { [REVISION]: s2.deployed.commit } });
    proxy.manifests.length = 0;
    proxy.pages.length = 0;
    // Waiting, apply looks again every half second: a label read once is not read at the next look.
    const waiting = await runCliAsync([...applyArgs(s2, second.file).slice(0, -1), '--wait', '3s', second.file], { cwd: s2.root });
    assert.is(waiting.code, 3, waiting.stderr);
    assert.ok(waiting.stderr.includes(`is a build of the hotfix head yet (the newest ${MAX_LABELS_READ} of ${MAX_LABELS_READ + 2} read; the 2 older not examined)`), waiting.stderr);
    const looks = (waiting.stdout.match(/^waiting: /gm) ?? []).length + 1;
    const pagesPerLook = Math.ceil(((await (await fetch(`http://${registry.host}/v2/team/shop-api/tags/list`)).json()) as { tags: string[] }).tags.length / 2);
    assert.ok(looks >= 2 && proxy.pages.length === looks * pagesPerLook, `${looks} looks, ${proxy.pages.length} pages`);
    const byTag = proxy.manifests.filter((m) => !m.startsWith('sha256:'));
    assert.is(byTag.length, MAX_LABELS_READ, `each of the newest ${MAX_LABELS_READ} read once over ${looks} looks: ${byTag.length} reads`);
    assert.ok(!proxy.manifests.includes(at2(1795360000)), 'the oldest, the head\'s build, is not read');
  } finally {
    proxy.close();
  }
});

test.run();
