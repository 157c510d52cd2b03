import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { gitOut, planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCli, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { Action, Plan } from '../../src/plan/types.js';

// Issue 16 §3 through the built CLI: apply pushes the rollback branch for review, then opens
// its pull request on a loopback GitHub that checks every call against GitHub's OpenAPI
// description (pulls.list head=owner:branch, pulls.create, pulls.update, issues.addLabels,
// pulls.requestReviewers), and whose octo-org/deploy is the scenario's bare remote: a pull
// request's head must be a branch pushed there, as on GitHub.
const TOKEN = 'ghs_16PullRequestT0kenThatMustNeverBePrinted';

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;

/** The scenario's policy with owners as a team writes them: a person by login, a team as org/team. */
function withOwners(s: GitopsScenario): void {
  const text = readFileSync(s.policyFile, 'utf8');
  writeFileSync(s.policyFile, text.replace(/^metadata:\n {2}name: api-js\n/m, 'metadata:\n  name: api-js\n  owners: [alice, octo-org/sre]\n'));
}

function saved(s: GitopsScenario): Plan {
  const r = planRollback(s, ['--reason', 'checkout returns 500']);
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, 'plan.json'), JSON.stringify(r.plan));
  return r.plan!;
}

function apply(server: ContractServer, s: GitopsScenario, extra: readonly string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--api-url', server.apiUrl, ...extra, 'plan.json'], {
    cwd: s.root,
    env: { GITHUB_TOKEN: TOKEN, HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env },
  });
}

function clean(...results: readonly CliResult[]): void {
  for (const r of results) {
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

function journal(s: GitopsScenario, plan: Plan): { done: string[]; reviewRequests?: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8'));
}

async function withServer(run: (server: ContractServer, s: GitopsScenario) => Promise<void>, collaborators: readonly string[] = ['alice']): Promise<void> {
  const s = await scenario();
  withOwners(s);
  const server = await startGitHubContractServer({ token: TOKEN, remote: s.remote, collaborators, teams: ['sre'] });
  try {
    await run(server, s);
    assert.equal(server.violations, [], "requests or answers outside GitHub's API description");
  } finally {
    await server.close();
  }
}

test('a rollback apply opens one pull request: title, body with the plan, labels, reviewers from metadata.owners; the URL printed, journalled, shown by status; a rerun updates it', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    const r = await apply(server, s);
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    clean(r);
    assert.is(gitOut(s.remote, ['rev-parse', `refs/heads/${pr.head}`]).trim(), plan.actions.find((a): a is Extract<Action, { kind: 'push' }> => a.kind === 'push')!.refs[0]!.sha, 'the branch is pushed');
    const opened = server.pulls.from(pr.head);
    assert.is(opened.length, 1);
    const [p] = opened;
    assert.is(p!.title, pr.title);
    assert.is(p!.base, 'main');
    assert.ok(p!.body!.includes(`It carries out plan ${plan.id}`), p!.body);
    // The plan as show --format markdown renders it, whole: it fits.
    const shown = runCli(['show', 'plan.json', '--format', 'markdown'], { cwd: s.root }).stdout;
    assert.ok(p!.body!.includes(shown.replace(/\n+$/, '')), 'the body holds the plan as show --format markdown prints it');
    assert.equal(p!.labels, ['hotfix', 'rollback']);
    assert.equal(p!.reviewers, ['alice']);
    assert.equal(p!.teams, ['sre']);
    const url = `https://github.com/octo-org/deploy/pull/${p!.number}`;
    assert.ok(r.stdout.includes(`pull request created: ${url} (${pr.head} → main), recorded in the journal\n`), r.stdout);
    assert.not.ok(r.stdout.includes('Open these pull requests'), 'apply does not ask a person to open what it opened');
    assert.equal(
      journal(s, plan).reviewRequests!.map((x) => [x.action, x.forge, x.repository, x.number, x.url, x.head, x.base, x.policy, x.environment]),
      [[pr.id, 'github', 'octo-org/deploy', p!.number, url, pr.head, 'main', 'api-js', 'production']],
    );
    const calls = server.requests.map((q) => `${q.operation} ${q.status}`);
    assert.equal(calls, ['pulls/list 200', 'pulls/create 201', 'issues/add-labels 200', 'pulls/request-reviewers 201']);

    // Run twice: nothing to do in git, and the same pull request, found by its head and updated.
    p!.title = 'edited by a person';
    const again = await apply(server, s);
    assert.is(again.code, 0, again.stderr);
    clean(again);
    assert.match(again.stdout, /Nothing to do: this plan was applied completely before/);
    assert.ok(again.stdout.includes(`pull request updated: ${url} (${pr.head} → main)`), again.stdout);
    assert.is(server.pulls.from(pr.head).length, 1, 'a rerun opened a second pull request');
    assert.is(p!.title, pr.title);
    assert.equal(server.requests.slice(calls.length).map((q) => q.operation), ['pulls/list', 'pulls/update', 'issues/add-labels', 'pulls/request-reviewers']);

    const status = runCli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry'], { cwd: s.root });
    assert.is(status.code, 0, status.stderr);
    assert.ok(status.stdout.includes(`\n  production rollback: ${url}  ${pr.head} → main  (plan ${plan.id.slice(0, 19)}…`), status.stdout);
    const json = JSON.parse(runCli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--format', 'json'], { cwd: s.root }).stdout) as { pullRequests: Array<{ url: string }> };
    assert.equal(json.pullRequests.map((x) => x.url), [url]);
  }));

test('another job opens the same pull request between the list and the create (422 "A pull request already exists"): apply takes that one up, still one', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    server.raceCreates(1);
    const r = await apply(server, s);
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    clean(r);
    assert.equal(server.requests.map((q) => `${q.operation} ${q.status}`), ['pulls/list 200', 'pulls/create 422', 'pulls/list 200', 'pulls/update 200', 'issues/add-labels 200', 'pulls/request-reviewers 201']);
    const opened = server.pulls.from(pr.head);
    assert.is(opened.length, 1);
    assert.ok(opened[0]!.body!.includes(plan.id), 'the one pull request got the plan as its body');
    assert.match(r.stdout, /pull request updated: https:\/\/github\.com\/octo-org\/deploy\/pull\/1 /);
  }));

