import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { argoRepo, ARGO_IMAGE, fluxV1Repo, fluxV2Repo, FLUX_V2_TAGS, renovateRepo, WEB_TAGS, type AutomationRepo } from '../../fixtures/automation-scenarios.js';
import type { Plan } from '../../src/plan/types.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

type Commit = Extract<Plan['actions'][number], { kind: 'commit' }>;
const commits = (plan: Plan) => plan.actions.filter((a): a is Commit => a.kind === 'commit');
const codes = (plan: Plan) => plan.diagnostics.map((d) => d.code);
const changedLines = (c: Commit) => c.changes.flatMap((ch) => ch.diff.split('\n').filter((l) => /^[+-] /.test(l)));

function plan(r: AutomationRepo, policy: string): CliResult & { plan: Plan } {
  const out = join(r.root, `plan-${policy}-${Math.random().toString(36).slice(2)}.json`);
  const result = runCli(['plan', 'rollback', '--policy', r.policies[policy]!, '--env', 'production', '--repo', `deploy=${r.repo}`, '--out', out], { cwd: r.root });
  if (result.code !== 0 && result.code !== 2) throw new Error(`plan failed (${result.code}): ${result.stderr}${result.stdout}`);
  return { ...result, plan: JSON.parse(readFileSync(out, 'utf8')) as Plan };
}

function applied(r: AutomationRepo, p: Plan): Commit[] {
  const file = join(r.root, 'applied.json');
  writeFileSync(file, JSON.stringify(p));
  const result = runCli(['apply', '--auto-approve', file], { cwd: r.root });
  assert.is(result.code, 0, result.stderr);
  for (const c of commits(p)) assert.is(gitOut(r.repo, ['-c', 'core.abbrev=7', 'show', '--format=', c.commit]), c.changes.map((ch) => ch.diff).join(''), `${c.id} is the planned diff`);
  return commits(p);
}

function status(r: AutomationRepo, policy: string): Array<{ engine: string; name: string; active: boolean; writesBack: boolean; file: string }> {
  const result = runCli(['status', '--policy', r.policies[policy]!, '--repo', `deploy=${r.repo}`, '--no-cluster', '--format', 'json'], { cwd: r.root });
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).environments[0].automation;
}

/**
 * Which tag an ImagePolicy selects, written from Flux's ImagePolicy documentation: the tags
 * filterTags.pattern matches (Go's `(?P<name>` groups), each ordered by what `extract`
 * expands to from the match, then the highest by the policy (semver through the semver
 * package, a range as a constraint; numerical as numbers; alphabetical as strings).
 */
function fluxSelects(policy: any, tags: readonly string[]): string | undefined {
  const filter = policy.spec.filterTags ?? {};
  const re = new RegExp((filter.pattern ?? '^.*$').replace(/\(\?P</g, '(?<'));
  const candidates = tags.flatMap((tag) => {
    const m = re.exec(tag);
    if (!m) return [];
    const value = filter.extract ? filter.extract.replace(/\$\{?(\w+)\}?/g, (_: string, g: string) => (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? '') : tag;
    return [{ tag, value: value as string }];
  });
  const p = policy.spec.policy;
  let ordered: Array<{ tag: string; value: string }> = [];
  if (p.semver) ordered = candidates.filter((c) => semver.valid(semver.coerce(c.value)) && semver.satisfies(c.value, p.semver.range, { loose: true })).sort((a, b) => semver.compare(a.value, b.value, true));
  if (p.numerical) ordered = candidates.filter((c) => !Number.isNaN(Number(c.value))).sort((a, b) => (Number(a.value) - Number(b.value)) * (p.numerical.order === 'desc' ? -1 : 1));
  if (p.alphabetical) ordered = [...candidates].sort((a, b) => (a.value < b.value ? -1 : 1) * (p.alphabetical.order === 'desc' ? -1 : 1));
  return ordered.at(-1)?.tag;
}

const policyAt = (r: AutomationRepo, commit: string, file: string) => parse(gitOut(r.repo, ['show', `${commit}:${file}`]));

test('Flux v1: the automated Deployment in the base, with its tag filter from the overlay patch, is warned about (HF350); other workloads are not', async () => {
  const r = await fluxV1Repo(tempDir());
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), ['HF350']);
  assert.match(p.diagnostics[0]!.message, /^Flux v1 automates api:deployment\/tracker-api \(fluxcd\.io\/automated in app\/bases\/tracker-api-deployment\.yaml, tag filter glob:master-\*\)/);
  assert.match(p.diagnostics[0]!.message, /fluxctl lock --workload=api:deployment\/tracker-api/);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(
    status(r, 'api').map((a) => [a.engine, a.name, a.active]),
    [['flux-v1', 'api:deployment/tracker-api', true]],
  );
});

