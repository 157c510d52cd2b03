import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { applyPlan, planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { renderGfm } from '../helpers/render-gfm.js';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan } from '../../src/plan/types.js';

const TOKEN = 'ghs_16C0ntractT0kenThatMustNeverBePrinted';
const PR = 'octo-org/deploy#42';

/** `hotfix comment` against the contract server, as a workflow step runs it (GITHUB_TOKEN, GITHUB_API_URL). */
function comment(server: ContractServer, cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['comment', ...args], { cwd, env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
}

/** Every output of every run: the token is never in it, and nothing failed with a stack. */
function clean(...results: readonly CliResult[]): void {
  for (const r of results) {
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

/** A port nothing listens on (fetch refuses the well-known unsafe ones, such as 9, before trying). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function withServer(run: (server: ContractServer) => Promise<void>): Promise<void> {
  const server = await startGitHubContractServer({ token: TOKEN });
  server.openPullRequest(42, 'Roll back api-js in production');
  try {
    await run(server);
    assert.equal(server.violations, [], 'requests or answers outside GitHub\'s API description');
  } finally {
    await server.close();
  }
}

const ours = (server: ContractServer) => server.comments.filter((c) => c.author === 'github-actions[bot]');

test('plan → comment → re-plan → comment updates in place → apply --expect-id takes only the commented plan', () =>
  withServer(async (server) => {
    const s = await scenario();
    const first = planRollback(s, ['--reason', 'checkout returns 500']);
    const firstFile = join(s.root, 'first.json');
    writeFileSync(firstFile, JSON.stringify(first.plan));
    const posted = await comment(server, s.root, ['first.json', '--pr', PR]);
    assert.is(posted.code, 0, posted.stderr);
    assert.match(posted.stdout, /^Plan comment on octo-org\/deploy#42 \(1 posted, 0 updated, 0 hidden as outdated\): https:\/\/github\.com\/octo-org\/deploy\/pull\/42#issuecomment-\d+$/m);
    assert.is(ours(server).length, 1);
    const [c] = ours(server);
    assert.ok(c!.body.startsWith('<!-- hotfix-plan-comment key=rollback/api-js/production part=1/1 plan=sha256:'), c!.body.slice(0, 200));
    assert.ok(c!.body.includes(`Plan id: ${first.plan!.id}`));
    assert.ok(c!.body.includes(`hotfix apply --expect-id ${first.plan!.id} 'first.json'`));
    assert.match(c!.body, /^\*\*Plan: 3 to create, 1 to change, 0 to delete\.\*\*$/m);

    // The same plan again writes nothing.
    const again = await comment(server, s.root, ['first.json', '--pr', PR]);
    assert.match(again.stdout, /\(0 posted, 0 updated, 0 hidden as outdated\)/);
    const writes = server.requests.filter((r) => r.operation !== 'pulls/get' && r.operation !== 'issues/list-comments');
    assert.is(writes.length, 1, JSON.stringify(server.requests));

    const second = planRollback(s, ['--reason', 'checkout returns 500 since 10:02']);
    writeFileSync(join(s.root, 'second.json'), JSON.stringify(second.plan));
    const updated = await comment(server, s.root, ['second.json', '--pr', PR]);
    assert.match(updated.stdout, /\(0 posted, 1 updated, 0 hidden as outdated\)/, updated.stderr);
    assert.is(ours(server).length, 1, 'one comment per key');
    assert.is(ours(server)[0]!.id, c!.id, 'updated in place');
    assert.ok(ours(server)[0]!.body.includes(`Plan id: ${second.plan!.id}`));
    assert.not.ok(ours(server)[0]!.body.includes(first.plan!.id));

    // The reviewed id is the second plan's: the first plan file is refused before anything is written.
    const before = refs(s.configRepo);
    const stale = applyPlan(s, firstFile, ['--expect-id', second.plan!.id]);
    assert.is(stale.code, 1);
    assert.match(stale.stderr, /error {2}\S*first\.json is plan sha256:[0-9a-f]{64}, not the expected sha256:[0-9a-f]{64}; nothing was written.*\[HF500\]\n$/);
    assert.is(refs(s.configRepo), before);
    const malformed = applyPlan(s, firstFile, ['--expect-id', second.plan!.id.slice(0, 20)]);
    assert.is(malformed.code, 64);
    assert.match(malformed.stderr, /--expect-id takes a plan id as the plan shows it \(sha256: and 64 hex digits\)/);
    assert.is(refs(s.configRepo), before);
    const applied = applyPlan(s, join(s.root, 'second.json'), ['--expect-id', second.plan!.id]);
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Apply complete: sha256:/);
    clean(posted, again, updated, stale, malformed, applied);
  }));

test('a refused plan takes the place of the plan comment with its findings', () =>
  withServer(async (server) => {
    const s = await scenario();
    const plan = planRollback(s, ['--reason', 'checkout returns 500']);
    writeFileSync(join(s.root, 'plan.json'), JSON.stringify(plan.plan));
    await comment(server, s.root, ['plan.json', '--pr', PR]);
    // A second rollback to a tag that was never deployed is refused; its JSON is what the workflow saves.
    const refused = planRollback(s, ['--reason', 'checkout returns 500', '--to', 'no-such-tag', '--format', 'json']);
    assert.is(refused.code, 1, refused.stdout);
    writeFileSync(join(s.root, 'refused.json'), refused.stdout);
    const missingKey = await comment(server, s.root, ['refused.json', '--pr', PR]);
    assert.is(missingKey.code, 64);
    assert.match(missingKey.stderr, /refused\.json holds the findings of a refused plan: say which plan's comment they take the place of with --kind, --policy-name and --env/);
    const posted = await comment(server, s.root, ['refused.json', '--pr', PR, '--kind', 'rollback', '--policy-name', 'api-js', '--env', 'production']);
    assert.is(posted.code, 0, posted.stderr);
    assert.is(ours(server).length, 1);
    const body = ours(server)[0]!.body;
    assert.match(body, /^<!-- hotfix-plan-comment key=rollback\/api-js\/production part=1\/1 plan=none /);
    assert.match(body, /### hotfix: no plan/);
    assert.match(body, /❌ \*\*HF3\d\d\*\*/);
    assert.not.ok(body.includes('Plan id:'));
    clean(missingKey, posted);
  }));