test('a 422 "A pull request already exists" whose pull request the list does not show yet: the push is kept, HF518 quotes GitHub and gives the command; the rerun updates that one, still one', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    server.raceCreates(1, true);
    const r = await apply(server, s);
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    clean(r);
    assert.match(r.stdout, /Apply complete: sha256:/);
    assert.ok(refs(s.remote).includes(`refs/heads/${pr.head} `), 'the push was kept');
    assert.equal(server.requests.map((q) => `${q.operation} ${q.status}`), ['pulls/list 200', 'pulls/create 422', 'pulls/list 200']);
    assert.ok(r.stderr.startsWith(`error  ${pr.head} is pushed, but its pull request into main could not be opened on GitHub octo-org/deploy (422: Validation Failed: A pull request already exists for octo-org:${pr.head}.); open it by hand at `), r.stderr);
    assert.match(r.stderr, /or with: gh pr create --repo 'octo-org\/deploy' --base 'main' --head '[^']+' .*\[HF518\]\n$/);
    server.listAll();
    const rerun = await apply(server, s);
    assert.is(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stdout, /pull request updated: https:\/\/github\.com\/octo-org\/deploy\/pull\/1 /);
    assert.is(server.pulls.from(pr.head).length, 1);
  }));

test('a token without pull-requests: write (403): the push is kept, HF518 names the pull request, GitHub\'s words and the command; a rerun opens it', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    server.trouble({ operation: 'pulls/create', times: 1, answer: 'forbidden' });
    const r = await apply(server, s);
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    clean(r);
    assert.match(r.stdout, /Apply complete: sha256:/);
    const lines = r.stderr.trimEnd().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /\[HF518\]$/);
    assert.ok(lines[0]!.includes(`${pr.head} is pushed, but its pull request into main could not be opened on GitHub octo-org/deploy (403: Resource not accessible by integration)`), lines[0]);
    const base = server.apiUrl.replace(/\/api\/v3$/, '');
    assert.ok(lines[0]!.includes(`open it by hand at ${base}/octo-org/deploy/compare/main...${pr.head}?expand=1`), lines[0]);
    assert.ok(lines[0]!.includes(`or with: gh pr create --repo 'octo-org/deploy' --base 'main' --head '${pr.head}' --title '${pr.title.replace(/'/g, `'\\''`)}' --label 'hotfix,rollback'`), lines[0]);
    assert.ok(refs(s.remote).includes(`refs/heads/${pr.head} `), 'the push was kept');
    assert.is(server.pulls.from(pr.head).length, 0);
    assert.is(journal(s, plan).reviewRequests, undefined);

    const rerun = await apply(server, s);
    assert.is(rerun.code, 0, rerun.stderr);
    assert.is(server.pulls.from(pr.head).length, 1);
    assert.match(rerun.stdout, /pull request created: https:\/\/github\.com\/octo-org\/deploy\/pull\/1 /);
  }));

test('the plan reviewed and approved on a pull request (apply --pr): the pull request apply opens says where and by whom', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    server.openPullRequest(42, 'Roll back api-js in production', 'octo-dev');
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, GITHUB_ACTIONS: 'true', HOTFIX_TEST_FORGE_SECOND_MS: '1' };
    assert.is((await runCliAsync(['comment', 'plan.json', '--pr', 'octo-org/deploy#42'], { cwd: s.root, env })).code, 0);
    server.pulls.review(42, 'alice', 'APPROVED');
    const r = await apply(server, s, ['--pr', 'octo-org/deploy#42', '--expect-id', plan.id], { GITHUB_ACTIONS: 'true' });
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    clean(r);
    const [opened] = server.pulls.from(plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!.head);
    assert.is(opened!.number, 43, 'numbered after the pull request that carries the plan comment');
    assert.ok(opened!.body!.includes(`It carries out plan ${plan.id}, approved on \`octo-org/deploy#42\` by \`alice\` (1 required); the plan as it was reviewed follows.`), opened!.body!.slice(0, 600));
  }));

