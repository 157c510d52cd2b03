// The hotfix gate reads hotfix.requiredChecks from GitHub (issue 16 §4): check runs and commit
// statuses of the hotfix head, through the built CLI against the contract server, which
// checks every request and answer against GitHub's OpenAPI description.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan } from '../../src/plan/types.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { git } from '../../fixtures/git.js';
import { hasStackTrace, runCliAsync, startCli, type CliResult } from '../helpers/run-cli.js';
import type { TestRegistry } from '../helpers/test-registry.js';
import { forgeAndRegistry } from '../helpers/forge/forge-and-registry.js';

const TOKEN = 'ghs_16GateCh3cksT0kenThatMustNeverBePrinted';
const APP_REPO = 'octo-org/shop-api';
const ACTIONS = 15368;

let registry: TestRegistry;
let server: ContractServer;
let seed = 40;
const outputs: CliResult[] = [];

forgeAndRegistry(test, 'GitHub', async (started) => {
  registry = started;
  return (server = await startGitHubContractServer({ token: TOKEN, checksOf: [APP_REPO] }));
});

const ENV = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, HOTFIX_TEST_FORGE_SECOND_MS: '1' });

async function hotfix(checks: { appId?: number; manual?: 'allow' | 'refuse' } = {}): Promise<GatedHotfix & { head: string; base: readonly string[]; apply: (extra?: readonly string[], env?: Record<string, string>) => Promise<CliResult> }> {
  const h = await gatedHotfix(registry.host, seed++, (s) => withChecksSource(s.policyFile, { forge: 'github', repository: APP_REPO, ...checks }));
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const gate = plan.actions.find((a) => a.kind === 'gate')!;
  const base = h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check');
  const apply = async (extra: readonly string[] = [], env: Record<string, string> = {}) => {
    const r = await runCliAsync([...base.slice(0, -1), ...extra, base.at(-1)!], { cwd: h.s.root, env: { ...ENV(), ...env } });
    outputs.push(r);
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
    return r;
  };
  return { ...h, head: (gate as { revision: string }).revision, base, apply };
}

/** Branches of the app repository: what apply wrote there, if anything. */
function appBranches(h: GatedHotfix): Promise<string> {
  return git(h.s.appRepo, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags']);
}

test('show says where the checks are read, for which commit, and whether a person may attest them', async () => {
  const h = await hotfix({ manual: 'refuse' });
  const text = await runCliAsync(['show', h.planFile], { cwd: h.s.root });
  assert.is(text.code, 0, text.stderr);
  assert.ok(text.stdout.includes(`checks unit, smoke read from GitHub octo-org/shop-api for ${h.head.slice(0, 7)} (manual attestation refused)`), text.stdout);
  const markdown = await runCliAsync(['show', '--format', 'markdown', h.planFile], { cwd: h.s.root });
  assert.ok(markdown.stdout.includes(`checks unit, smoke read from GitHub octo-org/shop-api for ${h.head.slice(0, 7)} (manual attestation refused)`), markdown.stdout);
  const json = await runCliAsync(['show', '--format', 'json', h.planFile], { cwd: h.s.root });
  const gate = (JSON.parse(json.stdout) as Plan).actions.find((a) => a.kind === 'gate') as { checksFrom?: unknown };
  assert.equal(gate.checksFrom, { forge: 'github', repository: APP_REPO, manual: 'refuse' });
});

test('the gate waits while a check is queued, in progress or pending, naming each and its state; it passes once the image and both checks succeeded', async () => {
  const h = await hotfix();
  const missing = await h.apply();
  assert.is(missing.code, 3, missing.stderr);
  assert.match(missing.stderr, /HF410/);
  assert.match(missing.stderr, /unit missing \(no check run, status or job of that name\), smoke missing/);
  assert.match(missing.stderr, /is not in the registry yet/);

  const unit = server.checks.run(APP_REPO, h.head, 'unit');
  server.checks.status(APP_REPO, h.head, 'smoke', 'pending');
  await h.meetGate();
  const queued = await h.apply();
  assert.is(queued.code, 3, queued.stderr);
  assert.match(queued.stderr, new RegExp(`checks not done on ${h.head.slice(0, 7)} in GitHub octo-org/shop-api: unit queued \\(check run\\), smoke pending \\(status\\)`));
  assert.not.match(queued.stderr, /registry/);

  server.checks.update(unit, 'in_progress');
  const running = await h.apply();
  assert.is(running.code, 3);
  assert.match(running.stderr, /unit in_progress \(check run\), smoke pending \(status\)/);

  server.checks.update(unit, 'completed', 'success');
  server.checks.status(APP_REPO, h.head, 'smoke', 'success');
  const done = await h.apply();
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /Apply complete/);
  assert.not.match(done.stdout, /^attested:/m);
});

