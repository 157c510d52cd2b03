import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { planRollback, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { Action } from '../../src/plan/types.js';

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

test.run();
