import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { forgeAndRegistry } from '../helpers/forge/forge-and-registry.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { TestRegistry } from '../helpers/test-registry.js';

// Issue 16 §3 through the built CLI: a hotfix stopped at its gate for checks GitHub reports;
// `status --forge` reads each check's state now, with the gate's own reader (check runs and
// commit statuses of the hotfix head, checked by the contract server against GitHub's
// OpenAPI description), from where apply's journal says it waits.
const TOKEN = 'ghs_16StatusGateT0kenThatMustNeverBePrinted';
const APP_REPO = 'octo-org/shop-api';

let registry: TestRegistry;
let server: ContractServer;

forgeAndRegistry(test, 'GitHub', async (started) => {
  registry = started;
  return (server = await startGitHubContractServer({ token: TOKEN, checksOf: [APP_REPO] }));
});

async function run(args: readonly string[], cwd: string, env: Record<string, string> = { GITHUB_TOKEN: TOKEN }): Promise<CliResult> {
  const r = await runCliAsync(args, { cwd, env: { GITHUB_API_URL: server.apiUrl, HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  return r;
}

test('status --forge shows the checks a hotfix waits for at its gate, each as GitHub reports it now; once apply passes the gate they are no longer shown', async () => {
  const h = await gatedHotfix(registry.host, 61, (s) => withChecksSource(s.policyFile, { forge: 'github', repository: APP_REPO }));
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const gate = plan.actions.find((a): a is Extract<Plan['actions'][number], { kind: 'gate' }> => a.kind === 'gate')!;
  const apply = h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check');
  const status = (extra: readonly string[] = [], env?: Record<string, string>) => run(['status', '--policy', h.s.policyFile, '--repo', `app=${h.s.appRepo}`, '--repo', `deploy=${h.s.configRepo}`, '--cluster-state', h.s.clusterStateFile, '--no-registry', ...extra], h.s.root, env);
  const stopped = await run(apply, h.s.root);
  assert.is(stopped.code, 3, stopped.stderr);
  const waits = (checks: string) => `\n  production hotfix plan ${plan.id.slice(0, 19)}…: ${gate.id} waits for checks on ${gate.revision.slice(0, 7)} in GitHub ${APP_REPO}: ${checks}\n`;

  const unasked = await status();
  assert.is(unasked.code, 0, unasked.stderr);
  assert.ok(unasked.stdout.includes("\nWaiting at the gate (from apply's journal; the checks are not read: pass --forge):" + waits('unit, smoke').slice(0, -1)), unasked.stdout);
  const none = await status(['--forge']);
  assert.ok(none.stdout.includes(waits('unit missing (no check run, status or job of that name), smoke missing (no check run, status or job of that name)')), none.stdout);

  const unit = server.checks.run(APP_REPO, gate.revision, 'unit');
  server.checks.status(APP_REPO, gate.revision, 'smoke', 'success');
  const since = server.requests.length;
  const some = await status(['--forge']);
  assert.ok(some.stdout.includes("\nWaiting at the gate (from apply's journal; checks read from the forge now):" + waits('unit queued (check run), smoke success (status)').slice(0, -1)), some.stdout);
  // Read as the gate reads them: the head's check runs and its commit statuses, once each.
  assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`).sort(), ['checks/list-for-ref 200', 'repos/list-commit-statuses-for-ref 200']);
  const json = JSON.parse((await status(['--forge', '--format', 'json'])).stdout) as { gatesWaiting: Array<{ plan: string; action: string; revision: string; checkStates: Array<{ name: string; state: string; success: boolean }> }> };
  assert.equal(json.gatesWaiting.map((g) => [g.plan, g.action, g.revision, g.checkStates.map((c) => [c.name, c.state, c.success])]), [[plan.id, gate.id, gate.revision, [['unit', 'queued', false], ['smoke', 'success', true]]]]);

  const tokenless = await status(['--forge'], {});
  assert.match(tokenless.stdout, /\nGitHub not asked: no GitHub token: GITHUB_TOKEN is not set; .*\[HF501\]\n$/);
  assert.ok(tokenless.stdout.includes(waits('unit, smoke')), tokenless.stdout);

  server.checks.update(unit, 'completed', 'success');
  await h.meetGate();
  const passed = await run(apply, h.s.root);
  assert.is(passed.code, 0, passed.stderr);
  const after = await status(['--forge']);
  assert.not.match(after.stdout, /Waiting at the gate/);
});

test.run();