test('a newer failed run after an older success blocks the gate, and so does a skipped or neutral one', async () => {
  const h = await hotfix();
  await h.meetGate();
  server.checks.run(APP_REPO, h.head, 'unit', { status: 'completed', conclusion: 'success' });
  server.checks.run(APP_REPO, h.head, 'unit', { status: 'completed', conclusion: 'failure' });
  server.checks.run(APP_REPO, h.head, 'smoke', { status: 'completed', conclusion: 'skipped' });
  const failed = await h.apply();
  assert.is(failed.code, 3, failed.stderr);
  assert.match(failed.stderr, /unit failure \(check run\), smoke skipped \(check run\)/);
  server.checks.status(APP_REPO, h.head, 'smoke', 'success');
  server.checks.run(APP_REPO, h.head, 'unit', { status: 'completed', conclusion: 'neutral' });
  const neutral = await h.apply();
  assert.is(neutral.code, 3);
  assert.match(neutral.stderr, /unit neutral \(check run\)/);
  assert.not.match(neutral.stderr, /smoke/);
  assert.equal((await appBranches(h)).split('\n').filter((r) => r.startsWith('refs/heads/hotfix/')).length, 1, 'the hotfix branch is made before the gate, the deploy is not');
});

test('pinned to an app id, a check run of another app and a commit status do not count', async () => {
  const h = await hotfix({ appId: ACTIONS });
  await h.meetGate();
  server.checks.run(APP_REPO, h.head, 'unit', { appId: 8_123_456, status: 'completed', conclusion: 'success' });
  server.checks.status(APP_REPO, h.head, 'unit', 'success');
  server.checks.run(APP_REPO, h.head, 'smoke', { status: 'completed', conclusion: 'success' });
  // More runs than one page holds: smoke's is on the second page of newest first.
  for (let i = 0; i < 120; i++) server.checks.run(APP_REPO, h.head, `e2e-shard-${i}`, { status: 'completed', conclusion: 'success' });
  const asked = server.requests.length;
  const other = await h.apply();
  assert.is(other.code, 3, other.stderr);
  assert.match(other.stderr, /unit missing/);
  assert.not.match(other.stderr, /smoke/);
  // Two pages of app 15368's check runs, and no commit status asked for: a pinned app ignores them.
  assert.equal(server.requests.slice(asked).map((r) => r.operation), ['checks/list-for-ref', 'checks/list-for-ref']);
  server.checks.run(APP_REPO, h.head, 'unit', { appId: ACTIONS, status: 'completed', conclusion: 'success' });
  const done = await h.apply();
  assert.is(done.code, 0, done.stderr);
});

test('apply --wait polls the forge: it goes on once the run it waits for completes', async () => {
  const h = await hotfix();
  await h.meetGate();
  const unit = server.checks.run(APP_REPO, h.head, 'unit', { status: 'in_progress' });
  server.checks.status(APP_REPO, h.head, 'smoke', 'success');
  const waiting = startCli([...h.base.slice(0, -1), '--wait', '30s', h.base.at(-1)!], { cwd: h.s.root, env: ENV() });
  await waiting.printed(/^waiting: checks not done on [0-9a-f]{7} in GitHub octo-org\/shop-api: unit in_progress \(check run\)/m);
  server.checks.update(unit, 'completed', 'success');
  const r = await waiting.result;
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Apply complete/);
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
});

test('manual: refuse refuses --check before anything is written', async () => {
  const h = await hotfix({ manual: 'refuse' });
  const before = await appBranches(h);
  const r = await h.apply(['--check', 'unit']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /HF423/);
  assert.match(r.stderr, /--check unit refused: the policy says hotfix\.checks\.manual: refuse/);
  assert.is(await appBranches(h), before);
});

