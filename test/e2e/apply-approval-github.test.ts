import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer, type ContractServer } from '../helpers/forge/github-contract-server.js';
import { gitOut, planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { hasStackTrace, runCli, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Action, Plan } from '../../src/plan/types.js';

type CommitAction = Extract<Action, { kind: 'commit' }>;

// The loop of issue 16 §2 through the built CLI: plan → hotfix comment → reviews on the
// pull request (as GitHub keeps them: state, commit_id, submitted_at, user) → apply --pr.
const TOKEN = 'ghs_16ApprovalT0kenThatMustNeverBePrinted';
const PR = 'octo-org/deploy#42';
const AUTHOR = 'octo-dev';

/** A workflow step's environment: GITHUB_TOKEN is an app token that posts as github-actions[bot]. */
function forgeEnv(server: ContractServer, extra: Record<string, string> = {}): Record<string, string> {
  return { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: server.apiUrl, GITHUB_ACTIONS: 'true', HOTFIX_TEST_FORGE_SECOND_MS: '1', ...extra };
}

function comment(server: ContractServer, s: GitopsScenario, file: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['comment', file, '--pr', PR], { cwd: s.root, env: forgeEnv(server, env) });
}

function apply(server: ContractServer, s: GitopsScenario, file: string, extra: readonly string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--pr', PR, ...extra, file], { cwd: s.root, env: forgeEnv(server, env) });
}

/** A plan saved where the workflow keeps it. */
function saved(s: GitopsScenario, name: string, reason: string, policy?: string): Plan {
  const r = planRollback(s, ['--reason', reason], policy ? { policy } : {});
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, name), JSON.stringify(r.plan));
  return r.plan!;
}

