import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Action, Plan } from '../../src/plan/types.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { startGitLabContractServer, type GitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

// Issue 16 §3 over a fleet, through the built CLI: `status --policy DIR --forge` with a
// directory of three policies deployed from the same repositories, as a platform team's
// monorepo holds them: shop-api waits at its hotfix gate for checks the forge reports,
// shop-web's rollback opened a pull request (merge request), shop-admin has nothing
// journalled. The contract servers check every request against the forge's API
// description and count them: one per pull request, one read of the gate's checks, none
// for shop-admin, none at all without a token.
const GITHUB_TOKEN = 'ghs_16StatusFleetT0kenThatMustNeverBePrinted';
const GITLAB_TOKEN = 'glpat-16StatusFleetT0kenNeverPrinted';
const APP_REPO = 'octo-org/shop-api';
// The loopback GitLab holds one project: here the service's monorepo, its app and deploy config in one project, as many GitLab teams keep them.
const PROJECT = 'acme/payments/shop';

type Forge = 'github' | 'gitlab';

let registry: TestRegistry;
test.before(async () => {
  registry = await startTestRegistry();
});
test.after(async () => {
  await registry.stop();
});

interface Fleet {
  readonly h: GatedHotfix;
  readonly policies: string;
  readonly hotfix: Plan;
  readonly gate: Extract<Action, { kind: 'gate' }>;
  readonly rollback: Plan;
  readonly pr: Extract<Action, { kind: 'open-pull-request' }>;
  /** The journal file of shop-web's rollback, in the deploy repository. */
  readonly rollbackJournal: string;
}