test('manual: allow takes --check as an attestation: printed, and recorded in the journal with who attested', async () => {
  const h = await hotfix();
  await h.meetGate();
  server.checks.status(APP_REPO, h.head, 'smoke', 'success');
  server.checks.run(APP_REPO, h.head, 'unit', { status: 'completed', conclusion: 'failure' });
  const r = await h.apply(['--check', 'unit'], { GITHUB_ACTOR: 'mona' });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /attested: unit by mona \(GITHUB_ACTOR\) \(--check\), recorded in the journal/);
  const dir = join(resolve(h.s.appRepo, (await git(h.s.appRepo, ['rev-parse', '--git-common-dir'])).trim()), 'hotfix', 'journal');
  const journal = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as { attested?: Array<{ action: string; checks: string[]; by: string }> };
  assert.equal(journal.attested?.map(({ action, checks, by }) => ({ action, checks, by })), [{ action: 'gate', checks: ['unit'], by: 'mona (GITHUB_ACTOR)' }]);
  const shown = await runCliAsync(['show', h.planFile], { cwd: h.s.root });
  assert.match(shown.stdout, /^Applied, from the journal of this plan:\n {2}gate passed on unit attested by mona \(GITHUB_ACTOR\) \(--check\) at \d{4}-\d\d-\d\dT[\d:.]+Z, not read from CI$/m);
  // The journal is a file on this machine: what show prints of it is only the gate's check names and a login's characters.
  const file = join(dir, readdirSync(dir)[0]!);
  writeFileSync(file, JSON.stringify({ ...journal, attested: [{ action: 'gate', checks: ['unit', 'deploy-anyway'], by: 'mona\u001b[2J\n<b>', at: 'yesterday' }] }));
  const hostile = await runCliAsync(['show', '--format', 'markdown', h.planFile], { cwd: h.s.root });
  assert.ok(hostile.stdout.includes('gate passed on unit attested by mona?[2J??b? (--check) at an unknown time, not read from CI'), hostile.stdout);
  assert.not.match(hostile.stdout, /deploy-anyway|\u001b/);
});

test('no token: refused before anything is written; a token GitHub refuses or a failing GitHub stops at the gate with its own code', async () => {
  const h = await hotfix();
  const before = await appBranches(h);
  const none = await h.apply([], { GITHUB_TOKEN: '' });
  assert.is(none.code, 1);
  assert.match(none.stderr, /no GitHub token: GITHUB_TOKEN is empty.*HF501/, none.stderr);
  assert.is(await appBranches(h), before);

  await h.meetGate();
  const wrong = await h.apply([], { GITHUB_TOKEN: 'ghs_wrong' });
  assert.is(wrong.code, 3, wrong.stderr);
  assert.match(wrong.stderr, /GitHub refused the token \(401: Bad credentials\).*HF513/);
  assert.not.match(wrong.stderr, /ghs_wrong/);

  server.trouble({ operation: 'checks/list-for-ref', times: 3, answer: 'server-error' });
  const failing = await h.apply();
  assert.is(failing.code, 3, failing.stderr);
  assert.match(failing.stderr, /GitHub failed when apply read the checks of .* \(502: Server Error, after 2 retries\).*HF514/);
});

test('a plan whose gate no longer reads the forge the policy names is refused (HF424) before anything is written', async () => {
  const h = await hotfix({ manual: 'refuse' });
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const { id: _id, ...body } = plan;
  const edited = sealPlan({ ...body, actions: body.actions.map((a) => (a.kind === 'gate' ? { ...a, checksFrom: undefined } : a)) });
  const file = join(h.s.root, 'edited.json');
  writeFileSync(file, JSON.stringify(edited));
  const before = await appBranches(h);
  const r = await runCliAsync(['apply', '--auto-approve', '--cluster-state', h.s.clusterStateFile, '--check', 'unit', '--check', 'smoke', file], { cwd: h.s.root, env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl } });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`the plan's gate waits for checks passed: unit, smoke \\(reported with --check\\), but its policy says checks unit, smoke read from GitHub octo-org/shop-api for ${h.head.slice(0, 7)} \\(manual attestation refused\\).*HF424`), r.stderr);
  assert.is(await appBranches(h), before);
  assert.ok(existsSync(h.planFile));
});

test.run();