function clean(...results: readonly CliResult[]): void {
  for (const r of results) {
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN), 'the token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

/** One coded line and nothing written: the config repository's refs and its journal untouched. */
async function refused(server: ContractServer, s: GitopsScenario, file: string, code: string, extra: readonly string[] = []): Promise<CliResult> {
  const before = refs(s.configRepo);
  const r = await apply(server, s, file, extra);
  assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^error {2}[^\\n]*\\[${code}\\]\\n$`), r.stderr);
  assert.is(refs(s.configRepo), before, 'a refused apply moved a ref');
  assert.not.ok(r.stdout.includes('hotfix will perform'), 'apply went past the approval check');
  clean(r);
  return r;
}

/**
 * The commits apply made on the rollback branch, as git reads them: each is the planned one
 * (tree, author, message) with the approvers in Approved-by trailers after Hotfix-Plan, so a
 * new id on the chain of new parents; the output names each new id beside the planned one.
 */
function signedAsPlanned(s: GitopsScenario, plan: Plan, stdout: string, approvers: readonly string[]): void {
  const commits = plan.actions.filter((a): a is CommitAction => a.kind === 'commit');
  assert.ok(commits.length >= 1, 'the rollback makes commits');
  const branch = commits.at(-1)!.branch;
  const log = gitOut(s.configRepo, ['log', `-${commits.length}`, '--reverse', '--format=%H%x1f%P%x1f%T%x1f%an <%ae>%x1f%(trailers:key=Approved-by,valueonly,separator=%x1e)%x1f%(trailers:key=Hotfix-Plan,valueonly)%x1f%B%x1d', `refs/heads/${branch}`]);
  const made = log.split('\x1d').map((c) => c.replace(/^\n/, '')).filter(Boolean).map((c) => c.split('\x1f'));
  assert.is(made.length, commits.length);
  let parent = commits[0]!.parent;
  for (const [i, planned] of commits.entries()) {
    const [id, parents, tree, author, approvedBy, planTrailer, message] = made[i]!;
    assert.is(parents, parent, `${planned.id}: on the commit made before it`);
    assert.is(tree, planned.tree, `${planned.id}: the reviewed tree`);
    assert.is(author, `${planned.author.name} <${planned.author.email}>`);
    assert.equal(approvedBy!.split('\x1e').map((v) => v.trim()), [...approvers], `${planned.id}: Approved-by`);
    assert.is(planTrailer!.trim(), plan.id, `${planned.id}: Hotfix-Plan`);
    assert.is(message, `${planned.message.replace(/\n+$/, '')}\n${approvers.map((a) => `Approved-by: ${a}`).join('\n')}\n`, `${planned.id}: the planned message with the trailers added`);
    assert.is.not(id, planned.commit);
    assert.ok(stdout.includes(`${planned.id} is made with the approvers in Approved-by trailers: ${id!.slice(0, 7)} instead of the planned ${planned.commit.slice(0, 7)}\n`), stdout);
    parent = id!;
  }
}

async function withServer(run: (server: ContractServer, s: GitopsScenario) => Promise<void>, options: { tokenUser?: string } = {}): Promise<void> {
  const server = await startGitHubContractServer({ token: TOKEN, ...options });
  server.openPullRequest(42, 'Roll back api-js in production', AUTHOR);
  try {
    await run(server, await scenario());
    assert.equal(server.violations, [], "requests or answers outside GitHub's API description");
  } finally {
    await server.close();
  }
}

test('approved by one reviewer after the comment, on the head: apply proceeds, and the journal and output name the approver', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    assert.is(plan.approvals, 1, 'rollback.approvals defaults to 1 and the plan states it');
    assert.is((await comment(server, s, 'plan.json')).code, 0);
    // Who must approve, said where reviewers read the plan: show (text, markdown) and the comment.
    const rule = "1 approving review (rollback.approvals) on the pull request that carries this plan's comment, by someone other than its author; a review counts only if submitted after the comment showed this plan id and on the pull request's current head (a newer plan or a push voids it).";
    const text = runCli(['show', 'plan.json'], { cwd: s.root });
    const signing = 'It adds the approvers to the commits it makes as Approved-by trailers: their trees and diffs are the ones shown, their ids new.';
    assert.ok(text.stdout.includes(`\nApproval: ${rule} hotfix apply --pr checks this before it writes. ${signing}\nPlan id: ${plan.id}\n`), text.stdout.slice(-800));
    const markdown = runCli(['show', 'plan.json', '--format', 'markdown'], { cwd: s.root });
    assert.ok(markdown.stdout.includes(`\n\nApproval: ${rule} \`hotfix apply --pr\` checks this before it writes. ${signing}\n\nPlan id: ${plan.id}\n`), markdown.stdout.slice(-800));
    assert.ok(server.comments[0]!.body.includes(`Approval: ${rule}`), 'the plan comment says it');
    assert.ok(server.comments[0]!.body.includes(`hotfix apply --expect-id ${plan.id} 'plan.json' --pr 'octo-org/deploy#42'\n`), 'the command in the comment checks the approvals');
    server.pulls.review(42, 'alice', 'COMMENTED');
    server.pulls.review(42, 'alice', 'APPROVED');
    const since = server.requests.length;
    const r = await apply(server, s, 'plan.json');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^approved: octo-org/deploy#42 by alice \\(1 required\\) at ${server.pulls.head(42).slice(0, 7)}, after the plan comment https://github\\.com/octo-org/deploy/pull/42#issuecomment-\\d+; recorded in the journal$`, 'm'));
    assert.match(r.stdout, /Apply complete: sha256:/);
    const journal = JSON.parse(readFileSync(join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8')) as { approved: Array<Record<string, unknown>> };
    assert.equal(journal.approved.map((a) => [a.pullRequest, a.approvers, a.required, a.head, a.signs]), [[PR, ['alice'], 1, server.pulls.head(42), true]]);
    signedAsPlanned(s, plan, r.stdout, ['alice (octo-org/deploy#42)']);
    // Read once each: the pull request, who the token is, its comments and its reviews.
    // GitHub's answer to GITHUB_TOKEN asking who it is: 403, so its comments are github-actions[bot]'s.
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`), ['pulls/get 200', 'users/get-authenticated 403', 'issues/list-comments 200', 'pulls/list-reviews 200']);
    clean(r);
  }));

test('killed after its first commit and run again once bob approved too: every commit carries the approvers of the run that wrote first', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    assert.is((await comment(server, s, 'plan.json')).code, 0);
    server.pulls.review(42, 'alice', 'APPROVED');
    const first = plan.actions.find((a) => a.kind === 'commit')!;
    const killed = await apply(server, s, 'plan.json', [], { HOTFIX_TEST_KILL_AT: `${first.id}:recorded` });
    assert.is(killed.signal, 'SIGKILL', killed.stderr);
    server.pulls.review(42, 'bob', 'APPROVED');
    // A journal whose signing approval is of another pull request than this run checked (edited, or another PR's run): refused, nothing moved.
    const journalFile = join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`);
    const kept = readFileSync(journalFile, 'utf8');
    writeFileSync(journalFile, kept.replace('"pullRequest":"octo-org/deploy#42"', '"pullRequest":"octo-org/other#1"'));
    const before = refs(s.configRepo);
    const other = await apply(server, s, 'plan.json');
    assert.is(other.code, 1, other.stdout);
    assert.match(other.stderr, /^error {2}this plan's journal says an earlier apply wrote it approved on octo-org\/other#1, [^\n]*run apply again with --pr octo-org\/other#1 {2}\[HF525\]\n$/);
    assert.is(refs(s.configRepo), before);
    // A signing approval apply would not write, or a journal that is not JSON: refused, not
    // read as no approval (the commits would then be made again without alice's trailer).
    for (const [edited, why] of [
      [kept.replace('"approvers":["alice"]', '"approvers":[7]'), 'its "approved" holds an entry apply does not write'],
      [kept.slice(0, -9), 'it is not JSON'],
    ] as const) {
      writeFileSync(journalFile, edited);
      const unreadable = await apply(server, s, 'plan.json');
      assert.is(unreadable.code, 1, unreadable.stdout);
      assert.is(unreadable.stderr, `error  the journal ${journalFile} is not one apply wrote (${why}), so what an earlier apply of this plan did cannot be known. Nothing was written: restore the file, or move it aside to start again (apply then checks each action against the repositories and their remotes)  [HF431]\n`);
      assert.is(refs(s.configRepo), before);
      clean(unreadable);
    }
    writeFileSync(journalFile, kept);
    const r = await apply(server, s, 'plan.json');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^approved: octo-org\/deploy#42 by alice, bob \(1 required\)/m);
    const journal = JSON.parse(readFileSync(join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8')) as { approved: Array<Record<string, unknown>> };
    assert.equal(journal.approved.map((a) => [a.approvers, a.signs]), [[['alice'], true], [['alice', 'bob'], undefined]]);
    signedAsPlanned(s, plan, killed.stdout + r.stdout, ['alice (octo-org/deploy#42)']);
    const again = await apply(server, s, 'plan.json');
    assert.is(again.code, 0, again.stderr);
    assert.match(again.stdout, /Nothing to do: this plan was applied completely before/);
    clean(killed, other, r, again);
  }));

test('killed after its push, run again in a fresh clone (no journal) once bob approved too: the pushed commits are taken as they are, alice in their trailers', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    assert.is((await comment(server, s, 'plan.json')).code, 0);
    server.pulls.review(42, 'alice', 'APPROVED');
    const push = plan.actions.find((a) => a.kind === 'push')!;
    const killed = await apply(server, s, 'plan.json', [], { HOTFIX_TEST_KILL_AT: `${push.id}:pushed` });
    assert.is(killed.signal, 'SIGKILL', killed.stderr);
    const pushed = refs(s.remote);
    server.pulls.review(42, 'bob', 'APPROVED');
    // The next CI job: a clone of the remote, without the journal the killed run kept.
    const clone = join(s.root, 'next-job');
    gitOut(s.root, ['clone', '--quiet', s.remote, clone]);
    const r = await apply(server, s, 'plan.json', ['--repo', `deploy=${clone}`]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^approved: octo-org\/deploy#42 by alice, bob \(1 required\)/m);
    assert.match(r.stdout, /^approvers as an earlier apply of this plan wrote them into what it pushed \(its journal is not in this clone\): alice, read from refs\/heads\/[^ ]+ at [0-9a-f]{7} on origin$/m);
    assert.is(refs(s.remote), pushed, 'the remote holds what the killed run pushed, nothing else');
    const journal = JSON.parse(readFileSync(join(clone, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8')) as { approved: Array<Record<string, unknown>> };
    assert.equal(journal.approved.map((a) => [a.approvers, a.signs]), [[['alice'], true], [['alice', 'bob'], undefined]]);
    clean(killed, r);
  }));

test('an approval given before the comment was updated to this plan does not count, and the replaced plan is refused', () =>
  withServer(async (server, s) => {
    saved(s, 'first.json', 'checkout returns 500');
    await comment(server, s, 'first.json');
    server.pulls.review(42, 'alice', 'APPROVED');
    const second = saved(s, 'second.json', 'checkout returns 500 since 10:02');
    assert.match((await comment(server, s, 'second.json')).stdout, /1 updated/);
    const r = await refused(server, s, 'second.json', 'HF516');
    assert.match(r.stderr, new RegExp(`plan ${second.id} needs 1 approving review on octo-org/deploy#42 and has none; not counted: alice approved at \\S+, before the plan comment showed this plan \\(\\S+\\)`));
    const old = await refused(server, s, 'first.json', 'HF515');
    assert.match(old.stderr, /the plan comment for rollback of api-js in production on octo-org\/deploy#42 shows plan sha256:[0-9a-f]{64} \(https:\/\/github\.com\S+\), not plan sha256:[0-9a-f]{64}: only the plan that comment shows is under review there/);
    server.pulls.review(42, 'alice', 'APPROVED');
    const ok = await apply(server, s, 'second.json');
    assert.is(ok.code, 0, ok.stderr);
  }));

test('a push after the approval voids it: the review was of an older head', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    const seen = server.pulls.head(42);
    server.pulls.review(42, 'alice', 'APPROVED');
    const head = server.pulls.push(42);
    const r = await refused(server, s, 'plan.json', 'HF516');
    assert.ok(r.stderr.includes(`alice approved ${seen.slice(0, 7)}, not the head ${head.slice(0, 7)} (a push after an approval voids it)`), r.stderr);
  }));

test("the author's own approval and the bot's do not count; changes requested after an approval, or a dismissed approval, void it", () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.pulls.review(42, AUTHOR, 'APPROVED');
    server.pulls.review(42, 'github-actions[bot]', 'APPROVED');
    server.pulls.review(42, 'bob', 'APPROVED');
    server.pulls.review(42, 'bob', 'CHANGES_REQUESTED');
    server.pulls.dismiss(server.pulls.review(42, 'carol', 'APPROVED'));
    const r = await refused(server, s, 'plan.json', 'HF516');
    for (const why of [`${AUTHOR} is the pull request's author`, 'github-actions[bot] posts the plan comments', 'bob requested changes', "carol's approval was dismissed"]) assert.ok(r.stderr.includes(why), `${why}\n${r.stderr}`);
    server.pulls.review(42, 'bob', 'APPROVED');
    assert.is((await apply(server, s, 'plan.json')).code, 0);
  }));