test('labels refused after the create (403): the pull request is said to be open, with its URL and why it has no labels (warning HF521, not HF518); journalled; a rerun sets them', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    server.trouble({ operation: 'issues/add-labels', times: 1, answer: 'forbidden' });
    const r = await apply(server, s);
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    clean(r);
    const [p] = server.pulls.from(pr.head);
    assert.equal(p!.labels, [], 'GitHub set no label');
    const url = `https://github.com/octo-org/deploy/pull/${p!.number}`;
    assert.ok(r.stdout.includes(`pull request created: ${url} (${pr.head} → main), recorded in the journal\n`), r.stdout);
    assert.is(r.stderr, `hotfix: warning: ${url} is open (${pr.head} → main), but its labels hotfix, rollback were not set (GitHub octo-org/deploy: 403: Resource not accessible by integration); add them by hand (a token needs pull-requests: write or issues: write on GitHub), or run hotfix apply again on the same plan, which finds it open and sets them [HF521]\n`);
    assert.not.ok(r.stderr.includes('HF518'), 'the pull request was opened: not HF518');
    assert.equal(journal(s, plan).reviewRequests!.map((x) => x.url), [url]);
    assert.equal(server.requests.map((q) => `${q.operation} ${q.status}`), ['pulls/list 200', 'pulls/create 201', 'issues/add-labels 403', 'pulls/request-reviewers 201']);

    const rerun = await apply(server, s);
    assert.is(rerun.code, 0, rerun.stderr);
    assert.is(rerun.stderr, '');
    assert.is(server.pulls.from(pr.head).length, 1);
    assert.equal(p!.labels, ['hotfix', 'rollback']);
  }));

