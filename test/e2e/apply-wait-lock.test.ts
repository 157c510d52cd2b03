import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { runCliAsync, startCli, hasStackTrace } from '../helpers/run-cli.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';
import { gitOut as git, planRollback, scenario } from '../helpers/rollback-scenario.js';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';
import { writeFileSync } from 'node:fs';

let registry: TestRegistry;
test.before(async () => {
  registry = await startTestRegistry();
});
test.after(async () => {
  await registry.stop();
});

/** Who the lock file says holds it: what the waiting line must name. */
function holder(repo: string): { pid: number; host: string; owner: string } {
  return JSON.parse(readFileSync(join(repo, '.git', 'hotfix', 'apply.lock'), 'utf8')) as { pid: number; host: string; owner: string };
}

/** The apply of `args` that waits at the gate, holding the locks of both repositories. */
function firstAtGate(args: readonly string[], cwd: string) {
  return startCli([...args.slice(0, 2), '--wait', '10m', ...args.slice(2)], { cwd });
}

test('--wait-lock on the same plan: says whom it waits for, then finds the plan finished by the first', async () => {
  const { s, args, meetGate } = await gatedHotfix(registry.host, 31);
  const first = firstAtGate(args, s.root);
  await first.printed(/^waiting: /m);
  const held = holder(s.appRepo);
  const second = startCli([...args.slice(0, 2), '--wait-lock', '5m', ...args.slice(2)], { cwd: s.root });
  await second.printed(/^waiting for the lock: /m);
  await meetGate();
  const done = await first.result;
  assert.is(done.code, 0, done.stderr);
  const after = await second.result;
  assert.is(after.code, 0, after.stderr);
  const waiting = after.stdout.split('\n').filter((l) => l.startsWith('waiting for the lock: '));
  assert.is(waiting.length, 1, 'one line, however many times it looked');
  assert.match(waiting[0]!, new RegExp(`held by ${held.owner}@${held.host} \\(pid ${held.pid}, since .*, plan sha256:[0-9a-f]{12}…\\) \\(up to 5m\\)$`));
  assert.match(after.stdout, /Nothing to do: this plan was applied completely before/, after.stdout);
});

test('--wait-lock on another plan of the same repositories: once the first is done, its moved preconditions refuse it', async () => {
  const { s, args, meetGate } = await gatedHotfix(registry.host, 32);
  // A second hotfix planned from the same heads, before the first is applied.
  const otherFile = join(s.root, 'other-plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--pick', s.fixes[1]!.commit, '--out', otherFile], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const first = firstAtGate(args, s.root);
  await first.printed(/^waiting: /m);
  const other = startCli([...args.slice(0, 2), '--wait-lock', '5m', ...args.slice(2, -1), otherFile], { cwd: s.root });
  await other.printed(/^waiting for the lock: /m);
  await meetGate();
  assert.is((await first.result).code, 0);
  const refsAfterFirst = git(s.appRepo, ['for-each-ref']) + git(s.configRepo, ['for-each-ref']);
  const refused = await other.result;
  assert.is(refused.code, 1, refused.stdout + refused.stderr);
  // Refused for what the first changed (its hotfix branch and merge-backs), not for the lock:
  // the same refusal as an apply started after the first finished.
  const lines = refused.stderr.trim().split('\n');
  assert.ok(lines.length > 0 && lines.every((l) => /^error +.*\[HF404\]$/.test(l)), refused.stderr);
  assert.match(refused.stderr, /refs\/heads\/hotfix\/\S+ exists now \(at [0-9a-f]{7}\); the plan would create it/);
  assert.not.match(refused.stderr, /HF412/);
  assert.match(refused.stdout, /^waiting for the lock: /m);
  assert.not.ok(hasStackTrace(refused.stderr));
  assert.is(git(s.appRepo, ['for-each-ref']) + git(s.configRepo, ['for-each-ref']), refsAfterFirst, 'the second plan wrote nothing');
});

test('--wait-lock gives up after its duration with HF412, having looked a bounded number of times; the default still refuses at once', async () => {
  const { s, args, meetGate } = await gatedHotfix(registry.host, 33);
  const first = firstAtGate(args, s.root);
  await first.printed(/^waiting: /m);
  const at = await runCliAsync(args, { cwd: s.root });
  assert.is(at.code, 1);
  assert.not.match(at.stdout, /waiting for the lock/);
  assert.match(at.stderr, /is locked by another apply: .*\[HF412\]/);
  const refsBefore = git(s.appRepo, ['for-each-ref']) + git(s.configRepo, ['for-each-ref']);
  const gaveUp = await runCliAsync([...args.slice(0, 2), '--wait-lock', '2s', ...args.slice(2)], { cwd: s.root });
  assert.is(gaveUp.code, 1, gaveUp.stdout + gaveUp.stderr);
  const looks = /gave up waiting for the lock after --wait-lock 2s \((\d+) looks\): .*, held by .*\(pid \d+.* still holds it; nothing was written.*\[HF412\]/.exec(gaveUp.stderr);
  assert.ok(looks, gaveUp.stderr);
  // Polled every 250 ms at most (2s / 20, at least 250 ms): at most 8 waits, and the first look.
  assert.ok(Number(looks[1]) >= 2 && Number(looks[1]) <= 10, looks[1]);
  assert.is(git(s.appRepo, ['for-each-ref']) + git(s.configRepo, ['for-each-ref']), refsBefore);
  const bad = await runCliAsync([...args.slice(0, 2), '--wait-lock', '10', ...args.slice(2)], { cwd: s.root });
  assert.is(bad.code, 64);
  assert.match(bad.stderr + bad.stdout, /--wait-lock takes a duration such as 30s, 20m or 1h, not "10"/);
  await meetGate();
  assert.is((await first.result).code, 0);
});

test('--wait-lock covers the lock apply takes again to open pull requests: a rerun while the first is opening one waits, then finds it open and updates it, never a second', async () => {
  const s = await scenario();
  const r = planRollback(s, ['--reason', 'checkout returns 500']);
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, 'plan.json'), JSON.stringify(r.plan));
  const head = (r.plan!.actions.find((a) => a.kind === 'open-pull-request') as { head: string }).head;
  const token = 'ghs_16WaitLockT0kenThatMustNeverBePrinted';
  const server = await startGitHubContractServer({ token, remote: s.remote });
  try {
    const args = ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--api-url', server.apiUrl];
    const env = { GITHUB_TOKEN: token, HOTFIX_TEST_FORGE_SECOND_MS: '1' };
    // GitHub is slow to answer the first apply's create, which it makes under the lock.
    const hold = server.holdCreate();
    const first = startCli([...args, 'plan.json'], { cwd: s.root, env });
    await hold.arrived;
    const second = startCli([...args, '--wait-lock', '5m', 'plan.json'], { cwd: s.root, env });
    await second.printed(/^waiting for the lock: /m);
    hold.release();
    const [one, two] = [await first.result, await second.result];
    assert.is(one.code, 0, one.stderr);
    assert.is(two.code, 0, two.stderr);
    assert.match(one.stdout, /pull request created: /);
    assert.match(two.stdout, /pull request updated: /);
    assert.is(server.pulls.from(head).length, 1);
    for (const out of [one, two]) assert.not.ok(`${out.stdout}${out.stderr}`.includes(token));
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test.run();