test('Flux v1: onRollback suspend locks the workload as fluxctl lock does, in a reviewed commit that apply makes', async () => {
  const r = await fluxV1Repo(tempDir(), '      automation: { onRollback: suspend }\n');
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), []);
  const [revert, lock] = applied(r, p);
  assert.equal(changedLines(revert!), ['-    newTag: master-26a4b87', '+    newTag: master-f01225d']);
  assert.is(lock!.changes[0]!.path, 'app/bases/tracker-api-deployment.yaml');
  assert.equal(changedLines(lock!), ['+    fluxcd.io/locked: "true"', '+    fluxcd.io/locked_msg: Rolled back to master-f01225d; unlock once a fixed image is released']);
  assert.match(lock!.message, /^Lock api:deployment\/tracker-api against Flux automation\n/);
  const locked = parse(gitOut(r.repo, ['show', `${lock!.commit}:app/bases/tracker-api-deployment.yaml`]));
  assert.is(locked.metadata.annotations['fluxcd.io/locked'], 'true');
  // Once locked, the same repository is quiet.
  gitOut(r.repo, ['merge', '--quiet', '--ff-only', lock!.commit]);
  assert.equal(status(r, 'api').map((a) => a.active), [false]);
});

test('Flux v2: two marker lines of one policy are rolled back together; pin keeps the extract group and still selects exactly the rollback tag', async () => {
  const r = await fluxV2Repo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'api');
  assert.equal(codes(p), []);
  const [revert, pin] = applied(r, p);
  assert.is(changedLines(revert!).filter((l) => l.startsWith('+')).length, 2, 'both the init container and the container');
  assert.is(pin!.changes[0]!.path, 'clusters/production/image-policies/api.yaml');
  assert.equal(changedLines(pin!), ["-    pattern: '^main-[a-fA-F0-9]+-(?P<ts>.*)'", "+    pattern: '^main-f01225d-(?P<ts>1762003600)$'"]);
  const pinned = policyAt(r, pin!.commit, 'clusters/production/image-policies/api.yaml');
  const newer = [...FLUX_V2_TAGS, 'main-9b8c7d6-1762010800'];
  assert.is(fluxSelects(policyAt(r, 'main', 'clusters/production/image-policies/api.yaml'), newer), 'main-9b8c7d6-1762010800', 'the reference picks the newest before the pin');
  assert.is(fluxSelects(pinned, newer), FLUX_V2_TAGS[1]);
  assert.match(pin!.message, /Pin image policy flux-system\/api to main-f01225d-1762003600\n/);
});

test('Flux v2: pin on a semver policy without filterTags adds one and sets the range to that version', async () => {
  const r = await fluxV2Repo(tempDir(), '      automation: { onRollback: pin }\n');
  const { plan: p } = plan(r, 'web');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  const pinned = policyAt(r, pin!.commit, 'clusters/production/image-policies/web.yaml');
  assert.equal(pinned.spec.filterTags, { pattern: '^1\\.4\\.1$' });
  assert.is(pinned.spec.policy.semver.range, '1.4.1');
  assert.is(fluxSelects(policyAt(r, 'main', 'clusters/production/image-policies/web.yaml'), [...WEB_TAGS, '1.5.0']), '1.5.0', 'the reference picks the newest before the pin');
  assert.is(fluxSelects(pinned, [...WEB_TAGS, '1.5.0']), '1.4.1');
});

