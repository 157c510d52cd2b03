import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readMarker } from '../../src/forge/comment-marker.js';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan } from '../../src/plan/types.js';
import { startGitLabContractServer, type GitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { planRollback, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { renderGfm } from '../helpers/render-gfm.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';

/** A project access token, as GitLab prints them (glpat-), and a CI/CD job token (glcbt-). */
const TOKEN = 'glpat-16C0ntractT0kenNeverPrinted';
const JOB_TOKEN = 'glcbt-64_JobT0kenNeverPrinted0000';
const READ_API_TOKEN = 'glpat-ReadApiOnlyT0kenNeverPrinted';
/** A project two groups deep, as GitOps config repos often are (group/subgroup/project). */
const PROJECT = 'platform/delivery/api-js-config';
const MR = `${PROJECT}!7`;

/** `hotfix comment` as a GitLab CI job runs it: GITLAB_TOKEN a masked variable, CI_SERVER_URL the instance. */
function comment(server: GitLabContractServer, cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCliAsync(['comment', ...args], { cwd, env: { GITLAB_TOKEN: TOKEN, CI_SERVER_URL: server.url, HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
}

/** Every output of every run: no token in it, nothing failed with a stack. */
function clean(...results: readonly CliResult[]): void {
  for (const r of results) {
    for (const secret of [TOKEN, JOB_TOKEN, READ_API_TOKEN]) assert.not.ok(`${r.stdout}${r.stderr}`.includes(secret), 'a token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

let built: GitopsScenario | undefined;
/** The repositories are only read by plan and comment: one scenario serves every test. */
async function shared(): Promise<GitopsScenario> {
  return (built ??= await scenario());
}

function savePlan(s: GitopsScenario, name: string, reason: string): Plan {
  const { plan } = planRollback(s, ['--reason', reason]);
  writeFileSync(join(s.root, name), JSON.stringify(plan));
  return plan!;
}

async function withServer(run: (server: GitLabContractServer, s: GitopsScenario) => Promise<void>, options: { noteLimit?: number } = {}): Promise<void> {
  const server = await startGitLabContractServer({ project: PROJECT, token: TOKEN, jobToken: JOB_TOKEN, readApiToken: READ_API_TOKEN, ...options });
  server.openMergeRequest(7, 'Roll back api-js in production');
  try {
    await run(server, await shared());
    assert.equal(server.violations, [], "requests or answers outside GitLab's API as documented");
  } finally {
    await server.close();
  }
}

const ours = (server: GitLabContractServer) => server.notes.filter((n) => n.author.startsWith('project_4211_bot_'));
const writes = (server: GitLabContractServer) => server.requests.filter((r) => r.operation.startsWith('post') || r.operation.startsWith('put'));

test('first post, the same plan again writes nothing, a new plan updates the one note in place; the nested project path is URL-encoded', () =>
  withServer(async (server, s) => {
    const first = savePlan(s, 'first.json', 'checkout returns 500');
    const posted = await comment(server, s.root, ['first.json', '--pr', MR]);
    assert.is(posted.code, 0, posted.stderr);
    const page = `${server.url}/${PROJECT}/-/merge_requests/7`;
    assert.match(posted.stdout, new RegExp(`^Plan comment on platform/delivery/api-js-config!7 \\(1 posted, 0 updated, 0 edited down as outdated\\): ${page.replace(/[.]/g, '\\.')}#note_\\d+\\n$`));
    assert.is(ours(server).length, 1);
    const [note] = ours(server);
    assert.ok(note!.body.startsWith('<!-- hotfix-plan-comment key=rollback/api-js/production part=1/1 plan=sha256:'), note!.body.slice(0, 200));
    assert.ok(note!.body.includes(`Plan id: ${first.id}`));
    assert.ok(note!.body.includes(`hotfix apply --expect-id ${first.id} 'first.json'`));
    assert.ok(posted.stdout.endsWith(`#note_${note!.id}\n`));
    // GitLab's /-encoded project path, and the access token in PRIVATE-TOKEN, on every call.
    for (const r of server.requests) {
      assert.ok(r.path!.startsWith('/api/v4/projects/platform%2Fdelivery%2Fapi-js-config/merge_requests/7'), r.path);
      assert.is(r.auth, 'private');
    }

    const again = await comment(server, s.root, ['first.json', '--pr', MR]);
    assert.match(again.stdout, /\(0 posted, 0 updated, 0 edited down as outdated\)/);
    assert.is(writes(server).length, 1, JSON.stringify(server.requests));

    const second = savePlan(s, 'second.json', 'checkout returns 500 since 10:02');
    const updated = await comment(server, s.root, ['second.json', '--pr', MR]);
    assert.match(updated.stdout, /\(0 posted, 1 updated, 0 edited down as outdated\)/, updated.stderr);
    assert.is(ours(server).length, 1, 'one note per key');
    assert.is(ours(server)[0]!.id, note!.id, 'updated in place');
    assert.ok(ours(server)[0]!.body.includes(`Plan id: ${second.id}`));
    assert.not.ok(ours(server)[0]!.body.includes(first.id));
    assert.equal(writes(server).map((r) => r.operation), ['postApiV4ProjectsIdMergeRequestsNoteableIdNotes', 'putApiV4ProjectsIdMergeRequestsNoteableIdNotesNoteId']);
    clean(posted, again, updated);
  }));

test('the merge request URL names the instance (no --forge-url, no CI_SERVER_URL); --forge-url names it for the short form', () =>
  withServer(async (server, s) => {
    savePlan(s, 'plan.json', 'x');
    const byUrl = await comment(server, s.root, ['plan.json', '--pr', `${server.url}/${PROJECT}/-/merge_requests/7/diffs`], { CI_SERVER_URL: '' });
    assert.is(byUrl.code, 0, byUrl.stderr);
    const byOption = await comment(server, s.root, ['plan.json', '--pr', MR, '--forge-url', server.url], { CI_SERVER_URL: 'http://127.0.0.1:9' });
    assert.is(byOption.code, 0, byOption.stderr);
    assert.match(byOption.stdout, /\(0 posted, 0 updated/);
    const githubOption = await comment(server, s.root, ['plan.json', '--pr', MR, '--api-url', server.url]);
    assert.is(githubOption.code, 64);
    assert.match(githubOption.stderr, /--api-url is for a GitHub pull request; "platform\/delivery\/api-js-config!7" is a GitLab merge request: give the instance with --forge-url/);
    const gitlabOption = await comment(server, s.root, ['plan.json', '--pr', 'octo-org/deploy#42', '--forge-url', server.url]);
    assert.is(gitlabOption.code, 64);
    for (const bad of ['platform/delivery/api-js-config!0', 'api-js-config!7', 'platform/-bad/x!7', `${server.url}/${PROJECT}/merge_requests/7`, 'platform/delivery/api-js-config.git!7']) {
      const r = await comment(server, s.root, ['plan.json', '--pr', bad]);
      assert.is(r.code, 64, bad);
      assert.match(r.stderr, /names no pull or merge request/, bad);
    }
    clean(byUrl, byOption, githubOption, gitlabOption);
  }));

test('more than 100 notes: the plan note on page 2 is found again (x-next-page, page, per_page) and updated, not posted twice', () =>
  withServer(async (server, s) => {
    for (let i = 0; i < 60; i++) server.personNote(7, `review remark ${i}: checked the overlay for eu-west-${i % 3}`);
    for (let i = 0; i < 70; i++) server.systemNote(7, `added ${1 + (i % 4)} commits\n\n<ul><li>${i.toString(16).padStart(8, '0')} - deploy: bump api-js</li></ul>`);
    savePlan(s, 'plan.json', 'checkout returns 500');
    const posted = await comment(server, s.root, ['plan.json', '--pr', MR]);
    assert.is(posted.code, 0, posted.stderr);
    assert.is(server.notes.findIndex((n) => n.author.startsWith('project_4211_bot_')), 130, 'the plan note is the 131st: on page 2 of 100');
    savePlan(s, 'next.json', 'checkout returns 500 since 10:02');
    const before = server.requests.length;
    const updated = await comment(server, s.root, ['next.json', '--pr', MR]);
    assert.match(updated.stdout, /\(0 posted, 1 updated, 0 edited down as outdated\)/, updated.stderr);
    assert.is(ours(server).length, 1);
    const lists = server.requests.slice(before).filter((r) => r.operation === 'getApiV4ProjectsIdMergeRequestsNoteableIdNotes');
    assert.equal(lists.map((r) => new URLSearchParams(r.query).get('page') ?? '1'), ['1', '2'], 'two pages, each asked for once');
    for (const r of lists) assert.is(new URLSearchParams(r.query).get('per_page'), '100');
    clean(posted, updated);
  }));

const LIMIT = 20_000;

test('a plan too long for one note goes in numbered parts that render on their own; a shorter plan edits the parts it no longer needs down to a line linking part 1', () =>
  withServer(
    async (server, s) => {
      const plan = savePlan(s, 'short.json', 'checkout returns 500');
      const notes = Array.from({ length: 400 }, (_, i) => `note ${String(i).padStart(4, '0')}: the previous image main-1f0c2e9 ran from 09:12 to 10:02 on 14 nodes \`ok\``);
      const { id: _id, ...body } = plan;
      const long = sealPlan({ ...body, notes: [...plan.notes, ...notes] } as Omit<Plan, 'id'>);
      writeFileSync(join(s.root, 'long.json'), JSON.stringify(long));
      const env = { HOTFIX_TEST_GITLAB_NOTE_LIMIT: String(LIMIT) };
      const posted = await comment(server, s.root, ['long.json', '--pr', MR], env);
      assert.is(posted.code, 0, posted.stderr);
      const parts = ours(server);
      assert.ok(parts.length >= 3, String(parts.length));
      assert.match(posted.stdout, new RegExp(`^Plan comment in ${parts.length} parts on ${MR} \\(${parts.length} posted, 0 updated, 0 edited down as outdated\\): .*#note_${parts[0]!.id}\\n$`));
      for (const [i, part] of parts.entries()) {
        assert.ok([...part.body].length <= LIMIT, `part ${i + 1} is ${part.body.length}`);
        assert.equal([readMarker(part.body)!.marker.part, readMarker(part.body)!.marker.parts], [i + 1, parts.length]);
      }
      const one = parts[0]!.body;
      for (const wanted of ['### hotfix: Roll back `api-js` in `production`', '**Plan: 3 to create, 1 to change, 0 to delete.**', `Plan id: ${long.id}`, `hotfix apply --expect-id ${long.id} 'long.json'`, `parts 2 to ${parts.length}`]) assert.ok(one.includes(wanted), wanted);
      const shown = parts.slice(1).flatMap((p) => renderGfm(p.body, { unsafe: true }).codeBlocks().flatMap((b) => b.split('\n').filter((l) => l.startsWith('note '))));
      assert.equal(shown, notes);

      const shorter = await comment(server, s.root, ['short.json', '--pr', MR], env);
      assert.match(shorter.stdout, new RegExp(`^Plan comment on ${MR} \\(0 posted, 1 updated, ${parts.length - 1} edited down as outdated\\): .*#note_${parts[0]!.id}\\n$`), shorter.stderr);
      const after = ours(server);
      assert.ok(after[0]!.body.includes(`Plan id: ${plan.id}`));
      for (const old of after.slice(1)) {
        const read = readMarker(old.body)!;
        assert.equal([read.marker.state, read.marker.plan, read.edited], ['retired', long.id, false]);
        assert.ok(old.body.includes(`**Outdated**: this note showed plan \`${long.id}\` (part ${read.marker.part} of ${parts.length}); a newer plan replaced it. See [the current plan comment](${server.url}/${PROJECT}/-/merge_requests/7#note_${parts[0]!.id}).`), old.body);
        assert.ok(old.body.length < 600, 'the old text is gone');
      }
      // Retired notes are never taken up again: the same plan writes nothing.
      const count = writes(server).length;
      const again = await comment(server, s.root, ['short.json', '--pr', MR], env);
      assert.match(again.stdout, /\(0 posted, 0 updated, 0 edited down as outdated\)/);
      assert.is(writes(server).length, count);
      clean(posted, shorter, again);
    },
    { noteLimit: LIMIT },
  ));

test('a refused plan takes the place of the plan note with its findings, in the same note', () =>
  withServer(async (server, s) => {
    savePlan(s, 'plan.json', 'checkout returns 500');
    await comment(server, s.root, ['plan.json', '--pr', MR]);
    const [planNote] = ours(server);
    const refused = planRollback(s, ['--reason', 'checkout returns 500', '--to', 'no-such-tag', '--format', 'json']);
    assert.is(refused.code, 1, refused.stdout);
    writeFileSync(join(s.root, 'refused.json'), refused.stdout);
    const posted = await comment(server, s.root, ['refused.json', '--pr', MR, '--kind', 'rollback', '--policy-name', 'api-js', '--env', 'production']);
    assert.is(posted.code, 0, posted.stderr);
    assert.match(posted.stdout, /\(0 posted, 1 updated, 0 edited down as outdated\)/);
    assert.equal(ours(server).map((n) => n.id), [planNote!.id]);
    const findings = ours(server)[0]!.body;
    const read = readMarker(findings)!;
    assert.equal([read.marker.plan, read.marker.part, read.marker.parts, read.edited], ['none', 1, 1, false]);
    assert.match(findings, /### hotfix: no plan[\s\S]*❌ \*\*HF3\d\d\*\*/);
    assert.not.match(findings, /Plan id:|hotfix apply/);
    clean(posted);
  }));

test('bad input: no token, no such merge request, a wrong token, a read_api token, a job token that may read but not write a note', () =>
  withServer(async (server, s) => {
    savePlan(s, 'plan.json', 'x');
    const noToken = await comment(server, s.root, ['plan.json', '--pr', MR], { GITLAB_TOKEN: '' });
    assert.is(noToken.code, 1);
    assert.match(noToken.stderr, /^error {2}no GitLab token: GITLAB_TOKEN is empty and there is no CI_JOB_TOKEN; set GITLAB_TOKEN to a project access token with the api scope .*\[HF501\]\n$/);
    const otherVar = await comment(server, s.root, ['plan.json', '--pr', MR, '--token-env', 'DEPLOY_BOT_TOKEN'], { GITLAB_TOKEN: 'glpat-wrong', DEPLOY_BOT_TOKEN: TOKEN });
    assert.is(otherVar.code, 0, otherVar.stderr);
    const noMr = await comment(server, s.root, ['plan.json', '--pr', `${PROJECT}!8`]);
    assert.is(noMr.code, 1);
    assert.match(noMr.stderr, /^error {2}GitLab has no merge request platform\/delivery\/api-js-config!8 that this token can see \(404 when trying to read the merge request: 404 Not found\): check --pr, and that the token's user is a member of platform\/delivery\/api-js-config.*\[HF502\]\n$/);
    const noProject = await comment(server, s.root, ['plan.json', '--pr', 'platform/delivery/other!7']);
    assert.match(noProject.stderr, /404 Project Not Found.*\[HF502\]\n$/);
    const wrong = await comment(server, s.root, ['plan.json', '--pr', MR], { GITLAB_TOKEN: 'glpat-wrong' });
    assert.match(wrong.stderr, /^error {2}GitLab refused the token in GITLAB_TOKEN \(401: 401 Unauthorized\) when hotfix tried to read the merge request on platform\/delivery\/api-js-config!7: it is wrong, expired or revoked.*\[HF505\]\n$/);
    assert.not.ok(wrong.stderr.includes('glpat-wrong'));
    server.openMergeRequest(10, 'Roll back api-js in staging');
    const readOnly = await comment(server, s.root, ['plan.json', '--pr', `${PROJECT}!10`], { GITLAB_TOKEN: READ_API_TOKEN });
    assert.is(readOnly.code, 1);
    assert.match(readOnly.stderr, /^error {2}GitLab refused the token in GITLAB_TOKEN when hotfix tried to post a note on platform\/delivery\/api-js-config!10 \(403: insufficient_scope\): give it the api scope \(read_api cannot write notes\).*\[HF505\]\n$/);

    // In a GitLab CI job without GITLAB_TOKEN: the job token reads the merge request and its notes, then the write is refused.
    server.openMergeRequest(9, 'Roll back web in production');
    const before = server.notes.length;
    const job = await comment(server, s.root, ['plan.json', '--pr', `${PROJECT}!9`], { GITLAB_TOKEN: '', CI_JOB_TOKEN: JOB_TOKEN });
    assert.is(job.code, 1);
    assert.match(job.stderr, /^error {2}GitLab refused the CI\/CD job token in CI_JOB_TOKEN when hotfix tried to post a note on platform\/delivery\/api-js-config!9 \(401: 401 Unauthorized\): a job token may read a merge request and its notes, never write a note; set GITLAB_TOKEN to a project access token with the api scope.*\[HF510\]\n$/);
    assert.equal(server.requests.filter((r) => r.auth === 'job').map((r) => [r.operation, r.status]), [
      ['getApiV4ProjectsIdMergeRequestsMergeRequestIid', 200],
      ['getApiV4ProjectsIdMergeRequestsNoteableIdNotes', 200],
      ['postApiV4ProjectsIdMergeRequestsNoteableIdNotes', 401],
    ]);
    assert.is(server.notes.length, before, 'nothing written');
    clean(noToken, otherVar, noMr, noProject, wrong, readOnly, job);
  }));

test('server errors and rate limits: retried twice, waiting what Retry-After asks, then one coded line', () =>
  withServer(async (server, s) => {
    savePlan(s, 'plan.json', 'x');
    const post = 'postApiV4ProjectsIdMergeRequestsNoteableIdNotes';
    const list = 'getApiV4ProjectsIdMergeRequestsNoteableIdNotes';
    const show = 'getApiV4ProjectsIdMergeRequestsMergeRequestIid';
    const statuses = (operation: string) => server.requests.filter((r) => r.operation === operation).map((r) => r.status);
    server.trouble({ operation: post, times: 1, answer: 'server-error' });
    server.trouble({ operation: show, times: 1, answer: 'rate-limit', retryAfter: 1 });
    const recovered = await comment(server, s.root, ['plan.json', '--pr', MR]);
    assert.is(recovered.code, 0, recovered.stderr);
    assert.equal([statuses(show), statuses(post)], [[429, 200], [500, 201]]);

    server.trouble({ operation: list, times: Infinity, answer: 'bad-gateway' });
    const down = await comment(server, s.root, ['plan.json', '--pr', MR]);
    assert.is(down.code, 1);
    assert.match(down.stderr, /^error {2}GitLab failed when hotfix tried to list its notes on platform\/delivery\/api-js-config!7 \(502: GitLab is not responding, after 2 retries\).*\[HF503\]\n$/);
    assert.is(statuses(list).filter((x) => x === 502).length, 3, 'the first try and 2 retries');
    server.calm();

    // A limit that resets in an hour is not waited out: one request, then the reset time.
    const shows = statuses(show).length;
    server.trouble({ operation: show, times: Infinity, answer: 'rate-limit', retryAfter: 3600 });
    const limited = await comment(server, s.root, ['plan.json', '--pr', MR]);
    assert.is(limited.code, 1);
    assert.match(limited.stderr, /^error {2}GitLab rate-limited the token while hotfix tried to read the merge request on platform\/delivery\/api-js-config!7 \(429: Retry later\); the limit resets at \w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT: run the command again then.*\[HF504\]\n$/);
    assert.is(statuses(show).length - shows, 1);
    clean(recovered, down, limited);
  }));

test("a plan note posted by another user (the bot of an earlier project access token) cannot be edited by this token: HF505 says whose it is and what to do", () =>
  withServer(async (server, s) => {
    savePlan(s, 'plan.json', 'x');
    server.openMergeRequest(9, 'Roll back web in production');
    await comment(server, s.root, ['plan.json', '--pr', `${PROJECT}!9`]);
    // The same key's note on !7, by a bot user this token is not.
    const theirs = server.personNote(7, ours(server)[0]!.body, 'project_4211_bot_0ld5e7a1');
    savePlan(s, 'next.json', 'y');
    const refused = await comment(server, s.root, ['next.json', '--pr', MR]);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^error {2}GitLab refused the token in GITLAB_TOKEN to update note ${theirs.id} on platform/delivery/api-js-config!7 \\(403: 403 Forbidden\\): GitLab lets only a note's author edit it, and @project_4211_bot_0ld5e7a1 posted that one .*: delete that note, then run hotfix comment again, which posts a new one.*\\[HF505\\]\\n$`));
    assert.is(theirs.body, ours(server)[0]!.body, 'left as it was');
    clean(refused);
  }));

test('a plan note edited by a person stops the command before anything is written (HF506)', () =>
  withServer(async (server, s) => {
    savePlan(s, 'plan.json', 'x');
    await comment(server, s.root, ['plan.json', '--pr', MR]);
    const [note] = ours(server);
    server.personEdit(note!.id, note!.body.replace('Plan id:', 'Approved plan id:'));
    savePlan(s, 'next.json', 'y');
    const edited = await comment(server, s.root, ['next.json', '--pr', MR]);
    assert.is(edited.code, 1);
    assert.match(edited.stderr, new RegExp(`^error {2}comment ${server.url.replace(/[.]/g, '\\.')}/platform/delivery/api-js-config/-/merge_requests/7#note_${note!.id} is hotfix's plan comment for rollback of api-js in production \\(part 1\\), edited since hotfix posted it.*\\[HF506\\]\\n$`));
    assert.is(writes(server).length, 1);
    clean(edited);
  }));

test.run();