test('a second apply of the plan while the first is opening its pull request (GitHub slow to answer the create): the second meets the lock (HF412) and opens none; the first journals its pull request beside every finished action', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    const hold = server.holdCreate();
    const first = apply(server, s);
    await hold.arrived;
    const second = await apply(server, s);
    hold.release();
    const r = await first;
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    clean(r, second);
    assert.is(second.code, 1, `${second.stdout}\n${second.stderr}`);
    assert.match(second.stderr, /^error {2}\S+ is locked by another apply: .*; wait for it to finish {2}\[HF412\]\n$/);
    assert.equal(server.requests.map((q) => q.operation), ['pulls/list', 'pulls/create', 'issues/add-labels', 'pulls/request-reviewers'], 'the second apply asked GitHub nothing');
    assert.is(server.pulls.from(pr.head).length, 1);
    const kept = journal(s, plan);
    assert.equal([...kept.done].sort(), plan.actions.map((a) => a.id).sort(), 'every finished action is still in the journal');
    assert.equal(kept.reviewRequests!.map((x) => x.number), [server.pulls.from(pr.head)[0]!.number]);
    assert.not.ok(existsSync(join(s.configRepo, '.git', 'hotfix', 'apply.lock')), 'the lock was released');

    const third = await apply(server, s);
    assert.is(third.code, 0, third.stderr);
    assert.match(third.stdout, /pull request updated: /);
    assert.is(server.pulls.from(pr.head).length, 1);
  }));

test('killed right after the push (kill -9): the rerun finds the branch pushed and opens its pull request, once', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const pr = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!;
    const killed = await apply(server, s, [], { HOTFIX_TEST_KILL_AT: 'push:pushed' });
    assert.is(killed.signal, 'SIGKILL');
    assert.ok(refs(s.remote).includes(`refs/heads/${pr.head} `), 'the push happened before the kill');
    assert.equal(server.requests, [], 'no pull request before the push is recorded');
    const rerun = await apply(server, s);
    assert.is(rerun.code, 0, rerun.stderr);
    clean(rerun);
    assert.is(server.pulls.from(pr.head).length, 1);
    assert.match(rerun.stdout, /pull request created: https:\/\/github\.com\/octo-org\/deploy\/pull\/1 /);
    assert.is(journal(s, plan).reviewRequests!.length, 1);
  }));

test('reviewers the forge refuses leave the pull request open, with a warning (HF520); a push URL naming no forge is HF519 before anything is written', () =>
  withServer(async (server, s) => {
    const plan = saved(s);
    const before = refs(s.remote);
    const unknown = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', 'plan.json'], { cwd: s.root, env: { GITHUB_TOKEN: TOKEN } });
    assert.is(unknown.code, 1, unknown.stderr);
    assert.match(unknown.stderr, /^error {2}apply cannot tell which forge repository the pull request \S+ → main goes to: deploy pushes to \S+, which names no repository on a forge; pass --forge-repo deploy=OWNER\/REPO; nothing was written {2}\[HF519\]\n$/);
    assert.is(refs(s.remote), before);
    const noToken = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--api-url', server.apiUrl, 'plan.json'], { cwd: s.root });
    assert.match(noToken.stderr, /\[HF501\]\n$/);
    assert.is(refs(s.remote), before);

    // alice has no access to octo-org/deploy here: GitHub refuses the whole request for reviewers.
    const r = await apply(server, s);
    assert.is(r.code, 0, r.stderr);
    clean(r);
    const [p] = server.pulls.from(plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!.head);
    assert.equal([p!.reviewers, p!.teams, p!.labels], [[], [], ['hotfix', 'rollback']]);
    assert.is(r.stderr, `hotfix: warning: https://github.com/octo-org/deploy/pull/1 is open, but not every owner in metadata.owners (alice, octo-org/sre) was asked to review it (GitHub octo-org/deploy: 422: Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the octo-org/deploy repository.); ask for reviews on it by hand, and name people by login and teams as org/team in metadata.owners [HF520]\n`);
  }, []));

test.run();
