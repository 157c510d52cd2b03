import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { planRollback, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { startTestRegistry } from '../helpers/test-registry.js';

// Issue 16 §3 on GitLab through the built CLI: `status --forge` reads the merge request apply
// opened with GET /projects/:id/merge_requests/:merge_request_iid (gitbeaker's
// MergeRequests.show), which the loopback GitLab checks against the endpoint as GitLab's
// OpenAPI v2 document and merge request page describe it (gitlab-contract.ts).
const TOKEN = 'glpat-16StatusForgeT0kenNeverPrinted';
const PROJECT = 'platform/delivery/api-js-config';

test('status --forge on GitLab: the merge request apply opened is open, then merged, then closed; without GITLAB_TOKEN (and no job token) GitLab is not asked, said once', async () => {
  const s = await scenario();
  const r = planRollback(s, ['--reason', 'checkout returns 500']);
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, 'plan.json'), JSON.stringify(r.plan));
  const pr = r.plan!.actions.find((a): a is Extract<Action, { kind: 'open-pull-request' }> => a.kind === 'open-pull-request')!;
  const server = await startGitLabContractServer({ project: PROJECT, token: TOKEN });
  const run = async (args: readonly string[], env: Record<string, string> = { GITLAB_TOKEN: TOKEN }): Promise<CliResult> => {
    const out = await runCliAsync(args, { cwd: s.root, env: { HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
    assert.not.ok(`${out.stdout}${out.stderr}`.includes(TOKEN), 'the token was printed');
    assert.not.ok(hasStackTrace(out.stderr), out.stderr);
    return out;
  };
  const status = (env?: Record<string, string>) => run(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--no-registry', '--forge', '--forge-url', server.url], env);
  try {
    const applied = await run(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', `deploy=${PROJECT}`, '--forge-url', server.url, 'plan.json']);
    assert.is(applied.code, 0, applied.stderr);
    const [mr] = server.mergeRequestsFrom(pr.head);
    const line = (state: string) => `\n  production rollback: ${server.url}/${PROJECT}/-/merge_requests/${mr!.iid}  ${pr.head} → main  ${state}  (plan ${r.plan!.id.slice(0, 19)}…`;
    const since = server.requests.length;
    const open = await status();
    assert.is(open.code, 0, open.stderr);
    assert.ok(open.stdout.includes(line('open')), open.stdout);
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status} ${q.auth}`), ['getApiV4ProjectsIdMergeRequestsMergeRequestIid 200 private']);
    mr!.state = 'merged';
    assert.ok((await status()).stdout.includes(line('merged')));
    mr!.state = 'closed';
    assert.ok((await status()).stdout.includes(line('closed')));
    const before = server.requests.length;
    const tokenless = await status({});
    assert.is(tokenless.code, 0, tokenless.stderr);
    assert.match(tokenless.stdout, /\nGitLab not asked: no GitLab token: GITLAB_TOKEN is not set and there is no CI_JOB_TOKEN; .*\[HF501\]\n$/);
    assert.is(tokenless.stdout.split('GitLab not asked').length, 2);
    assert.is(server.requests.length, before);
    assert.equal(server.violations, [], "requests or answers outside GitLab's API description");
  } finally {
    await server.close();
  }
});

test('status --forge on GitLab: the jobs a hotfix waits for at its gate, as the head\'s commit statuses say now (the instance from CI_SERVER_URL, as in a pipeline)', async () => {
  const registry = await startTestRegistry();
  const server = await startGitLabContractServer({ project: 'acme/payments/shop-api', token: TOKEN });
  try {
    const h = await gatedHotfix(registry.host, 62, (s) => withChecksSource(s.policyFile, { forge: 'gitlab', repository: 'acme/payments/shop-api' }));
    const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
    const gate = plan.actions.find((a): a is Extract<Action, { kind: 'gate' }> => a.kind === 'gate')!;
    const env = { GITLAB_TOKEN: TOKEN, CI_SERVER_URL: server.url, HOTFIX_TEST_FORGE_SECOND_MS: '1' };
    const apply = h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check');
    const stopped = await runCliAsync(apply, { cwd: h.s.root, env });
    assert.is(stopped.code, 3, stopped.stderr);
    const pipeline = 1_600_000_101;
    server.checks.job(gate.revision, 'unit', 'running', { pipeline });
    server.checks.job(gate.revision, 'smoke', 'failed', { pipeline });
    const since = server.requests.length;
    const shown = await runCliAsync(['status', '--policy', h.s.policyFile, '--repo', `app=${h.s.appRepo}`, '--repo', `deploy=${h.s.configRepo}`, '--cluster-state', h.s.clusterStateFile, '--no-registry', '--forge'], { cwd: h.s.root, env });
    assert.is(shown.code, 0, shown.stderr);
    assert.not.ok(`${shown.stdout}${shown.stderr}`.includes(TOKEN));
    assert.ok(shown.stdout.includes(`\n  production hotfix plan ${plan.id.slice(0, 19)}…: ${gate.id} waits for checks on ${gate.revision.slice(0, 7)} in GitLab acme/payments/shop-api: unit running (job), smoke failed (job)\n`), shown.stdout);
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`), ['getApiV4ProjectsIdRepositoryCommitsShaStatuses 200']);
    assert.equal(server.violations, [], "requests or answers outside GitLab's API description");
  } finally {
    await server.close();
    await registry.stop();
  }
});

test.run();
