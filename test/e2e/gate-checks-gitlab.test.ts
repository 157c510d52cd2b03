// The hotfix gate reads hotfix.requiredChecks from GitLab (issue 16 §4): the jobs of the
// hotfix head's pipelines and the statuses posted on it, through the built CLI against the
// loopback GitLab, which checks every request and answer against the endpoints as GitLab
// describes them (gitlab-contract.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git } from '../../fixtures/git.js';
import type { Plan } from '../../src/plan/types.js';
import { withChecksSource } from '../helpers/checks-policy.js';
import { startGitLabContractServer, type GitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync, type CliResult } from '../helpers/run-cli.js';
import { startTestRegistry, type TestRegistry } from '../helpers/test-registry.js';

const TOKEN = 'glpat-16GateCh3cksT0kenNeverPrinted';
const JOB_TOKEN = 'glcbt-64_16JobT0kenNeverPrinted';
const PROJECT = 'acme/payments/shop-api';

let registry: TestRegistry;
let server: GitLabContractServer;
let seed = 60;

test.before(async () => {
  registry = await startTestRegistry();
  server = await startGitLabContractServer({ project: PROJECT, token: TOKEN, jobToken: JOB_TOKEN });
});

test.after(async () => {
  await registry.stop();
  await server.close();
});

test.after.each(() => {
  assert.equal(server.violations, [], 'requests or answers outside GitLab\'s API description');
});

async function hotfix(checks: { manual?: 'allow' | 'refuse'; repository?: string } = {}) {
  const h = await gatedHotfix(registry.host, seed++, (s) => withChecksSource(s.policyFile, { forge: 'gitlab', repository: PROJECT, ...checks }));
  const plan = JSON.parse(readFileSync(h.planFile, 'utf8')) as Plan;
  const head = (plan.actions.find((a) => a.kind === 'gate') as { revision: string }).revision;
  const base = h.args.filter((a, i) => a !== '--check' && h.args[i - 1] !== '--check');
  // As a GitLab CI job runs it: the instance from CI_SERVER_URL, a masked GITLAB_TOKEN.
  const apply = async (extra: readonly string[] = [], env: Record<string, string> = { GITLAB_TOKEN: TOKEN }) => {
    const r = await runCliAsync([...base.slice(0, -1), ...extra, base.at(-1)!], { cwd: h.s.root, env: { CI_SERVER_URL: server.url, HOTFIX_TEST_FORGE_SECOND_MS: '1', ...env } });
    for (const secret of [TOKEN, JOB_TOKEN]) assert.not.ok(`${r.stdout}${r.stderr}`.includes(secret), 'a token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
    return r;
  };
  return { ...h, head, apply };
}

function appRefs(h: GatedHotfix): Promise<string> {
  return git(h.s.appRepo, ['for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/tags']);
}

test('show says the checks are read from GitLab, for which commit', async () => {
  const h = await hotfix();
  const text = await runCliAsync(['show', h.planFile], { cwd: h.s.root });
  assert.ok(text.stdout.includes(`checks unit, smoke read from GitLab acme/payments/shop-api for ${h.head.slice(0, 7)} (or attested with --check, recorded)`), text.stdout);
});

test('the gate waits while a job is pending or running, naming it; passes once both jobs succeeded; a retried job counts as its retry', async () => {
  const h = await hotfix();
  const pipeline = 1_600_000_001;
  const unit = server.checks.job(h.head, 'unit', 'pending', { pipeline });
  const smoke = server.checks.job(h.head, 'smoke', 'failed', { pipeline });
  await h.meetGate();
  const pending = await h.apply();
  assert.is(pending.code, 3, pending.stderr);
  assert.match(pending.stderr, new RegExp(`checks not done on ${h.head.slice(0, 7)} in GitLab acme/payments/shop-api: unit pending \\(job\\), smoke failed \\(job\\).*HF410`));
  server.checks.update(unit, 'running');
  server.checks.retry(smoke, 'running');
  const running = await h.apply();
  assert.is(running.code, 3);
  assert.match(running.stderr, /unit running \(job\), smoke running \(job\)/);
  server.checks.update(unit, 'success');
  const retried = server.checks.retry(smoke, 'success');
  assert.ok(retried > smoke);
  const done = await h.apply();
  assert.is(done.code, 0, done.stderr);
  assert.match(done.stdout, /Apply complete/);
  const reads = server.requests.filter((r) => r.operation === 'getApiV4ProjectsIdRepositoryCommitsShaStatuses');
  assert.ok(reads.length >= 3 && reads.every((r) => r.auth === 'private' && r.path === `/api/v4/projects/${encodeURIComponent(PROJECT)}/repository/commits/${h.head}/statuses`), JSON.stringify(reads));
});

test('a newer pipeline whose job failed after an older pipeline\'s success blocks the gate; a skipped job is not done', async () => {
  const h = await hotfix();
  await h.meetGate();
  server.checks.job(h.head, 'unit', 'success');
  server.checks.job(h.head, 'smoke', 'skipped');
  server.checks.job(h.head, 'unit', 'failed');
  const r = await h.apply();
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /unit failed \(job\), smoke skipped \(job\)/);
});