async function run(h: GatedHotfix, args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const r = await runCliAsync(args, { cwd: h.s.root, env: { HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
  for (const token of [GITHUB_TOKEN, GITLAB_TOKEN]) assert.not.ok(`${r.stdout}${r.stderr}`.includes(token), 'a token was printed');
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  return r;
}

/**
 * The fleet: shop-api's hotfix applied up to its gate (exit 3, the checks not there yet),
 * shop-web (a copy of shop-api's policy under another name) rolled back with --open-prs,
 * shop-admin (another copy) never applied.
 */
async function fleet(seed: number, forge: Forge, env: Record<string, string>, forgeArgs: readonly string[]): Promise<Fleet> {
  const h = await gatedHotfix(registry.host, seed, async (s) => {
    await withChecksSource(s.policyFile, { forge, repository: forge === 'github' ? APP_REPO : PROJECT });
    // The copies may roll back: shop-api's policy (a hotfix fixture) has no rollback section.
    const text = `${readFileSync(s.policyFile, 'utf8')}  rollback:\n    method: revert\n`;
    for (const name of ['shop-web', 'shop-admin']) writeFileSync(join(s.root, 'policies', `${name}.yaml`), text.replace(/^( {2}name: )shop-api$/m, `$1${name}`));
  });
  const policies = join(h.s.root, 'policies');
  assert.equal(readdirSync(policies).sort(), ['shop-admin.yaml', 'shop-api.yaml', 'shop-web.yaml']);
  const hotfix = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const gate = hotfix.actions.find((a): a is Extract<Action, { kind: 'gate' }> => a.kind === 'gate')!;
  const stopped = await run(h, h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check'), env);
  assert.is(stopped.code, 3, stopped.stderr);

  const rollbackFile = join(h.s.root, 'rollback.json');
  const repos = ['--repo', `app=${h.s.appRepo}`, '--repo', `deploy=${h.s.configRepo}`];
  const planned = await run(h, ['plan', 'rollback', '--policy', join(policies, 'shop-web.yaml'), '--env', 'production', ...repos, '--cluster-state', h.s.clusterStateFile, '--reason', 'checkout returns 500', '--out', rollbackFile], {});
  assert.is(planned.code, 0, planned.stderr);
  const rollback = JSON.parse(readFileSync(rollbackFile, 'utf8')) as Plan;
  const pr = rollback.actions.find((a): a is Extract<Action, { kind: 'open-pull-request' }> => a.kind === 'open-pull-request')!;
  const applied = await run(h, ['apply', '--auto-approve', '--cluster-state', h.s.clusterStateFile, '--open-prs', '--forge-repo', `deploy=${forge === 'github' ? 'octo-org/deploy' : PROJECT}`, ...forgeArgs, rollbackFile], env);
  assert.is(applied.code, 0, applied.stderr);
  const rollbackJournal = join(h.s.configRepo, '.git', 'hotfix', 'journal', `${rollback.id.slice('sha256:'.length)}.json`);
  return { h, policies, hotfix, gate, rollback, pr, rollbackJournal };
}

const status = (f: Fleet, extra: readonly string[], env: Record<string, string>) =>
  run(f.h, ['status', '--policy', f.policies, '--repo', `app=${f.h.s.appRepo}`, '--repo', `deploy=${f.h.s.configRepo}`, '--cluster-state', f.h.s.clusterStateFile, '--no-registry', ...extra], env);

/** The lines after the table: each policy with anything journalled, then what was not asked. */
const afterTable = (stdout: string) => stdout.slice(stdout.search(/\n\d+ environments of 3 services[^\n]*\n/)).split('\n').slice(3);

const plan = (id: string) => `plan ${id.slice(0, 19)}…`;

interface FleetJson {
  services: Array<{ name: string; pullRequests?: Array<{ url: string; state?: string; stateNotRead?: string; stateNotReadCode?: string }>; gatesWaiting?: Array<{ plan: string; action: string; checkStates?: Array<{ name: string; state: string; success: boolean }>; checksNotRead?: string; checksNotReadCode?: string }> }>;
  forgeNotAsked?: string[];
}

test('GitHub: status --forge over a directory shows each policy\'s pull request and gate as GitHub says now, with three requests for the fleet and none for the policy with nothing journalled', async () => {
  const server: ContractServer = await startGitHubContractServer({ token: GITHUB_TOKEN, checksOf: [APP_REPO], collaborators: ['shop-team'] });
  try {
    const env = { GITHUB_TOKEN, GITHUB_API_URL: server.apiUrl };
    const f = await fleet(71, 'github', env, ['--api-url', server.apiUrl]);
    const [pull] = server.pulls.from(f.pr.head);
    const url = `https://github.com/octo-org/deploy/pull/${pull!.number}`;
    server.checks.run(APP_REPO, f.gate.revision, 'unit');
    server.checks.status(APP_REPO, f.gate.revision, 'smoke', 'success');
    const without = await status(f, ['--detailed-exitcode'], env);

    const since = server.requests.length;
    const shown = await status(f, ['--forge', '--detailed-exitcode'], env);
    assert.is(shown.code, without.code, 'the exit status is the one status has without --forge');
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`).sort(), ['checks/list-for-ref 200', 'pulls/get 200', 'repos/list-commit-statuses-for-ref 200']);
    assert.ok(shown.stdout.startsWith(without.stdout), 'the table as without --forge');
    assert.equal(afterTable(shown.stdout), [
      'shop-api (policies/shop-api.yaml):',
      "  Waiting at the gate (from apply's journal; checks read from the forge now):",
      `    production hotfix ${plan(f.hotfix.id)}: ${f.gate.id} waits for checks on ${f.gate.revision.slice(0, 7)} in GitHub ${APP_REPO}: unit queued (check run), smoke success (status)`,
      '',
      'shop-web (policies/shop-web.yaml):',
      '  Pull requests apply opened (from its journal; their state read from the forge now):',
      afterTable(shown.stdout)[6]!,
      '',
    ]);
    assert.match(afterTable(shown.stdout)[6]!, new RegExp(`^    production rollback: ${url.replace(/[.]/g, '\\.')}  ${f.pr.head} → main  open  \\(${plan(f.rollback.id).replace(/[.]/g, '\\.')}, 20\\d\\d-`));
    assert.not.match(shown.stdout, /shop-admin \(/);

    pull!.state = 'closed';
    pull!.merged = true;
    const json = JSON.parse((await status(f, ['--forge', '--format', 'json'], env)).stdout) as FleetJson;
    assert.equal(json.services.map((s) => s.name), ['shop-admin', 'shop-api', 'shop-web']);
    const [admin, api, web] = json.services;
    assert.equal(Object.keys(admin!).sort(), ['environments', 'file', 'name'], 'nothing journalled: the service as without --forge');
    assert.equal(api!.gatesWaiting!.map((g) => [g.plan, g.action, g.checkStates!.map((c) => [c.name, c.state, c.success])]), [[f.hotfix.id, f.gate.id, [['unit', 'queued', false], ['smoke', 'success', true]]]]);
    assert.equal(web!.pullRequests!.map((r) => [r.url, r.state]), [[url, 'merged']]);
    assert.is(json.forgeNotAsked, undefined);

    // Without a token: not asked, said once for the fleet, the journal's records as they are.
    const before = server.requests.length;
    const tokenless = await status(f, ['--forge'], { GITHUB_API_URL: server.apiUrl });
    assert.is(tokenless.code, 0, tokenless.stderr);
    assert.is(server.requests.length, before, 'nothing was asked');
    assert.is(tokenless.stdout.split('GitHub not asked').length, 2, tokenless.stdout);
    assert.match(tokenless.stdout, /\n\nGitHub not asked: no GitHub token: GITHUB_TOKEN is not set; .*\[HF501\]\n$/);
    assert.ok(tokenless.stdout.includes(`: unit, smoke\n`), tokenless.stdout);
    const unasked = JSON.parse((await status(f, ['--forge', '--format', 'json'], { GITHUB_API_URL: server.apiUrl })).stdout) as FleetJson;
    assert.is(unasked.forgeNotAsked!.length, 1);
    assert.not.ok(unasked.services.some((s) => 'forgeNotAsked' in s));
    assert.not.ok('state' in unasked.services[2]!.pullRequests![0]!);
    assert.equal(server.violations, [], "requests or answers outside GitHub's API description");
  } finally {
    await server.close();
  }
});

test('GitHub: a pull request GitHub answers 404 for, and checks it fails (502) for, are each said on their policy with their code; the rest is still shown, the exit status unchanged', async () => {
  const server: ContractServer = await startGitHubContractServer({ token: GITHUB_TOKEN, checksOf: [APP_REPO], collaborators: ['shop-team'] });
  try {
    const env = { GITHUB_TOKEN, GITHUB_API_URL: server.apiUrl };
    const f = await fleet(72, 'github', env, ['--api-url', server.apiUrl]);
    server.checks.status(APP_REPO, f.gate.revision, 'unit', 'success');
    const without = await status(f, ['--detailed-exitcode'], env);

    // Its repository moved: the journal's number names no pull request there.
    const journal = JSON.parse(readFileSync(f.rollbackJournal, 'utf8')) as { reviewRequests: Array<{ number: number }> };
    journal.reviewRequests[0]!.number = 999;
    writeFileSync(f.rollbackJournal, JSON.stringify(journal));
    const gone = await status(f, ['--forge', '--detailed-exitcode'], env);
    assert.is(gone.code, without.code, gone.stderr);
    assert.match(gone.stdout, /\n {4}production rollback: https:\/\/github\.com\/octo-org\/deploy\/pull\/\d+  \S+ → main  state not read: 404: Not Found \[HF523\]  \(/, gone.stdout);
    assert.match(gone.stdout, /: unit success \(status\), smoke missing \(no check run, status or job of that name\)\n/);

    // GitHub fails every read of the check runs (502), the retries too: HF514 on shop-api's gate, shop-web's pull request still read.
    server.trouble({ operation: 'checks/list-for-ref', times: 3, answer: 'server-error' });
    const since = server.requests.length;
    const failing = await status(f, ['--forge', '--format', 'json', '--detailed-exitcode'], env);
    assert.is(failing.code, without.code, failing.stderr);
    const json = JSON.parse(failing.stdout) as FleetJson;
    const gate = json.services[1]!.gatesWaiting![0]!;
    assert.is(gate.checksNotReadCode, 'HF514');
    assert.match(gate.checksNotRead!, /^GitHub failed when status read the checks of \w{7} in octo-org\/shop-api \(502: Server Error, after 2 retries\)$/, gate.checksNotRead);
    assert.not.ok('checkStates' in gate);
    assert.equal([json.services[2]!.pullRequests![0]!.stateNotRead, json.services[2]!.pullRequests![0]!.stateNotReadCode], ['404: Not Found', 'HF523']);
    // The check runs asked once and retried twice, the statuses not asked after that; the pull request once.
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`).sort(), ['checks/list-for-ref 502', 'checks/list-for-ref 502', 'checks/list-for-ref 502', 'pulls/get 404']);
    assert.equal(server.violations, [], "requests or answers outside GitHub's API description");
  } finally {
    await server.close();
  }
});

test('GitLab: the merge request of one policy and the jobs another\'s gate waits for, one request each, the policy with nothing journalled not asked for; a 500 said on its policy', async () => {
  const server: GitLabContractServer = await startGitLabContractServer({ project: PROJECT, token: GITLAB_TOKEN });
  try {
    const env = { GITLAB_TOKEN, CI_SERVER_URL: server.url };
    const f = await fleet(73, 'gitlab', env, ['--forge-url', server.url]);
    const [mr] = server.mergeRequestsFrom(f.pr.head);
    const url = `${server.url}/${PROJECT}/-/merge_requests/${mr!.iid}`;
    const pipeline = 1_600_000_173;
    server.checks.job(f.gate.revision, 'unit', 'running', { pipeline });
    server.checks.job(f.gate.revision, 'smoke', 'failed', { pipeline });
    const without = await status(f, ['--detailed-exitcode'], env);

    const since = server.requests.length;
    const shown = await status(f, ['--forge', '--detailed-exitcode'], env);
    assert.is(shown.code, without.code, shown.stderr);
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status} ${q.auth}`).sort(), ['getApiV4ProjectsIdMergeRequestsMergeRequestIid 200 private', 'getApiV4ProjectsIdRepositoryCommitsShaStatuses 200 private']);
    const after = afterTable(shown.stdout);
    assert.equal(after.filter((l) => /^\S/.test(l)), ['shop-api (policies/shop-api.yaml):', 'shop-web (policies/shop-web.yaml):']);
    assert.ok(after.includes(`    production hotfix ${plan(f.hotfix.id)}: ${f.gate.id} waits for checks on ${f.gate.revision.slice(0, 7)} in GitLab ${PROJECT}: unit running (job), smoke failed (job)`), after.join('\n'));
    assert.ok(after.some((l) => l.startsWith(`    production rollback: ${url}  ${f.pr.head} → main  open  (${plan(f.rollback.id)}`)), after.join('\n'));

    mr!.state = 'merged';
    server.trouble({ operation: 'getApiV4ProjectsIdRepositoryCommitsShaStatuses', times: 3, answer: 'server-error' });
    const json = JSON.parse((await status(f, ['--forge', '--format', 'json'], env)).stdout) as FleetJson;
    assert.equal(json.services[2]!.pullRequests!.map((r) => [r.url, r.state]), [[url, 'merged']]);
    assert.is(json.services[1]!.gatesWaiting![0]!.checksNotReadCode, 'HF514');
    assert.match(json.services[1]!.gatesWaiting![0]!.checksNotRead!, /500/);

    const before = server.requests.length;
    const tokenless = await status(f, ['--forge'], { CI_SERVER_URL: server.url });
    assert.is(tokenless.code, 0, tokenless.stderr);
    assert.is(server.requests.length, before, 'nothing was asked');
    assert.is(tokenless.stdout.split('GitLab not asked').length, 2, tokenless.stdout);
    assert.match(tokenless.stdout, /\nGitLab not asked: no GitLab token: GITLAB_TOKEN is not set and there is no CI_JOB_TOKEN; .*\[HF501\]\n$/);
    assert.equal(server.violations, [], "requests or answers outside GitLab's API description");
  } finally {
    await server.close();
  }
});

test('status --help says --forge works with a directory of policies, with an example', async () => {
  const help = await runCliAsync(['status', '--help']);
  assert.is(help.code, 0, help.stderr);
  const text = help.stdout.replace(/\s+/g, ' ');
  assert.ok(text.includes('`--forge` works with a directory too'), help.stdout);
  assert.ok(text.includes('given a directory, for every policy in it'), help.stdout);
  assert.match(text, /hotfix status --policy services\/ [^$]*--forge/);
});

test.run();