test('bad input: no token, no such pull request, a wrong token, a file that is neither a plan nor a refusal', () =>
  withServer(async (server) => {
    const s = await scenario();
    writeFileSync(join(s.root, 'plan.json'), JSON.stringify(planRollback(s, ['--reason', 'x']).plan));
    const noToken = await comment(server, s.root, ['plan.json', '--pr', PR], { GITHUB_TOKEN: '' });
    assert.is(noToken.code, 1);
    assert.match(noToken.stderr, /^error {2}no GitHub token: GITHUB_TOKEN is empty; .*\[HF501\]\n$/);
    const otherVar = await comment(server, s.root, ['plan.json', '--pr', PR, '--token-env', 'DEPLOY_BOT_TOKEN']);
    assert.match(otherVar.stderr, /DEPLOY_BOT_TOKEN is not set.*\[HF501\]/);
    const viaOther = await comment(server, s.root, ['plan.json', '--pr', PR, '--token-env', 'DEPLOY_BOT_TOKEN'], { GITHUB_TOKEN: 'wrong', DEPLOY_BOT_TOKEN: TOKEN });
    assert.is(viaOther.code, 0, viaOther.stderr);
    const noPr = await comment(server, s.root, ['plan.json', '--pr', 'https://github.com/octo-org/deploy/pull/7']);
    assert.is(noPr.code, 1);
    assert.match(noPr.stderr, /^error {2}GitHub has no pull request octo-org\/deploy#7 that this token can see .*\[HF502\]\n$/);
    const wrongToken = await comment(server, s.root, ['plan.json', '--pr', PR], { GITHUB_TOKEN: 'ghs_wrong' });
    assert.match(wrongToken.stderr, /^error {2}GitHub refused the token \(401: Bad credentials\).*\[HF505\]\n$/);
    assert.not.ok(wrongToken.stderr.includes('ghs_wrong'));
    writeFileSync(join(s.root, 'other.json'), JSON.stringify({ hello: 'world' }));
    const other = await comment(server, s.root, ['other.json', '--pr', PR]);
    assert.match(other.stderr, /other\.json is neither a plan .*\[HF508\]/);
    writeFileSync(join(s.root, 'warnings-only.json'), JSON.stringify({ formatVersion: '1.0', tool: { name: 'hotfix', version: '0.1.0' }, summary: { errors: 0, warnings: 0 }, diagnostics: [] }));
    const empty = await comment(server, s.root, ['warnings-only.json', '--pr', PR, '--kind', 'rollback', '--policy-name', 'api-js', '--env', 'production']);
    assert.match(empty.stderr, /warnings-only\.json is neither a plan .* nor the findings of a refused plan with an error among them.*\[HF508\]/);
    server.openPullRequest(43, 'Roll back web in production');
    server.trouble({ operation: 'issues/create-comment', times: 1, answer: 'forbidden' });
    const readOnly = await comment(server, s.root, ['plan.json', '--pr', 'octo-org/deploy#43']);
    assert.is(readOnly.code, 1);
    assert.match(readOnly.stderr, /^error {2}GitHub refused the token when hotfix tried to post a comment on octo-org\/deploy#43 \(403: Resource not accessible by integration\): give it write access to pull request comments \(in GitHub Actions: permissions: pull-requests: write\).*\[HF505\]\n$/);
    // --api-url wins over GITHUB_API_URL; a closed port is HF503 after the bounded retries.
    const closed = `http://127.0.0.1:${await closedPort()}/api/v3`;
    const byOption = await comment(server, s.root, ['plan.json', '--pr', PR, '--api-url', server.apiUrl], { GITHUB_API_URL: closed });
    assert.is(byOption.code, 0, byOption.stderr);
    const unreachable = await comment(server, s.root, ['plan.json', '--pr', PR], { GITHUB_API_URL: closed });
    assert.is(unreachable.code, 1);
    assert.match(unreachable.stderr, /^error {2}GitHub could not be reached when hotfix tried to read the pull request on octo-org\/deploy#42 \(connect ECONNREFUSED 127\.0\.0\.1:\d+, after 2 retries\).*\[HF503\]\n$/);
    const badUrl = await comment(server, s.root, ['plan.json', '--pr', PR, '--api-url', 'api.github.com']);
    assert.is(badUrl.code, 64);
    const badPr = await comment(server, s.root, ['plan.json', '--pr', 'octo-org/deploy@42']);
    assert.is(badPr.code, 64);
    clean(noToken, otherVar, viaOther, noPr, wrongToken, other, empty, readOnly, byOption, unreachable, badUrl, badPr);
  }));

test('server errors and rate limits: retried a bounded number of times, then one coded line', () =>
  withServer(async (server) => {
    const s = await scenario();
    writeFileSync(join(s.root, 'plan.json'), JSON.stringify(planRollback(s, ['--reason', 'x']).plan));
    server.trouble({ operation: 'issues/create-comment', times: 1, answer: 'server-error' });
    const recovered = await comment(server, s.root, ['plan.json', '--pr', PR]);
    assert.is(recovered.code, 0, recovered.stderr);
    assert.equal(server.requests.filter((r) => r.operation === 'issues/create-comment').map((r) => r.status), [502, 201]);

    server.trouble({ operation: 'issues/list-comments', times: Infinity, answer: 'server-error' });
    const down = await comment(server, s.root, ['plan.json', '--pr', PR]);
    assert.is(down.code, 1);
    assert.match(down.stderr, /^error {2}GitHub failed when hotfix tried to list its comments on octo-org\/deploy#42 \(502: Server Error, after 2 retries\).*\[HF503\]\n$/);
    assert.is(server.requests.filter((r) => r.operation === 'issues/list-comments' && r.status === 502).length, 3, 'the first try and 2 retries');
    clean(recovered, down);
  }));

test('rate limits: waited out when short, one coded line with the reset time when they last', () =>
  withServer(async (server) => {
    const s = await scenario();
    writeFileSync(join(s.root, 'plan.json'), JSON.stringify(planRollback(s, ['--reason', 'x']).plan));
    server.trouble({ operation: 'pulls/get', times: 1, answer: 'rate-limit', resetSeconds: 1 });
    server.trouble({ operation: 'issues/create-comment', times: 1, answer: 'secondary-rate-limit', resetSeconds: 1 });
    const waited = await comment(server, s.root, ['plan.json', '--pr', PR]);
    assert.is(waited.code, 0, waited.stderr);
    assert.equal(server.requests.filter((r) => r.operation === 'pulls/get').map((r) => r.status), [403, 200]);

    server.trouble({ operation: 'pulls/get', times: Infinity, answer: 'rate-limit', resetSeconds: 1 });
    const limited = await comment(server, s.root, ['plan.json', '--pr', PR]);
    assert.is(limited.code, 1);
    assert.match(limited.stderr, /^error {2}GitHub rate-limited the token while hotfix tried to read the pull request on octo-org\/deploy#42 \(403: API rate limit exceeded.*the limit resets at \d{4}-.*\[HF504\]\n$/);
    assert.is(server.requests.filter((r) => r.operation === 'pulls/get' && r.status === 403).length, 1 + 3, 'one earlier, then the first try and 2 retries');

    clean(waited, limited);
  }));

test('a plan comment edited by a person stops the command before anything is written: marker kept (HF506) or lost (HF507)', () =>
  withServer(async (server) => {
    const s = await scenario();
    writeFileSync(join(s.root, 'plan.json'), JSON.stringify(planRollback(s, ['--reason', 'x']).plan));
    await comment(server, s.root, ['plan.json', '--pr', PR]);
    const [c] = ours(server);
    const original = c!.body;
    server.personComment(42, 'LGTM, but wait for the on-call');
    server.personEdit(c!.id, original.replace('Plan id:', 'Approved plan id:'));
    writeFileSync(join(s.root, 'next.json'), JSON.stringify(planRollback(s, ['--reason', 'y']).plan));
    const edited = await comment(server, s.root, ['next.json', '--pr', PR]);
    assert.is(edited.code, 1);
    assert.match(edited.stderr, new RegExp(`^error {2}comment https://github\\.com/octo-org/deploy/pull/42#issuecomment-${c!.id} is hotfix's plan comment for rollback of api-js in production \\(part 1\\), edited since hotfix posted it.*delete that comment.*\\[HF506\\]\\n$`));

    // An edit of line ends only (the web editor saves CRLF) is no edit.
    server.personEdit(c!.id, original);
    const same = await comment(server, s.root, ['plan.json', '--pr', PR]);
    assert.is(same.code, 0, same.stderr);
    assert.match(same.stdout, /\(0 posted, 0 updated/);

    server.personEdit(c!.id, original.slice(original.indexOf('\n') + 1));
    const lost = await comment(server, s.root, ['next.json', '--pr', PR]);
    assert.is(lost.code, 1);
    assert.match(lost.stderr, /shows hotfix's plan comment for rollback of api-js in production but an edit removed its hidden marker.*\[HF507\]\n$/);
    const writes = server.requests.filter((r) => r.operation === 'issues/update-comment' || r.operation === 'issues/create-comment');
    assert.is(writes.length, 1, 'only the first post: nothing written after an edit');
    clean(edited, same, lost);
  }));

test('a plan too long for one comment goes in numbered parts that render on their own; a shorter plan hides the parts it no longer needs', () =>
  withServer(async (server) => {
    const s = await scenario();
    const plan = planRollback(s, ['--reason', 'checkout returns 500']).plan!;
    writeFileSync(join(s.root, 'short.json'), JSON.stringify(plan));
    // The notes are one code block: long enough for three comments, so the block is cut twice.
    const notes = Array.from({ length: 1500 }, (_, i) => `note ${String(i).padStart(4, '0')}: the previous image main-1f0c2e9 ran from 09:12 to 10:02 on 14 nodes \`ok\``);
    const { id: _id, ...body } = plan;
    const long = sealPlan({ ...body, notes: [...plan.notes, ...notes] } as Omit<Plan, 'id'>);
    writeFileSync(join(s.root, 'long.json'), JSON.stringify(long));
    const posted = await comment(server, s.root, ['long.json', '--pr', PR]);
    assert.is(posted.code, 0, posted.stderr);
    assert.match(posted.stdout, /^Plan comment in 4 parts on octo-org\/deploy#42 \(4 posted, 0 updated, 0 hidden as outdated\): /m);
    const parts = ours(server);
    assert.is(parts.length, 4);
    for (const part of parts) assert.ok([...part.body].length <= 65_536);
    const one = parts[0]!.body;
    for (const wanted of ['### hotfix: Roll back `api-js` in `production`', '**Plan: 3 to create, 1 to change, 0 to delete.**', `Plan id: ${long.id}`, `hotfix apply --expect-id ${long.id} 'long.json'`, 'parts 2 to 4']) assert.ok(one.includes(wanted), wanted);
    // Rendered as GitHub renders each comment, the notes come back whole and in order from the parts' code blocks.
    const shown = parts.slice(1).flatMap((p) => renderGfm(p.body, { unsafe: true }).codeBlocks().flatMap((b) => b.split('\n').filter((l) => l.startsWith('note '))));
    assert.equal(shown, notes);

    const shorter = await comment(server, s.root, ['short.json', '--pr', PR]);
    assert.match(shorter.stdout, /^Plan comment on octo-org\/deploy#42 \(0 posted, 1 updated, 3 hidden as outdated\): /m, shorter.stderr);
    assert.equal(ours(server).map((c) => c.minimized), [undefined, 'OUTDATED', 'OUTDATED', 'OUTDATED']);
    assert.ok(ours(server)[0]!.body.includes(`Plan id: ${plan.id}`));
    clean(posted, shorter);
  }));

test.run();