test('manual: allow records --check in the journal with GITLAB_USER_LOGIN; manual: refuse refuses it before writing', async () => {
  const h = await hotfix();
  await h.meetGate();
  server.checks.job(h.head, 'unit', 'success');
  const r = await h.apply(['--check', 'smoke'], { GITLAB_TOKEN: TOKEN, GITLAB_USER_LOGIN: 'mhoffmann' });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^attested: smoke by mhoffmann \(GITLAB_USER_LOGIN\) \(--check\), recorded in the journal$/m);
  const dir = join(resolve(h.s.appRepo, (await git(h.s.appRepo, ['rev-parse', '--git-common-dir'])).trim()), 'hotfix', 'journal');
  const journal = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8')) as { attested?: Array<{ checks: string[]; by: string }> };
  assert.equal(journal.attested?.map((a) => [a.checks, a.by]), [[['smoke'], 'mhoffmann (GITLAB_USER_LOGIN)']]);

  const refusing = await hotfix({ manual: 'refuse' });
  const before = await appRefs(refusing);
  const refused = await refusing.apply(['--check', 'smoke']);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /count only as GitLab acme\/payments\/shop-api reports them.*HF423/);
  assert.is(await appRefs(refusing), before);
});

test('no token refused before writing; a job token, a wrong project and a failing GitLab stop at the gate coded', async () => {
  const h = await hotfix();
  const before = await appRefs(h);
  const none = await h.apply([], {});
  assert.is(none.code, 1);
  assert.match(none.stderr, /no GitLab token: GITLAB_TOKEN is not set and there is no CI_JOB_TOKEN.*HF501/);
  assert.is(await appRefs(h), before);

  await h.meetGate();
  const job = await h.apply([], { CI_JOB_TOKEN: JOB_TOKEN });
  assert.is(job.code, 3, job.stderr);
  assert.match(job.stderr, /GitLab refused the CI\/CD job token in CI_JOB_TOKEN .*\(401: 401 Unauthorized\): a job token may not read commit statuses.*HF513/);

  server.trouble({ operation: 'getApiV4ProjectsIdRepositoryCommitsShaStatuses', times: 3, answer: 'server-error' });
  const failing = await h.apply();
  assert.is(failing.code, 3, failing.stderr);
  assert.match(failing.stderr, /GitLab failed when apply read the jobs and statuses of .* \(500: 500 Internal Server Error, after 2 retries\).*HF514/);
  server.calm();

  const elsewhere = await hotfix({ repository: 'acme/payments/shop-api-old' });
  await elsewhere.meetGate();
  const missing = await elsewhere.apply();
  assert.is(missing.code, 3, missing.stderr);
  assert.match(missing.stderr, /GitLab has no project acme\/payments\/shop-api-old or commit [0-9a-f]{7} that the token in GITLAB_TOKEN can see \(404: 404 Project Not Found\): check hotfix\.checks\.repository.*HF513/);
});

test.run();