test('a comment by a person copying the marker is not the plan comment; neither is none at all', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    const none = await refused(server, s, 'plan.json', 'HF515');
    assert.match(none.stderr, new RegExp(`octo-org/deploy#42 has no plan comment for plan ${plan.id} \\(rollback of api-js in production\\) by github-actions\\[bot\\]: post it with hotfix comment`));
    // What hotfix comment would post, pasted by a person: marker and digest intact.
    await comment(server, s, 'plan.json');
    const posted = server.comments.find((c) => c.author === 'github-actions[bot]')!;
    server.personComment(42, posted.body, 'mallory');
    server.comments.splice(server.comments.indexOf(posted), 1);
    server.pulls.review(42, 'alice', 'APPROVED');
    const copy = await refused(server, s, 'plan.json', 'HF515');
    assert.match(copy.stderr, new RegExp(`comment https://github\\.com/octo-org/deploy/pull/42#issuecomment-\\d+ carries the marker of plan ${plan.id} but was written by mallory, not by github-actions\\[bot\\]`));
  }));

test('an edited plan comment is not the plan that was approved', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    const posted = server.comments.find((c) => c.author === 'github-actions[bot]')!;
    server.pulls.review(42, 'alice', 'APPROVED');
    server.personEdit(posted.id, posted.body.replace('Plan: ', 'Plan (trust me): '));
    const r = await refused(server, s, 'plan.json', 'HF515');
    assert.match(r.stderr, /was edited since hotfix posted it/);
  }));

