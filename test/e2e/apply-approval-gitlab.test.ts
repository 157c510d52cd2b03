import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitLabContractServer, type GitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { noSecretOut, refusedApply, savedPlan } from '../helpers/approval-loop.js';
import { gitOut, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { runCliAsync, type CliResult } from '../helpers/run-cli.js';

// Issue 16 §2 on GitLab through the built CLI: plan → hotfix comment (a note by the token's
// bot user) → pushes (diff versions) and approvals on the merge request, as GitLab keeps
// them (approved_by: who, not when nor which commit) → apply --pr group/project!N.
const TOKEN = 'glpat-16Appr0valT0kenNeverPrinted';
const JOB_TOKEN = 'glcbt-64_JobT0kenNeverPrinted0000';
const PROJECT = 'platform/delivery/api-js-config';
const MR = `${PROJECT}!7`;
/** The contract server's users: the merge request's author, and a reviewer. */
const AUTHOR = 'mhoffmann';
const BOT = 'project_4211_bot_3f9c0d52e1a7b8c4';

/** A GitLab CI job's environment: GITLAB_TOKEN a masked variable, CI_SERVER_URL the instance. */
function forgeEnv(server: GitLabContractServer): Record<string, string> {
  return { GITLAB_TOKEN: TOKEN, CI_SERVER_URL: server.url, HOTFIX_TEST_FORGE_SECOND_MS: '1' };
}

function comment(server: GitLabContractServer, s: GitopsScenario, file: string): Promise<CliResult> {
  return runCliAsync(['comment', file, '--pr', MR], { cwd: s.root, env: forgeEnv(server) });
}

function apply(server: GitLabContractServer, s: GitopsScenario, file: string): Promise<CliResult> {
  return runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--pr', MR, file], { cwd: s.root, env: forgeEnv(server) });
}

const saved = savedPlan;
const clean = (...results: readonly CliResult[]) => noSecretOut(TOKEN, ...results);
const refused = (server: GitLabContractServer, s: GitopsScenario, file: string, code: string) => refusedApply(s, code, TOKEN, () => apply(server, s, file));

async function withServer(run: (server: GitLabContractServer, s: GitopsScenario) => Promise<void>): Promise<void> {
  const server = await startGitLabContractServer({ project: PROJECT, token: TOKEN });
  server.openMergeRequest(7, 'Roll back api-js in production');
  try {
    await run(server, await scenario());
    assert.equal(server.violations, [], "requests or answers outside GitLab's API as documented");
  } finally {
    await server.close();
  }
}

test('approved by one other user after the plan note, on the head it was posted for: apply proceeds and names the approver', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    assert.is((await comment(server, s, 'plan.json')).code, 0);
    server.approvals.approve(7, 'schen');
    const since = server.requests.length;
    const r = await apply(server, s, 'plan.json');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^approved: platform/delivery/api-js-config!7 by schen \\(1 required\\) at 6f1e0c2, after the plan comment ${server.url.replace(/\./g, '\\.')}/platform/delivery/api-js-config/-/merge_requests/7#note_\\d+; recorded in the journal$`, 'm'));
    assert.match(r.stdout, /Apply complete: sha256:/);
    // The project resets approvals on push: nothing to warn about.
    assert.not.ok(r.stderr.includes('HF522'), r.stderr);
    const journal = JSON.parse(readFileSync(join(s.configRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8')) as { approved: Array<Record<string, unknown>> };
    assert.equal(journal.approved.map((a) => [a.pullRequest, a.approvers, a.required, a.head]), [[MR, ['schen'], 1, '6f1e0c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f']]);
    // The rollback branch's commits name who approved, where: git reads the trailer on each.
    const branch = plan.actions.flatMap((a) => (a.kind === 'commit' ? [a.branch] : [])).at(-1)!;
    const made = plan.actions.filter((a) => a.kind === 'commit').length;
    assert.is(gitOut(s.configRepo, ['log', `-${made}`, '--format=%(trailers:key=Approved-by,valueonly,separator=%x2c)', `refs/heads/${branch}`]), `schen (${MR})\n`.repeat(made));
    // Each read once, then the project's setting.
    assert.equal(server.requests.slice(since).map((q) => `${q.operation} ${q.status}`), [
      'getApiV4ProjectsIdMergeRequestsMergeRequestIid 200',
      'getApiV4User 200',
      'getApiV4ProjectsIdMergeRequestsNoteableIdNotes 200',
      'getApiV4ProjectsIdMergeRequestsMergeRequestIidVersions 200',
      'getApiV4ProjectsIdMergeRequestsMergeRequestIidApprovals 200',
      'getApiV4ProjectsIdApprovals 200',
    ]);
    clean(r);
  }));

test("the author's own approval and the bot's do not count", () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.approvals.approve(7, AUTHOR);
    server.approvals.approve(7, BOT);
    const r = await refused(server, s, 'plan.json', 'HF516');
    assert.ok(r.stderr.includes(`plan ${plan.id} needs 1 approval on ${MR} and has none; not counted: ${AUTHOR} is the merge request's author; ${BOT} posts the plan comments;`), r.stderr);
    server.approvals.approve(7, 'schen');
    assert.is((await apply(server, s, 'plan.json')).code, 0);
  }));

