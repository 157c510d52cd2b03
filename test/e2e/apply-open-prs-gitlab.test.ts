import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitLabContractServer, type GitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCli, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { Action, Plan } from '../../src/plan/types.js';

// Issue 16 §3 on GitLab, through the built CLI: the rollback branch apply pushes gets its
// merge request on a loopback GitLab that checks every call against the endpoints as
// GitLab's OpenAPI v2 document and REST pages describe them (gitlab-contract.ts):
// GET /projects/:id/merge_requests?source_branch=…&state=opened, POST …/merge_requests,
// PUT …/merge_requests/:iid, and GET /users?username= for the reviewers' ids.
const TOKEN = 'glpat-16MergeRequestT0kenNeverPrinted';
const JOB_TOKEN = 'glcbt-64_JobT0kenNeverPrinted0000';
const PROJECT = 'platform/delivery/api-js-config';

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;

function apply(server: GitLabContractServer, s: GitopsScenario, env: Record<string, string> = { GITLAB_TOKEN: TOKEN }): Promise<CliResult> {
  return runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', `deploy=${PROJECT}`, '--forge-url', server.url, 'plan.json'], { cwd: s.root, env: { HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
}

function clean(...results: readonly CliResult[]): void {
  for (const r of results) {
    for (const secret of [TOKEN, JOB_TOKEN]) assert.not.ok(`${r.stdout}${r.stderr}`.includes(secret), 'a token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

async function withServer(run: (server: GitLabContractServer, s: GitopsScenario, plan: Plan, pr: PullRequest) => Promise<void>): Promise<void> {
  const s = await scenario();
  const policy = readFileSync(s.policyFile, 'utf8');
  writeFileSync(s.policyFile, policy.replace(/^metadata:\n {2}name: api-js\n/m, 'metadata:\n  name: api-js\n  owners: [mhoffmann, jdoe, platform/sre]\n'));
  const r = planRollback(s, ['--reason', 'checkout returns 500']);
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, 'plan.json'), JSON.stringify(r.plan));
  const server = await startGitLabContractServer({ project: PROJECT, token: TOKEN, jobToken: JOB_TOKEN });
  try {
    await run(server, s, r.plan!, r.plan!.actions.find((a): a is PullRequest => a.kind === 'open-pull-request')!);
    assert.equal(server.violations, [], "requests or answers outside GitLab's API description");
  } finally {
    await server.close();
  }
}

test('a rollback apply opens one merge request with the plan, its labels, the owners that are users as reviewers; a rerun finds it by source branch and updates it; status shows it', () =>
  withServer(async (server, s, plan, pr) => {
    const r = await apply(server, s);
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    clean(r);
    const [mr, ...more] = server.mergeRequestsFrom(pr.head);
    assert.is(more.length, 0);
    assert.equal([mr!.title, mr!.target, mr!.labels, mr!.reviewers, mr!.state], [pr.title, 'main', ['hotfix', 'rollback'], ['mhoffmann'], 'opened']);
    assert.ok(mr!.description.includes(`It carries out plan ${plan.id}`), mr!.description);
    assert.ok(mr!.description.endsWith('\nOwners (metadata.owners): @mhoffmann @jdoe @platform/sre\n'), mr!.description.slice(-200));
    const url = `${server.url}/${PROJECT}/-/merge_requests/${mr!.iid}`;
    assert.ok(r.stdout.includes(`pull request created: ${url} (${pr.head} → main), recorded in the journal\n`), r.stdout);
    // jdoe has no account on this instance: the merge request is open, a warning says who was not asked.
    assert.is(r.stderr, `hotfix: warning: ${url} is open, but not every owner in metadata.owners (mhoffmann, jdoe, platform/sre) was asked to review it (GitLab ${PROJECT}: no user jdoe); ask for reviews on it by hand, and name people by login and teams as org/team in metadata.owners [HF520]\n`);
    const calls = server.requests.map((q) => `${q.operation} ${q.status}`);
    assert.equal(calls, ['getApiV4Users 200', 'getApiV4Users 200', 'getApiV4ProjectsIdMergeRequests 200', 'postApiV4ProjectsIdMergeRequests 201']);
    assert.equal(server.requests.slice(0, 2).map((q) => q.query), ['username=mhoffmann', 'username=jdoe']);
    assert.match(server.requests[2]!.query ?? '', /(^|&)source_branch=rollback%2Fproduction-[0-9a-f]{7}(&|$)/);
    assert.match(server.requests[2]!.query ?? '', /(^|&)state=opened(&|$)/);

    mr!.title = 'Draft: edited by a person';
    const again = await apply(server, s);
    assert.is(again.code, 0, again.stderr);
    clean(again);
    assert.ok(again.stdout.includes(`pull request updated: ${url} (${pr.head} → main)`), again.stdout);
    assert.is(server.mergeRequestsFrom(pr.head).length, 1, 'a rerun opened a second merge request');
    assert.is(mr!.title, pr.title);
    assert.equal(server.requests.slice(calls.length).map((q) => `${q.operation} ${q.status}`), ['getApiV4Users 200', 'getApiV4Users 200', 'getApiV4ProjectsIdMergeRequests 200', 'putApiV4ProjectsIdMergeRequestsMergeRequestIid 200']);

    const status = runCli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry'], { cwd: s.root });
    assert.ok(status.stdout.includes(`\n  production rollback: ${url}  ${pr.head} → main`), status.stdout);
  }));

test('only the CI/CD job token (GitLab refuses it a merge request, 401): the push is kept, HF518 gives GitLab\'s words, the new-merge-request page and the glab command', () =>
  withServer(async (server, s, _plan, pr) => {
    const r = await apply(server, s, { CI_JOB_TOKEN: JOB_TOKEN });
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    clean(r);
    assert.match(r.stdout, /Apply complete: sha256:/);
    assert.ok(refs(s.remote).includes(`refs/heads/${pr.head} `), 'the push was kept');
    const query = new URLSearchParams({ 'merge_request[source_branch]': pr.head, 'merge_request[target_branch]': 'main' });
    assert.is(
      r.stderr,
      `error  ${pr.head} is pushed, but its pull request into main could not be opened on GitLab ${PROJECT} (401: 401 Unauthorized); open it by hand at ${server.url}/${PROJECT}/-/merge_requests/new?${query} or with: glab mr create --repo '${PROJECT}' --source-branch '${pr.head}' --target-branch 'main' --title '${pr.title.replace(/'/g, `'\\''`)}' --label 'hotfix,rollback'; or run hotfix apply again on the same plan, which finds the branch pushed and opens it  [HF518]\n`,
    );
    assert.is(server.mergeRequestsFrom(pr.head).length, 0);
    const rerun = await apply(server, s);
    assert.is(rerun.code, 0, rerun.stderr);
    assert.is(server.mergeRequestsFrom(pr.head).length, 1);
  }));

test.run();
