import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { AppScenario } from '../../fixtures/app-scenario.js';
import { protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// A hotfix with git.via pull-request (main protected on both remotes, as GitHub's "Require a
// pull request before merging" protects it): apply --open-prs opens the deploy pull request
// in the config repository and one merge-back pull request per mergeBack branch in the app
// repository, two repositories of one GitHub organisation on the loopback contract server.
const registry = registryForFile(test);
const TOKEN = 'ghs_16HotfixPullRequestsT0kenNeverPrinted';

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;

async function reviewed(s: AppScenario): Promise<void> {
  await withGitSettings(s.policyFile, { via: 'pull-request' });
  writeFileSync(s.policyFile, readFileSync(s.policyFile, 'utf8').replace('  owners: [shop-team]\n', '  owners: [octo-org/shop-team]\n'));
  await protectBranches(s.configRemote, ['main']);
  await protectBranches(s.appRemote, ['main', 'dev']);
}

test('git.via pull-request: the deploy pull request and the merge-back pull requests are opened, each once, in its own repository', async () => {
  const g = await gatedHotfix(registry.host, 43, reviewed);
  const { s } = g;
  const plan = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const prs = plan.actions.filter((a): a is PullRequest => a.kind === 'open-pull-request');
  assert.equal(prs.map((p) => [p.repo, p.base]), [['deploy', 'main'], ['app', 'main'], ['app', 'dev']]);
  const server = await startGitHubContractServer({ token: TOKEN, remote: s.configRemote, moreRepos: { 'shop-api': s.appRemote }, teams: ['shop-team'] });
  try {
    await g.meetGate();
    const args = [...g.args.slice(0, -1), '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--forge-repo', 'app=octo-org/shop-api', '--api-url', server.apiUrl, g.args.at(-1)!];
    const env = { GITHUB_TOKEN: TOKEN, HOTFIX_TEST_FORGE_SECOND_MS: '1' };
    const r = await runCliAsync(args, { cwd: s.root, env });
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(TOKEN));
    const [deploy, ...mergeBacks] = prs;
    const opened = server.pulls.from(deploy!.head);
    assert.equal(opened.map((p) => [p.number, p.base, p.title, p.labels, p.teams]), [[1, 'main', deploy!.title, ['hotfix'], ['shop-team']]]);
    assert.ok(opened[0]!.body!.includes('Merging this deploys the hotfix image'), 'the body says what merging it does');
    assert.equal(mergeBacks.map((m) => server.pullsOf('shop-api').from(m.head).map((p) => [p.base, p.title])), mergeBacks.map((m) => [[m.base, m.title]]));
    for (const [i, m] of mergeBacks.entries()) assert.ok(r.stdout.includes(`pull request created: https://github.com/octo-org/shop-api/pull/${i + 1} (${m.head} → ${m.base}), recorded in the journal\n`), r.stdout);
    assert.ok(r.stdout.includes(`pull request created: https://github.com/octo-org/deploy/pull/1 (${deploy!.head} → main)`), r.stdout);
    assert.match(r.stdout, /Apply complete: sha256:[0-9a-f]{64}; the deploy pull request \S+ → main is still open/);

    // Run again: nothing in git, every pull request found and updated, none opened twice.
    const again = await runCliAsync(args, { cwd: s.root, env });
    assert.is(again.code, 0, again.stderr);
    assert.is(again.stdout.match(/pull request updated: /g)?.length, 3, again.stdout);
    assert.is(server.pulls.from(deploy!.head).length + mergeBacks.reduce((n, m) => n + server.pullsOf('shop-api').from(m.head).length, 0), 3);
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test.run();
