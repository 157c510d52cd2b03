// Issue 16 §2 across a gate wait on GitLab: apply --pr group/project!N checks the approval
// before writing and again once the gate passes after `--wait`, before the deploy is written.
// A push to the merge request while apply waited (a new diff version) voids what was approved.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { git } from '../../fixtures/git.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { startGitLabContractServer, type GitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { runCliAsync, startCli } from '../helpers/run-cli.js';
import type { TestRegistry } from '../helpers/test-registry.js';
import { forgeAndRegistry } from '../helpers/forge/forge-and-registry.js';
import { noSecretOut } from '../helpers/approval-loop.js';

const TOKEN = 'glpat-16ApprovalAtGateT0kenNeverPrinted';
const PROJECT = 'acme/payments/shop-api';

let registry: TestRegistry;
let server: GitLabContractServer;
let seed = 260;
let iid = 11;

forgeAndRegistry(test, 'GitLab', async (started) => {
  registry = started;
  return (server = await startGitLabContractServer({ project: PROJECT, token: TOKEN }));
});

const ENV = () => ({ GITLAB_TOKEN: TOKEN, CI_SERVER_URL: server.url, HOTFIX_TEST_FORGE_SECOND_MS: '1' });

/** A hotfix plan posted on its merge request and approved there by schen; its image built, `unit` still running. */
async function approvedHotfix() {
  const h = await gatedHotfix(registry.host, seed++, (s) => withChecksSource(s.policyFile, { forge: 'gitlab', repository: PROJECT }));
  const mr = iid++;
  const ref = `${PROJECT}!${mr}`;
  server.openMergeRequest(mr, 'Hotfix shop-api in production');
  const posted = await runCliAsync(['comment', h.planFile, '--pr', ref], { cwd: h.s.root, env: ENV() });
  assert.is(posted.code, 0, posted.stderr);
  server.approvals.approve(mr, 'schen');
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const head = (plan.actions.find((a) => a.kind === 'gate') as { revision: string }).revision;
  await h.meetGate();
  const unit = server.checks.job(head, 'unit', 'running');
  server.checks.job(head, 'smoke', 'success');
  const base = h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check');
  return { h, mr, unit, apply: (extra: readonly string[]) => [...base.slice(0, -1), '--pr', ref, ...extra, base.at(-1)!] };
}

const configRefs = (h: GatedHotfix) => git(h.s.configRemote, ['for-each-ref', '--format=%(refname) %(objectname)']);

test('a push to the merge request while apply --pr --wait waits at the gate voids the approval: HF516 once the gate passes, the deploy not written', async () => {
  const { h, mr, unit, apply } = await approvedHotfix();
  const before = await configRefs(h);
  const waiting = startCli(apply(['--wait', '30s']), { cwd: h.s.root, env: ENV() });
  await waiting.printed(/^waiting: checks not done on [0-9a-f]{7} in GitLab/m);
  server.approvals.push(mr, '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b');
  server.checks.update(unit, 'success');
  const r = await waiting.result;
  noSecretOut(TOKEN, r);
  assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, new RegExp(`^approved: ${PROJECT}!${mr} by schen \\(1 required\\)`, 'm'), 'approved before the wait');
  const lines = r.stderr.trimEnd().split('\n');
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error {2}while apply waited at the gate, the approval stopped holding: plan sha256:[0-9a-f]{64} is not approved on \S+: 1 push came after the plan comment \S+ last changed \(\S+\), the latest making 9c8b7a6 the head/);
  assert.match(lines[0]!, /nothing after the gate was written \(the deploy included\), what came before it is kept and journalled {2}\[HF516\]$/);
  assert.not.match(r.stdout, /Apply complete/);
  assert.is(await configRefs(h), before, 'the deploy was written');
});

test('approved and left alone while apply waits: the approvals are read again once the gate passes, and the deploy is written', async () => {
  const { h, unit, apply } = await approvedHotfix();
  const waiting = startCli(apply(['--wait', '30s']), { cwd: h.s.root, env: ENV() });
  await waiting.printed(/^waiting: /m);
  const asked = server.requests.length;
  server.checks.update(unit, 'success');
  const r = await waiting.result;
  noSecretOut(TOKEN, r);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Apply complete/);
  const after = server.requests.slice(asked).map((q) => q.operation);
  assert.ok(after.includes('getApiV4ProjectsIdMergeRequestsMergeRequestIidVersions') && after.includes('getApiV4ProjectsIdMergeRequestsMergeRequestIidApprovals'), `not read again after the wait: ${after.join(', ')}`);
});

test.run();
