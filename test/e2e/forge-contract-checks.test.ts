import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';
import { startGitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';

const TOKEN = 'ghs_contractCheck';
const SHA = 'c9af118d1e4e2b7f0a3c5d6e7f8091a2b3c4d5e6';

/** The checks reads must be held to GitHub's description as the comment calls are, or the gate tests prove nothing. */
test('checks reads GitHub would refuse are refused and recorded; valid ones answer what the test set, newest first', async () => {
  const server = await startGitHubContractServer({ token: TOKEN, checksOf: ['octo-org/shop-api'] });
  const get = (path: string) => fetch(`${server.apiUrl}${path}`, { headers: { authorization: `token ${TOKEN}` } });
  try {
    assert.is((await get(`/repos/octo-org/shop-api/commits/${SHA}/check-runs?filter=newest`)).status, 422);
    assert.is((await get(`/repos/octo-org/shop-api/commits/${SHA}/check-runs?app_id=actions`)).status, 422);
    assert.is((await get(`/repos/octo-org/shop-api/commits/${SHA}/statuses?state=success`)).status, 422);
    assert.equal(server.violations.length, 3);
    server.violations.length = 0;

    const first = server.checks.run('octo-org/shop-api', SHA, 'unit', { status: 'completed', conclusion: 'success' });
    const rerun = server.checks.run('octo-org/shop-api', SHA, 'unit', { status: 'completed', conclusion: 'failure' });
    server.checks.run('octo-org/shop-api', SHA, 'unit', { appId: 8_123_456, status: 'in_progress' });
    const latest = (await (await get(`/repos/octo-org/shop-api/commits/${SHA}/check-runs?filter=latest&per_page=100`)).json()) as { total_count: number; check_runs: Array<{ id: number; app: { id: number } }> };
    assert.equal(latest.check_runs.map((r) => [r.id === rerun, r.app.id]), [[false, 8_123_456], [true, 15368]]);
    const all = (await (await get(`/repos/octo-org/shop-api/commits/${SHA}/check-runs?filter=all&app_id=15368`)).json()) as { check_runs: Array<{ id: number }> };
    assert.equal(all.check_runs.map((r) => r.id), [rerun, first]);
    server.checks.status('octo-org/shop-api', SHA, 'smoke', 'pending');
    server.checks.status('octo-org/shop-api', SHA, 'smoke', 'success');
    const statuses = (await (await get(`/repos/octo-org/shop-api/commits/${SHA}/statuses?per_page=1`)).json()) as Array<{ state: string }>;
    assert.equal(statuses.map((s) => s.state), ['success']);
    assert.is((await get(`/repos/octo-org/other/commits/${SHA}/statuses`)).status, 404);
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test('GitLab: a statuses read GitLab would refuse is refused and recorded; retried jobs are listed only with all=true', async () => {
  const server = await startGitLabContractServer({ project: 'acme/payments/shop-api', token: 'glpat-contract', jobToken: 'glcbt-contract' });
  const get = (path: string, header: Record<string, string> = { 'private-token': 'glpat-contract' }) => fetch(`${server.url}/api/v4/projects/acme%2Fpayments%2Fshop-api/repository/commits/${SHA}/statuses${path}`, { headers: header });
  try {
    assert.is((await get('?per_page=500')).status, 400);
    assert.is((await get('?sort=newest')).status, 400);
    assert.is((await get('?state=success')).status, 400);
    assert.equal(server.violations.length, 3);
    server.violations.length = 0;
    assert.is((await get('', { 'job-token': 'glcbt-contract' })).status, 401, 'not on the job token\'s access list');
    const failed = server.checks.job(SHA, 'unit', 'failed', { pipeline: 9 });
    server.checks.retry(failed, 'success');
    server.checks.job(SHA, 'smoke', 'running');
    const latest = (await (await get('')).json()) as Array<{ name: string; status: string }>;
    assert.equal(latest.map((j) => [j.name, j.status]), [['unit', 'success'], ['smoke', 'running']]);
    const all = (await (await get('?all=true')).json()) as Array<{ name: string; status: string }>;
    assert.equal(all.map((j) => [j.name, j.status]), [['unit', 'failed'], ['unit', 'success'], ['smoke', 'running']]);
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test.run();