test('Flux v2: suspend states its blast radius in the plan and the commit; unmarked fields are not covered', async () => {
  const r = await fluxV2Repo(tempDir(), '      automation: { onRollback: suspend }\n');
  const { plan: p } = plan(r, 'api');
  const [, suspend] = commits(p);
  const radius = 'Suspending it also stops 3 other markers of 2 other ImagePolicies (flux-system:web, flux-system:worker) under ./apps/production from being updated until it is resumed.';
  assert.ok(suspend!.message.includes(radius), suspend!.message);
  assert.ok(p.notes.includes(`Suspending image automation flux-system/flux-system: ${radius}`), p.notes.join('\n'));
  assert.equal(status(r, 'api').map((a) => [a.engine, a.name]), [['flux', 'flux-system/flux-system']]);
  // The cache container's line has no marker: Flux's Setters never write it.
  assert.equal(status(r, 'redis'), []);
});

test('Argo CD Image Updater: pin allows only the rollback tag for the alias; suspend takes the image off image-list', async () => {
  const root = tempDir();
  const r = await argoRepo(root, '      automation: { engine: argocd-image-updater, onRollback: pin }\n');
  const { plan: p } = plan(r, 'checkout');
  assert.equal(codes(p), []);
  const [, pin] = applied(r, p);
  assert.is(pin!.changes[0]!.path, 'argocd/checkout-production.yaml');
  assert.equal(changedLines(pin!), ['-    argocd-image-updater.argoproj.io/checkout.allow-tags: regexp:^main-[0-9a-f]{7}$', '+    argocd-image-updater.argoproj.io/checkout.allow-tags: regexp:^main-f01225d$']);

  const s = await argoRepo(tempDir(), '      automation: { onRollback: suspend }\n');
  const [, off] = commits(plan(s, 'checkout').plan);
  assert.equal(changedLines(off!), [`-    argocd-image-updater.argoproj.io/image-list: checkout=${ARGO_IMAGE}, sidecar=ghcr.io/example/envoy-sidecar`, '+    argocd-image-updater.argoproj.io/image-list: sidecar=ghcr.io/example/envoy-sidecar']);

  const warned = await argoRepo(tempDir());
  assert.equal(codes(plan(warned, 'checkout').plan), ['HF351']);
  assert.equal(status(warned, 'checkout').map((a) => [a.engine, a.name, a.active]), [['argocd-image-updater', 'Application argocd/checkout-production', true]]);
});

test('Argo CD Image Updater: a write-back file for an Application not in the repository is a warning that says where it is (HF352)', async () => {
  const r = await argoRepo(tempDir());
  const { plan: p } = plan(r, 'search');
  assert.equal(codes(p), ['HF352']);
  assert.match(p.diagnostics[0]!.message, /writes apps\/search\/overlays\/production\/\.argocd-source-search-production\.yaml for Application search-production, which is not in this repository/);
  assert.match(p.diagnostics[0]!.message, /kubectl -n argocd annotate application search-production argocd-image-updater\.argoproj\.io\/<alias>\.allow-tags=regexp:\^main-f01225d\$/);
});

test('Renovate: pull-request bots are reported by status and never warned about', async () => {
  const r = await renovateRepo(tempDir());
  const { plan: p } = plan(r, 'billing');
  assert.equal(codes(p), []);
  assert.equal(commits(p).map((c) => c.purpose), ['revert']);
  assert.equal(status(r, 'billing').map((a) => [a.engine, a.name, a.writesBack]), [['renovate', 'renovate.json', false]]);
  const text = runCli(['status', '--policy', r.policies.billing!, '--repo', `deploy=${r.repo}`, '--no-cluster'], { cwd: r.root });
  assert.match(text.stdout, /automation {2}renovate renovate\.json opens pull requests \(renovate\.json\)/);
});

test.run();