test('a push after the plan note voids the approvals, even one given after the push', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.approvals.approve(7, 'schen');
    const pushed = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
    server.approvals.push(7, pushed);
    const r = await refused(server, s, 'plan.json', 'HF516');
    assert.match(r.stderr, /1 push came after the plan comment \S+#note_\d+ last changed \(\S+\), the latest making 0a1b2c3 the head/);
    server.approvals.approve(7, 'schen');
    const again = await refused(server, s, 'plan.json', 'HF516');
    assert.match(again.stderr, /1 push came after the plan comment/);
    // hotfix comment again, as a pipeline runs it on each push: the plan is the same, but the
    // note names the head it is posted for, so it changes. schen's approval came before that
    // (its system note says when), so it does not count; one given after it does.
    const recommented = await comment(server, s, 'plan.json');
    assert.is(recommented.code, 0, recommented.stderr);
    assert.match(recommented.stdout, /0 posted, 1 updated/);
    const notes = server.notes.filter((n) => n.mr === 7 && n.body.includes('hotfix-plan-comment'));
    assert.is(notes.length, 1, 'one plan note, updated in place');
    assert.ok(notes[0]!.body.includes(`posted for the head \`${pushed.slice(0, 12)}\``), notes[0]!.body.slice(-400));
    const stale = await refused(server, s, 'plan.json', 'HF516');
    assert.match(stale.stderr, /not counted: schen approved at \S+, before the plan comment showed this plan/);
    server.approvals.approve(7, 'okafor');
    const applied = await apply(server, s, 'plan.json');
    assert.is(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /^approved: platform\/delivery\/api-js-config!7 by okafor \(1 required\) at 0a1b2c3/m);
    clean(recommented, stale, applied);
  }));

test('not enough approvals for the policy: refused, saying who counted', () =>
  withServer(async (server, s) => {
    const policy = join(s.root, 'two-approvals.yaml');
    writeFileSync(policy, readFileSync(s.policyFile, 'utf8').replace('  rollback:\n', '  rollback:\n    approvals: 2\n'));
    const plan = saved(s, 'plan.json', 'checkout returns 500', policy);
    assert.is(plan.approvals, 2);
    await comment(server, s, 'plan.json');
    server.approvals.approve(7, 'schen');
    const one = await refused(server, s, 'plan.json', 'HF516');
    assert.ok(one.stderr.includes(`needs 2 approvals on ${MR} and has 1 (schen); nothing was written`), one.stderr);
    server.approvals.approve(7, 'aokafor');
    const two = await apply(server, s, 'plan.json');
    assert.is(two.code, 0, two.stderr);
    assert.match(two.stdout, /^approved: \S+ by aokafor, schen \(2 required\)/m);
  }));

test('a note by another user carrying the marker is not the plan comment', () =>
  withServer(async (server, s) => {
    const plan = saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    const posted = server.notes.find((n) => n.author === BOT)!;
    // What hotfix comment posted, pasted by a person, and the bot's note gone.
    server.personNote(7, posted.body, 'mallory');
    server.notes.splice(server.notes.indexOf(posted), 1);
    server.approvals.approve(7, 'schen');
    const r = await refused(server, s, 'plan.json', 'HF515');
    assert.match(r.stderr, new RegExp(`comment \\S+/-/merge_requests/7#note_\\d+ carries the marker of plan ${plan.id} but was written by mallory, not by ${BOT}`));
  }));

