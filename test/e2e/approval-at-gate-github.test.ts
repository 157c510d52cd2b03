// Issue 16 §2 across a gate wait: apply --pr checks the approval before writing, and again
// once the gate passes after `--wait`, before the deploy is written. A push to the pull
// request or a request for changes while apply waited voids what was approved. Through the
// built CLI, against the contract server (GitHub's OpenAPI description checks every call).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Action, Plan } from '../../src/plan/types.js';
import { git } from '../../fixtures/git.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync, startCli, type CliResult } from '../helpers/run-cli.js';
import type { TestRegistry } from '../helpers/test-registry.js';
import { forgeAndRegistry } from '../helpers/forge/forge-and-registry.js';

const TOKEN = 'ghs_16ApprovalAtGateT0kenNeverPrinted';
const APP_REPO = 'octo-org/shop-api';
const PR = 'octo-org/deploy#42';

let registry: TestRegistry;
let server: ContractServer;
let seed = 160;
let number = 42;

forgeAndRegistry(test, 'GitHub', async (started) => {
  registry = started;
  return (server = await startGitHubContractServer({ token: TOKEN, checksOf: [APP_REPO] }));
});

/** A workflow step's environment: GITHUB_TOKEN posts as github-actions[bot]. */
const ENV = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, GITHUB_ACTIONS: 'true', HOTFIX_TEST_FORGE_SECOND_MS: '1' });

function clean(r: CliResult): void {
  assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
}

/** A hotfix plan posted on its own pull request and approved there by alice; its image built, `unit` still running. */
async function approvedHotfix(): Promise<{ h: GatedHotfix; pr: number; head: string; unit: number; apply: (extra: readonly string[]) => string[] }> {
  const h = await gatedHotfix(registry.host, seed++, (s) => withChecksSource(s.policyFile, { forge: 'github', repository: APP_REPO }));
  const pr = number++;
  const ref = PR.replace(/#\d+$/, `#${pr}`);
  server.openPullRequest(pr, 'Hotfix shop-api in production', 'octo-dev');
  const posted = await runCliAsync(['comment', h.planFile, '--pr', ref], { cwd: h.s.root, env: ENV() });
  assert.is(posted.code, 0, posted.stderr);
  server.pulls.review(pr, 'alice', 'APPROVED');
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const head = (plan.actions.find((a) => a.kind === 'gate') as { revision: string }).revision;
  await h.meetGate();
  const unit = server.checks.run(APP_REPO, head, 'unit', { status: 'in_progress' });
  server.checks.status(APP_REPO, head, 'smoke', 'success');
  const base = h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check');
  return { h, pr, head, unit, apply: (extra) => [...base.slice(0, -1), '--pr', ref, ...extra, base.at(-1)!] };
}

/** The config remote's branches and tags with their commits: main is checked out in the clone, so the deploy moves only the remote. */
const configRefs = (h: GatedHotfix) => git(h.s.configRemote, ['for-each-ref', '--format=%(refname) %(objectname)']);

for (const [what, voids, says] of [
  ['a push to the pull request', (pr: number) => void server.pulls.push(pr), /alice approved [0-9a-f]{7}, not the head [0-9a-f]{7} \(a push after an approval voids it\)/],
  ['a request for changes', (pr: number) => void server.pulls.review(pr, 'alice', 'CHANGES_REQUESTED'), /alice requested changes/],
] as const) {
  test(`${what} while apply --pr --wait waits at the gate voids the approval: HF516 once the gate passes, the deploy not written; approved again, apply goes on`, async () => {
    const { h, pr, unit, apply } = await approvedHotfix();
    const before = await configRefs(h);
    const waiting = startCli(apply(['--wait', '30s']), { cwd: h.s.root, env: ENV() });
    await waiting.printed(/^waiting: checks not done on [0-9a-f]{7} in GitHub octo-org\/shop-api: unit in_progress \(check run\)/m);
    voids(pr);
    server.checks.update(unit, 'completed', 'success');
    const r = await waiting.result;
    clean(r);
    assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^approved: octo-org\/deploy#\d+ by alice \(1 required\)/m, 'approved before the wait');
    const lines = r.stderr.trimEnd().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^error {2}while apply waited at the gate, the approval stopped holding: plan sha256:[0-9a-f]{64} needs 1 approving review on octo-org\/deploy#\d+ and has none; not counted: /);
    assert.match(lines[0]!, says);
    assert.match(lines[0]!, /nothing after the gate was written \(the deploy included\), what came before it is kept and journalled {2}\[HF516\]$/);
    assert.not.match(r.stdout, /Apply complete/);
    assert.is(await configRefs(h), before, 'the deploy was written');

    server.pulls.review(pr, 'alice', 'APPROVED');
    const again = await runCliAsync(apply([]), { cwd: h.s.root, env: ENV() });
    clean(again);
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /Apply complete/);
    assert.is.not(await configRefs(h), before, 'approved again, the deploy is written');
  });
}

