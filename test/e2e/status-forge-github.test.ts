import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { gitOut, planRollback, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { Action, Plan } from '../../src/plan/types.js';

// Issue 16 §3 and §2 through the built CLI: `status --forge` asks GitHub (pulls.get, checked
// by the contract server against GitHub's OpenAPI description) where the pull request apply
// opened stands, and `status` and `show` say who approved an applied plan, from apply's
// journal: approvers are not commit trailers, since the plan fixes its commit ids first.
const TOKEN = 'ghs_16StatusForgeT0kenThatMustNeverBePrinted';
const PR = 'octo-org/deploy#42';

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;

async function withServer(run: (server: ContractServer, s: GitopsScenario) => Promise<void>): Promise<void> {
  const s = await scenario();
  const server = await startGitHubContractServer({ token: TOKEN, remote: s.remote });
  try {
    await run(server, s);
    assert.equal(server.violations, [], "requests or answers outside GitHub's API description");
  } finally {
    await server.close();
  }
}

function saved(s: GitopsScenario): Plan {
  const r = planRollback(s, ['--reason', 'checkout returns 500']);
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, 'plan.json'), JSON.stringify(r.plan));
  return r.plan!;
}

async function cli(s: GitopsScenario, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const r = await runCliAsync(args, { cwd: s.root, env: { HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  return r;
}

const status = (s: GitopsScenario, extra: readonly string[] = [], env: Record<string, string> = {}) => cli(s, ['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', ...extra], env);

test('status --forge reads the state of the pull request apply opened: open, then merged, then a closed one; JSON the same; without --forge it says it did not ask', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    const applied = await cli(s, ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--api-url', server.apiUrl, 'plan.json'], { GITHUB_TOKEN: TOKEN });
    assert.is(applied.code, 0, applied.stderr);
    const [pull] = server.pulls.from(pr.head);
    const url = `https://github.com/octo-org/deploy/pull/${pull!.number}`;
    const line = (state: string) => `\n  production rollback: ${url}  ${pr.head} → main  ${state}  (plan ${plan.id.slice(0, 19)}…`;

    const unasked = await status(s);
    assert.is(unasked.code, 0, unasked.stderr);
    assert.ok(unasked.stdout.includes('Pull requests apply opened (from its journal; their state on the forge is not read: pass --forge):'), unasked.stdout);
    const since = server.requests.length;
    const open = await status(s, ['--forge', '--api-url', server.apiUrl], { GITHUB_TOKEN: TOKEN });
    assert.is(open.code, 0, open.stderr);
    assert.ok(open.stdout.includes('Pull requests apply opened (from its journal; their state read from the forge now):'), open.stdout);
    assert.ok(open.stdout.includes(line('open')), open.stdout);
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`), ['pulls/get 200']);

    pull!.state = 'closed';
    pull!.merged = true;
    const merged = await status(s, ['--forge', '--api-url', server.apiUrl], { GITHUB_TOKEN: TOKEN });
    assert.ok(merged.stdout.includes(line('merged')), merged.stdout);
    const json = JSON.parse((await status(s, ['--forge', '--api-url', server.apiUrl, '--format', 'json'], { GITHUB_TOKEN: TOKEN })).stdout) as { pullRequests: Array<{ url: string; state: string; number: number }> };
    assert.equal(json.pullRequests.map((r) => [r.url, r.number, r.state]), [[url, pull!.number, 'merged']]);

    pull!.merged = false;
    const closed = await status(s, ['--forge', '--api-url', server.apiUrl], { GITHUB_TOKEN: TOKEN });
    assert.ok(closed.stdout.includes(line('closed')), closed.stdout);
  }));

test('status --forge without a token says once that GitHub was not asked, and exits 0 with the journal\'s word; a pull request GitHub no longer has is said as such', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    assert.is((await cli(s, ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--api-url', server.apiUrl, 'plan.json'], { GITHUB_TOKEN: TOKEN })).code, 0);
    const since = server.requests.length;
    const tokenless = await status(s, ['--forge', '--api-url', server.apiUrl]);
    assert.is(tokenless.code, 0, tokenless.stderr);
    assert.is(tokenless.stdout.split('GitHub not asked: no GitHub token: GITHUB_TOKEN is not set').length, 2, tokenless.stdout);
    assert.match(tokenless.stdout, /\nGitHub not asked: no GitHub token: GITHUB_TOKEN is not set; .*\[HF501\]\n$/);
    assert.ok(tokenless.stdout.includes(`  production rollback: https://github.com/octo-org/deploy/pull/`), tokenless.stdout);
    assert.is(server.requests.length, since, 'nothing was asked');
    const json = JSON.parse((await status(s, ['--forge', '--api-url', server.apiUrl, '--format', 'json'])).stdout) as { forgeNotAsked: string[]; pullRequests: Array<Record<string, unknown>> };
    assert.is(json.forgeNotAsked.length, 1);
    assert.not.ok('state' in json.pullRequests[0]!);
    // Gone from GitHub (the repository transferred, the pull request's number from another journal): its state is not read, the rest is shown.
    const journalFile = join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`);
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { reviewRequests: Array<{ number: number }> };
    journal.reviewRequests[0]!.number = 999;
    writeFileSync(journalFile, JSON.stringify(journal));
    const gone = await status(s, ['--forge', '--api-url', server.apiUrl], { GITHUB_TOKEN: TOKEN });
    assert.is(gone.code, 0, gone.stderr);
    assert.match(gone.stdout, /  state not read: 404\b.*Not Found/);
    // The options that say how to ask go with --forge.
    const usage = await status(s, ['--api-url', server.apiUrl]);
    assert.is(usage.code, 64);
  }));

test('an apply --pr records who approved: status shows it from the journal without asking the forge, and show after the plan; the commits are the planned ones with Approved-by trailers', () =>
  withServer(async (server, s) => {
    server.openPullRequest(42, 'Roll back api-js in production', 'octo-dev');
    const plan = saved(s);
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, GITHUB_ACTIONS: 'true' };
    assert.is((await cli(s, ['comment', 'plan.json', '--pr', PR], env)).code, 0);
    server.pulls.review(42, 'alice', 'APPROVED');
    server.pulls.review(42, 'bob', 'APPROVED');
    const applied = await cli(s, ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--pr', PR, 'plan.json'], env);
    assert.is(applied.code, 0, applied.stderr);
    const head = server.pulls.head(42).slice(0, 7);
    const shown = await status(s);
    assert.match(shown.stdout, new RegExp(`\\nApproved \\(apply --pr, from its journal\\):\\n  production rollback plan ${plan.id.slice(0, 19)}…: octo-org/deploy#42 by alice, bob \\(1 required\\) at ${head}, checked 20\\d\\d-`));
    const json = JSON.parse((await status(s, ['--format', 'json'])).stdout) as { approvals: Array<{ plan: string; approvers: string[]; pullRequest: string; environment: string }> };
    assert.equal(json.approvals.map((a) => [a.plan, a.pullRequest, a.approvers, a.environment]), [[plan.id, PR, ['alice', 'bob'], 'production']]);
    const show = await cli(s, ['show', 'plan.json']);
    assert.match(show.stdout, new RegExp(`\\nApplied, from the journal of this plan:\\n(  .*\\n)*  approved on octo-org/deploy#42 by alice, bob \\(1 required\\) at ${head}, checked by apply --pr at 20`));
    // The commits apply pushed are the planned ones with the approvers in Approved-by trailers: the reviewed tree, a new id.
    const last = plan.actions.filter((a): a is Extract<Action, { kind: 'commit' }> => a.kind === 'commit').at(-1)!;
    const [tip, tree] = gitOut(s.remote, ['log', '-1', '--format=%H %T', `refs/heads/${last.branch}`]).trim().split(' ');
    assert.is(tree, last.tree);
    assert.is.not(tip, last.commit);
    assert.is(gitOut(s.remote, ['log', '-1', '--format=%(trailers:key=Approved-by,valueonly)', tip!]), 'alice (octo-org/deploy#42)\nbob (octo-org/deploy#42)\n\n');
  }));

test.run();