test('a project that keeps approvals across pushes, an older GitLab (no approved_at): the approval\'s system note dates it, so one given before the plan comment showed this plan does not count', () =>
  withServer(async (server, s) => {
    server.approvals.resetOnPush = false;
    saved(s, 'plan.json', 'checkout returns 500');
    // schen approved the merge request before this plan was posted to it, on the same head.
    server.approvals.approve(7, 'schen');
    await comment(server, s, 'plan.json');
    const early = await refused(server, s, 'plan.json', 'HF516');
    assert.match(early.stderr, /and has none; not counted: schen approved at 2026-12-01T10:\d\d:\d\d\.000Z, before the plan comment showed this plan/);
    // One given after it counts, and GitLab said when: nothing to warn about.
    server.approvals.approve(7, 'okafor');
    const r = await apply(server, s, 'plan.json');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^approved: platform\/delivery\/api-js-config!7 by okafor \(1 required\)/m);
    assert.not.ok(r.stderr.includes('HF522'), r.stderr);
    clean(early, r);
  }));

test('an approval whose time GitLab gives nowhere (its system note not among the notes read), where approvals are kept across pushes: apply proceeds with HF522 naming it', () =>
  withServer(async (server, s) => {
    server.approvals.resetOnPush = false;
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.approvals.approve(7, 'schen');
    server.notes.splice(server.notes.findIndex((n) => n.system && n.body === 'approved this merge request'), 1);
    const r = await apply(server, s, 'plan.json');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /^hotfix: warning: platform\/delivery\/api-js-config!7: GitLab says who approved \(schen\), not when \(no approved_at, no "approved this merge request" note among those read\), and the project keeps approvals when commits are added \(reset_approvals_on_push is off\): an approval given before the plan comment last changed counts as well; turn on "Remove all approvals when commits are added to the source branch" \[HF522\]$/m);
    clean(r);
  }));

test('in a merge request pipeline, apply checks its merge request without --pr', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    // What GitLab sets in a merge request pipeline (docs.gitlab.com/ci/variables/predefined_variables).
    const env = { ...forgeEnv(server), GITLAB_CI: 'true', CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_PROJECT_PATH: PROJECT };
    const run = () => runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, 'plan.json'], { cwd: s.root, env });
    await refusedApply(s, 'HF516', TOKEN, run);
    server.approvals.approve(7, 'schen');
    const r = await run();
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^approved: platform\/delivery\/api-js-config!7 by schen \(1 required\)/m);
  }));

test('apply --help says what GitLab cannot tell and which project setting closes the gap', async () => {
  const help = await runCliAsync(['apply', '--help'], { cwd: process.cwd() });
  const text = help.stdout.replace(/\s+/g, ' ');
  assert.ok(text.includes('GitLab says who approved a merge request but not for which commit, and when only in approved_at (newer instances) or the system note it writes for each approval, which apply reads'), text);
  assert.ok(text.includes('"Remove all approvals when commits are added to the source branch" (HF522 warns where it is off or cannot be read and such an approval counted)'), text);
});

test('bad input: a CI/CD job token, a merge request that does not exist, a GitLab that keeps failing: one coded line each, nothing written', () =>
  withServer(async (server, s) => {
    saved(s, 'plan.json', 'checkout returns 500');
    await comment(server, s, 'plan.json');
    server.approvals.approve(7, 'schen');
    const before = refs(s.configRepo);
    const job = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--pr', MR, 'plan.json'], { cwd: s.root, env: { CI_JOB_TOKEN: JOB_TOKEN, CI_SERVER_URL: server.url } });
    assert.is(job.code, 64, job.stderr);
    assert.match(job.stderr, /GitLab does not let a CI\/CD job token \(CI_JOB_TOKEN\) read a merge request's approvals or diff versions; set GITLAB_TOKEN/);
    const missing = await runCliAsync(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--pr', `${PROJECT}!9`, 'plan.json'], { cwd: s.root, env: forgeEnv(server) });
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /^error {2}GitLab has no merge request platform\/delivery\/api-js-config!9 that this token can see .*\[HF502\]\n$/);
    server.trouble({ operation: 'getApiV4ProjectsIdMergeRequestsMergeRequestIidVersions', times: 3, answer: 'server-error' });
    const failing = await refused(server, s, 'plan.json', 'HF503');
    assert.match(failing.stderr, /GitLab failed when hotfix tried to list its diff versions on platform\/delivery\/api-js-config!7 \(500: /);
    assert.is(refs(s.configRepo), before);
    clean(job, missing);
    noSecretOut(JOB_TOKEN, job);
  }));

test.run();
