// A forge that keeps paging cannot hold apply's gate open: the checks reads stop after 20
// pages of 100, counted at the contract servers, and a check beyond them reads as missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gitHubChecksReader } from '../../src/forge/github-checks.js';
import { gitLabChecksReader } from '../../src/forge/gitlab-checks.js';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';
import { startGitLabContractServer } from '../helpers/forge/gitlab-contract-server.js';

const SHA = '5e0f2a9c41d7b3e8a6f1c0d9b8a7e6f5d4c3b2a1';

test('GitHub: 2,100 check runs are read as 20 pages, then the statuses', async () => {
  const server = await startGitHubContractServer({ token: 'ghs_bounded', checksOf: ['octo-org/shop-api'] });
  try {
    server.checks.run('octo-org/shop-api', SHA, 'unit', { status: 'completed', conclusion: 'success' });
    for (let i = 0; i < 2_100; i++) server.checks.run('octo-org/shop-api', SHA, `shard-${i}`, { status: 'completed', conclusion: 'success' });
    const reports = await gitHubChecksReader({ token: 'ghs_bounded', apiUrl: server.apiUrl, secondMs: 1 })({ forge: 'github', repository: 'octo-org/shop-api', manual: 'allow' }, SHA);
    assert.equal(server.requests.map((r) => r.operation).filter((o) => o === 'checks/list-for-ref').length, 20);
    assert.equal(server.requests.filter((r) => r.operation === 'repos/list-commit-statuses-for-ref').length, 1);
    assert.is(reports.length, 2_000);
    // Newest first: the oldest run, unit's, is beyond the pages read.
    assert.not.ok(reports.some((r) => r.name === 'unit'));
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test('GitLab: 2,100 jobs are read as 20 pages', async () => {
  const server = await startGitLabContractServer({ project: 'acme/payments/shop-api', token: 'glpat-bounded' });
  try {
    for (let i = 0; i < 2_100; i++) server.checks.job(SHA, `shard-${i}`, 'success', { pipeline: 1 });
    const reports = await gitLabChecksReader({ token: { kind: 'private', value: 'glpat-bounded', from: 'GITLAB_TOKEN' }, host: server.url, secondMs: 1 })({ forge: 'gitlab', repository: 'acme/payments/shop-api', manual: 'allow' }, SHA);
    assert.equal(server.requests.filter((r) => r.operation === 'getApiV4ProjectsIdRepositoryCommitsShaStatuses').length, 20);
    assert.is(reports.length, 2_000);
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test.run();