test('approvals count from the policy, and a plan that states fewer than its policy is refused', () =>
  withServer(async (server, s) => {
    const policy = join(s.root, 'two-approvals.yaml');
    writeFileSync(policy, readFileSync(s.policyFile, 'utf8').replace('  rollback:\n', '  rollback:\n    approvals: 2\n'));
    const plan = saved(s, 'plan.json', 'checkout returns 500', policy);
    assert.is(plan.approvals, 2);
    await comment(server, s, 'plan.json');
    server.pulls.review(42, 'alice', 'APPROVED');
    const one = await refused(server, s, 'plan.json', 'HF516');
    assert.match(one.stderr, /needs 2 approving reviews on octo-org\/deploy#42 and has 1 \(alice\)/);
    // The plan file is untrusted: lowered to 1 and re-sealed, then posted as it is.
    const { id: _id, ...body } = plan;
    writeFileSync(join(s.root, 'lowered.json'), JSON.stringify(sealPlan({ ...body, approvals: 1 })));
    await comment(server, s, 'lowered.json');
    server.pulls.review(42, 'bob', 'APPROVED');
    const lowered = await refused(server, s, 'lowered.json', 'HF517');
    assert.match(lowered.stderr, /the plan says it needs 1 approving review, but its policy says rollback\.approvals: 2/);
    await comment(server, s, 'plan.json');
    server.pulls.review(42, 'alice', 'APPROVED');
    server.pulls.review(42, 'bob', 'APPROVED');
    const two = await apply(server, s, 'plan.json');
    assert.is(two.code, 0, two.stderr);
    assert.match(two.stdout, /^approved: octo-org\/deploy#42 by alice, bob \(2 required\)/m);
  }));

test('a personal access token is its own commenter (GET /user); an app token outside Actions needs --commenter', () =>
  withServer(
    async (server, s) => {
      saved(s, 'plan.json', 'checkout returns 500');
      await comment(server, s, 'plan.json', { GITHUB_ACTIONS: '' });
      assert.ok(server.comments.every((c) => c.author === 'deploy-bot'));
      server.pulls.review(42, 'alice', 'APPROVED');
      const r = await apply(server, s, 'plan.json', [], { GITHUB_ACTIONS: '' });
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stdout, /^approved: octo-org\/deploy#42 by alice/m);
      clean(r);
    },
    { tokenUser: 'deploy-bot' },
  ));

test('the plan travels as the run artifact: changed on the way, re-sealed, or overtaken by a push to the config branch, it is refused', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.pulls.review(42, 'alice', 'APPROVED');
    // What actions/download-artifact puts in the apply job's workspace: the plan job's bytes.
    const bytes = readFileSync(join(s.root, 'plan.json'), 'utf8');
    const expect = ['--expect-id', plan.id];
    writeFileSync(join(s.root, 'changed.json'), bytes.replace('checkout returns 500', 'checkout returns 200'));
    assert.match((await refused(server, s, 'changed.json', 'HF402', expect)).stderr, /changed\.json was changed after it was made/);
    const { id: _id, ...body } = plan;
    writeFileSync(join(s.root, 'resealed.json'), JSON.stringify(sealPlan({ ...body, request: { ...body.request, reason: 'checkout returns 200' } })));
    assert.match((await refused(server, s, 'resealed.json', 'HF500', expect)).stderr, /resealed\.json is plan sha256:[0-9a-f]{64}, not the expected/);
    // Without --expect-id the pull request still names the plan: its comment shows another id.
    assert.match((await refused(server, s, 'resealed.json', 'HF515')).stderr, new RegExp(`shows plan ${plan.id} \\(https://github\\.com\\S+\\), not plan sha256:[0-9a-f]{64}:`));
    gitOut(s.configRepo, ['-c', 'user.name=Flux', '-c', 'user.email=flux@example.com', 'commit', '--allow-empty', '-q', '-m', 'Auto-release while the plan travelled']);
    const moved = await apply(server, s, 'plan.json', expect);
    assert.is(moved.code, 1, `${moved.stdout}\n${moved.stderr}`);
    assert.match(moved.stderr, /\[HF404\]/);
    gitOut(s.configRepo, ['reset', '-q', '--hard', 'HEAD~1']);
    const intact = await apply(server, s, 'plan.json', expect);
    assert.is(intact.code, 0, intact.stderr);
    clean(moved, intact);
  }));

