import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { gitOut, planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import type { Plan } from '../../src/plan/types.js';

// apply --pr in a fresh clone follows the approvers an earlier apply of the plan wrote into
// what it pushed (src/apply/earlier-signer.ts). The red team's attacks on that: a run of the
// plan against a forge of the pusher's own, a clone whose remote moved, a commit with more
// trailers than any approval. Through the built CLI, against GitHub's contract server.
const TOKEN = 'ghs_EarlierSignerT0kenThatMustNeverBePrinted';
const PR = 'octo-org/deploy#42';

const env = (server: ContractServer, extra: Record<string, string> = {}) => ({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, GITHUB_ACTIONS: 'true', HOTFIX_TEST_FORGE_SECOND_MS: '1', ...extra });
const comment = (server: ContractServer, s: GitopsScenario) => runCliAsync(['comment', 'plan.json', '--pr', PR], { cwd: s.root, env: env(server) });
const apply = (server: ContractServer, s: GitopsScenario, clone: string, extra: Record<string, string> = {}) =>
  runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--pr', PR, '--repo', `deploy=${clone}`, 'plan.json'], { cwd: s.root, env: env(server, extra) });

function clean(...results: readonly CliResult[]): void {
  for (const r of results) {
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

/** A rollback plan commented on the real pull request, where alice approved it; a CI job's fresh clone of the remote. */
async function approvedRollback(server: ContractServer): Promise<{ s: GitopsScenario; plan: Plan; branch: string; clone: () => string }> {
  const s = await scenario();
  const plan = planRollback(s, ['--reason', 'checkout returns 500']).plan!;
  writeFileSync(join(s.root, 'plan.json'), JSON.stringify(plan));
  assert.is((await comment(server, s)).code, 0);
  server.pulls.review(42, 'alice', 'APPROVED');
  const branch = plan.actions.find((a) => a.kind === 'push')!.refs[0]!.ref;
  let n = 0;
  const clone = () => {
    const dir = join(s.root, `ci-${n++}`);
    gitOut(s.root, ['clone', '--quiet', s.remote, dir]);
    return dir;
  };
  return { s, plan, branch, clone };
}

async function withServers(count: number, run: (...servers: ContractServer[]) => Promise<void>): Promise<void> {
  const servers = await Promise.all(Array.from({ length: count }, () => startGitHubContractServer({ token: TOKEN })));
  for (const server of servers) server.openPullRequest(42, 'Roll back api-js in production', 'octo-dev');
  try {
    await run(...servers);
    for (const server of servers) assert.equal(server.violations, [], "requests or answers outside GitHub's API description");
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}

test('the plan run by someone who can push, against a forge of their own where "ceo" approved: HF526, nothing written, ceo in no journal', () =>
  withServers(2, async (real, theirs) => {
    const { s, plan, clone } = await approvedRollback(real);
    // Their run: the same plan, commented and "approved" on their forge, killed once it pushed.
    assert.is((await comment(theirs, s)).code, 0);
    theirs.pulls.review(42, 'ceo', 'APPROVED');
    const push = plan.actions.find((a) => a.kind === 'push')!;
    const forged = await apply(theirs, s, clone(), { HOTFIX_TEST_KILL_AT: `${push.id}:pushed` });
    assert.is(forged.signal, 'SIGKILL', forged.stderr);
    const pushed = refs(s.remote);
    // The real CI job, where alice approved.
    const ci = clone();
    const before = refs(ci);
    const r = await apply(real, s, ci);
    assert.is(r.code, 1, r.stdout);
    assert.match(r.stderr, /^error {2}origin has refs\/heads\/rollback\/[^ ]+ at [0-9a-f]{7}, made by an earlier apply of this plan with Approved-by: ceo \(octo-org\/deploy#42\), but ceo does not approve octo-org\/deploy#42 now \(it has alice\); nothing was written\. [^\n]*\[HF526\]\n$/);
    assert.is(refs(ci), before, 'nothing written in the clone');
    assert.is(refs(s.remote), pushed, 'nothing pushed');
    clean(forged, r);
  }));

test('a clone whose remote moved: nothing is fetched from the URL the plan names, and the moved remote is refused (HF404)', () =>
  withServers(1, async (real) => {
    const { s, branch } = await approvedRollback(real);
    // The repository moved: the CI clone's origin is elsewhere now.
    const moved = join(s.root, 'moved.git');
    gitOut(s.root, ['clone', '--quiet', '--bare', s.remote, moved]);
    // On the plan's URL since: someone's commit on the plan's branch, with a trailer of this pull request.
    const other = join(s.root, 'other');
    gitOut(s.root, ['clone', '--quiet', s.remote, other]);
    gitOut(other, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--allow-empty', '-q', '-m', 'junk\n\nApproved-by: ceo (octo-org/deploy#42)']);
    const junk = gitOut(other, ['rev-parse', 'HEAD']).trim();
    gitOut(other, ['push', '-q', 'origin', `HEAD:${branch}`]);
    const ci = join(s.root, 'ci-moved');
    gitOut(s.root, ['clone', '--quiet', moved, ci]);
    const r = await apply(real, s, ci);
    assert.is(r.code, 1, r.stdout);
    assert.match(r.stderr, /remote origin now pushes to [^\n]*\[HF404\]/);
    assert.throws(() => gitOut(ci, ['cat-file', '-e', junk]), undefined, 'an object of the URL the clone no longer pushes to was fetched');
    clean(r);
  }));

test('a commit on the plan\'s branch with 51 Approved-by trailers of this pull request is no earlier apply\'s: not HF524; the push finds the branch taken (HF408) and the remote keeps it', () =>
  withServers(1, async (real) => {
    const { s, branch, clone } = await approvedRollback(real);
    const other = clone();
    const trailers = Array.from({ length: 51 }, (_, i) => `Approved-by: u${i} (octo-org/deploy#42)`).join('\n');
    gitOut(other, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--allow-empty', '-q', '-m', `junk\n\n${trailers}`]);
    gitOut(other, ['push', '-q', 'origin', `HEAD:${branch}`]);
    const taken = refs(s.remote);
    const r = await apply(real, s, clone());
    assert.is(r.code, 1, r.stdout);
    assert.not.match(r.stderr, /HF524/);
    assert.match(r.stderr, /^error {2}push to origin was rejected: refs\/heads\/rollback\/[^ ]+ \[rejected\] \(non-fast-forward\)[^\n]*\[HF408\]\n$/, r.stderr);
    assert.is(refs(s.remote), taken);
    clean(r);
  }));

test.run();