test('approved and left alone while apply waits: the approval is read again once the gate passes, and the deploy is written', async () => {
  const { h, pr, unit, apply } = await approvedHotfix();
  const waiting = startCli(apply(['--wait', '30s']), { cwd: h.s.root, env: ENV() });
  await waiting.printed(/^waiting: /m);
  const asked = server.requests.length;
  server.checks.update(unit, 'completed', 'success');
  const r = await waiting.result;
  clean(r);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /Apply complete/);
  const after = server.requests.slice(asked).map((q) => q.operation);
  assert.ok(after.includes('pulls/list-reviews'), `the reviews were not read again after the wait: ${after.join(', ')}`);
  await pushedAsSigned(h, `alice (${PR.replace(/#\d+$/, `#${pr}`)})`);
});

test('stopped at the gate, run again in fresh clones (no journal) once bob approved too: the approvers of the signed tag it pushed are followed', async () => {
  const { h, pr, unit, apply } = await approvedHotfix();
  const first = await runCliAsync(apply([]), { cwd: h.s.root, env: ENV() });
  clean(first);
  assert.is(first.code, 3, `${first.stdout}\n${first.stderr}`);
  const tags = await git(h.s.appRemote, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/tags']);
  assert.match(tags, /^refs\/tags\/hotfix-/m, 'the signed tag was pushed with the hotfix branch');
  server.pulls.review(pr, 'bob', 'APPROVED');
  server.checks.update(unit, 'completed', 'success');
  // The next CI job: clones of both remotes, without the journal the first run kept.
  const app = `${h.s.root}/ci-app`;
  const deploy = `${h.s.root}/ci-deploy`;
  await git(h.s.root, ['clone', '--quiet', h.s.appRemote, app]);
  await git(h.s.root, ['clone', '--quiet', h.s.configRemote, deploy]);
  await git(app, ['branch', 'dev', 'origin/dev']);
  const args = apply([]);
  const r = await runCliAsync([...args.slice(0, -1), '--repo', `app=${app}`, '--repo', `deploy=${deploy}`, args.at(-1)!], { cwd: h.s.root, env: ENV() });
  clean(r);
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /^approvers as an earlier apply of this plan wrote them into what it pushed \(its journal is not in this clone\): alice, read from refs\/tags\/hotfix-[^ ]+ at [0-9a-f]{7} on origin$/m);
  assert.is(await git(h.s.appRemote, ['for-each-ref', '--format=%(refname) %(objectname)', 'refs/tags']), tags, 'the tag as the first run pushed it');
  await pushedAsSigned(h, `alice (${PR.replace(/#\d+$/, `#${pr}`)})`);
});

/**
 * What apply pushed, read back from the remotes: the picks exactly as planned (CI built and
 * checked those ids), and the deploy commit, the merge-backs and the tag as planned with
 * the approver in an Approved-by trailer: the reviewed tree or target, a new id.
 */
async function pushedAsSigned(h: GatedHotfix, approver: string): Promise<void> {
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const remotes: Record<string, string> = { app: h.s.appRemote, deploy: h.s.configRemote };
  const made = new Map<string, Action>(plan.actions.flatMap((a): Array<[string, Action]> => (a.kind === 'commit' || a.kind === 'merge' || a.kind === 'cherry-pick' ? [[a.commit, a]] : a.kind === 'tag' ? [[a.object, a]] : [])));
  const kinds: string[] = [];
  for (const push of plan.actions.filter((a) => a.kind === 'push')) {
    for (const { ref, sha } of push.refs) {
      const action = made.get(sha);
      if (!action) continue;
      const at = (await git(remotes[push.repo]!, ['rev-parse', ref])).trim();
      kinds.push(action.kind);
      if (action.kind === 'cherry-pick') {
        assert.is(at, sha, `${ref}: the pick as planned`);
        assert.not.match(await git(remotes[push.repo]!, ['log', '-1', '--format=%B', at]), /Approved-by/);
        continue;
      }
      assert.is.not(at, sha, `${ref}: made again with the trailer`);
      const [tree, trailers] = (await git(remotes[push.repo]!, ['for-each-ref', '--format=%(if)%(*objectname)%(then)%(*objectname)%(else)%(tree)%(end)%1f%(trailers:key=Approved-by,valueonly)', ref])).split('\x1f');
      assert.is(tree, action.kind === 'tag' ? action.target : 'tree' in action ? action.tree : undefined, `${ref}: the reviewed ${action.kind === 'tag' ? 'target' : 'tree'}`);
      assert.is(trailers!.trim(), approver, `${ref}: Approved-by`);
    }
  }
  assert.equal([...new Set(kinds)].sort(), ['cherry-pick', 'commit', 'merge', 'tag'], 'pushed: the picks, the deploy commit, the merge-backs and the tag');
}

test.run();