test('in GitHub Actions, the pull request of an issue_comment event is checked without --pr', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    // The payload of a comment on a pull request, in the fields GitHub documents for issue_comment.
    const event = join(s.root, 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'created', issue: { number: 42, pull_request: { url: 'https://api.github.com/repos/octo-org/deploy/pulls/42', html_url: 'https://github.com/octo-org/deploy/pull/42' } }, comment: { body: '/hotfix apply' } }));
    const env = forgeEnv(server, { GITHUB_EVENT_NAME: 'issue_comment', GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'octo-org/deploy' });
    const run = () => runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, 'plan.json'], { cwd: s.root, env });
    const before = refs(s.configRepo);
    const unapproved = await run();
    assert.is(unapproved.code, 1);
    assert.match(unapproved.stderr, /needs 1 approving review on octo-org\/deploy#42 and has none.*\[HF516\]\n$/);
    assert.is(refs(s.configRepo), before);
    server.pulls.review(42, 'alice', 'APPROVED');
    const approved = await run();
    assert.is(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /^approved: octo-org\/deploy#42 by alice/m);
    clean(unapproved, approved);
  }));

test('bad input: an app token outside GitHub Actions, --commenter without --pr, a GitLab merge request, a pull request that does not exist', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.pulls.review(42, 'alice', 'APPROVED');
    const before = refs(s.configRepo);
    const outside = await apply(server, s, 'plan.json', [], { GITHUB_ACTIONS: '' });
    assert.is(outside.code, 64);
    assert.match(outside.stderr, /pass --commenter with the account hotfix comment posts as \(APP-SLUG\[bot\]\)/);
    const named = await apply(server, s, 'plan.json', ['--commenter', 'github-actions[bot]'], { GITHUB_ACTIONS: '' });
    assert.is(named.code, 0, named.stderr);
    const lone = await runCliAsync(['apply', '--auto-approve', '--commenter', 'x', 'plan.json'], { cwd: s.root });
    assert.is(lone.code, 64);
    assert.match(lone.stderr, /--commenter goes with --pr/);
    const gitlab = await runCliAsync(['apply', '--auto-approve', '--pr', 'group/deploy!7', 'plan.json'], { cwd: s.root });
    // A merge request is checked on GitLab (e2e/apply-approval-gitlab), which needs its own token.
    assert.is(gitlab.code, 1);
    assert.match(gitlab.stderr, /^error {2}no GitLab token: GITLAB_TOKEN is not set and there is no CI_JOB_TOKEN; .*\[HF501\]\n$/);
    const missing = await runCliAsync(['apply', '--auto-approve', '--pr', 'octo-org/deploy#7', 'plan.json'], { cwd: s.root, env: forgeEnv(server) });
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /^error {2}GitHub has no pull request octo-org\/deploy#7 that this token can see .*\[HF502\]\n$/);
    // A token without pull-requests: read, and a GitHub that keeps failing: one coded line each, nothing written.
    server.trouble({ operation: 'pulls/list-reviews', times: 1, answer: 'forbidden' });
    const forbidden = await refused(server, s, 'plan.json', 'HF505');
    assert.match(forbidden.stderr, /GitHub refused the token when hotfix tried to list its reviews on octo-org\/deploy#42 \(403: Resource not accessible by integration\): give it read access to the pull request, its comments and reviews \(in GitHub Actions: permissions: pull-requests: read\)/);
    server.trouble({ operation: 'issues/list-comments', times: 3, answer: 'server-error' });
    const failing = await refused(server, s, 'plan.json', 'HF503');
    assert.match(failing.stderr, /GitHub failed when hotfix tried to list its comments on octo-org\/deploy#42 \(502: Server Error, after 2 retries\)/);
    clean(outside, named, lone, gitlab, missing);
    assert.not.equal(refs(s.configRepo), before, 'the one approved run applied');
    assert.ok(gitOut(s.configRepo, ['branch', '--list', 'rollback/*']).trim() !== '');
  }));

test.run();
