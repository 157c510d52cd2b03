import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenarioOptions } from '../../fixtures/app-scenario.js';
import { git } from '../../fixtures/git.js';
import { protectBranches, withGitSettings } from '../../fixtures/protected-remote.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';
import { pushImage, REVISION } from '../helpers/push-image.js';
import { runCliAsync } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { registryForFile } from '../helpers/test-registry.js';

// A hotfix whose image tag CI completes at build time (Flux's sortable
// {branch}-{sha8}-{timestamp}) deployed through a pull request (git.via pull-request, main
// protected): the deploy pull request apply --open-prs opens must be titled with the tag the
// gate took, the subject of the commit it carries, not with the pattern the plan showed.
const registry = registryForFile(test);
const TOKEN = 'ghs_16HotfixTagAtGateT0kenNeverPrinted';
const FLUX_SORTABLE: AppScenarioOptions['ci'] = { tagFormat: '{branch}-{sha8}-{timestamp}', revisionFrom: '[tag]', tag: (sha, built) => `main-${sha.slice(0, 8)}-${Math.floor(built.getTime() / 1000)}` };

type PullRequest = Extract<Action, { kind: 'open-pull-request' }>;
type Gate = Extract<Action, { kind: 'gate' }>;

test('the deploy pull request is titled with the tag decided at the gate, as the commit it carries is: in apply\'s list and when --open-prs opens it', async () => {
  const s = await buildAppScenario(tempDir(), registry.host, { ci: FLUX_SORTABLE });
  await withGitSettings(s.policyFile, { via: 'pull-request' });
  await protectBranches(s.configRemote, ['main']);
  await protectBranches(s.appRemote, ['main', 'dev']);
  const file = join(s.root, 'plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', file], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const gate = plan.actions.find((a): a is Gate => a.kind === 'gate')!;
  const pattern = gate.tagAtGate!;
  const deploy = plan.actions.find((a): a is PullRequest => a.kind === 'open-pull-request' && a.repo === 'deploy')!;
  assert.ok(deploy.title.includes(pattern), `the reviewed title shows the pattern: ${deploy.title}`);

  const decided = pattern.replace('{timestamp}', '1795358999');
  await pushImage(registry.host, { name: 'team/shop-api', tag: pattern.replace('{timestamp}', '1795358405'), labels: { [REVISION]: gate.revision } });
  await pushImage(registry.host, { name: 'team/shop-api', tag: decided, labels: { [REVISION]: gate.revision } });
  const apply = ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke'];
  // Without --open-prs apply's last lines list the pull requests to open: as made, with the decided tag.
  const pushed = await runCliAsync([...apply, file], { cwd: s.root });
  assert.is(pushed.code, 0, `${pushed.stdout}\n${pushed.stderr}`);
  assert.ok(pushed.stdout.includes(`tag decided at the gate: ${decided},`), pushed.stdout);
  const listed = pushed.stdout.slice(pushed.stdout.indexOf('Open these pull requests (apply opens and merges none):'));
  assert.ok(listed.includes(`  deploy: ${deploy.head} → main  "${deploy.title.replaceAll(pattern, decided)}" (merging it deploys ${gate.image.replace(pattern, decided)} to production)`), listed);
  assert.ok(pushed.stdout.includes(`done: gate: ${gate.image.replace(pattern, decided)} exists with ${gate.label}=${gate.revision.slice(0, 7)}`), pushed.stdout);
  const toOpen = [...pushed.stdout.split('\n').filter((l) => l.startsWith('next: open a pull request')), listed];
  assert.not.ok(toOpen.some((l) => l.includes('{timestamp}')), `every pull request apply names is named as made:\n${toOpen.join('\n')}`);

  // Run again with --open-prs: nothing left in git, the pull requests opened from the journal's tag.
  const server = await startGitHubContractServer({ token: TOKEN, remote: s.configRemote, moreRepos: { 'shop-api': s.appRemote }, teams: ['shop-team'] });
  try {
    const args = [...apply, '--open-prs', '--forge-repo', 'deploy=octo-org/deploy', '--forge-repo', 'app=octo-org/shop-api', '--api-url', server.apiUrl, file];
    const r = await runCliAsync(args, { cwd: s.root, env: { GITHUB_TOKEN: TOKEN, HOTFIX_TEST_FORGE_SECOND_MS: '1' } });
    assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const [opened] = server.pulls.from(deploy.head);
    assert.ok(opened, `a pull request from ${deploy.head}`);
    const subject = (await git(s.configRemote, ['log', '-1', '--format=%s', `refs/heads/${deploy.head}`])).trim();
    assert.is(opened!.title, subject, 'the title is the subject of the commit the pull request carries');
    assert.is(opened!.title, deploy.title.replaceAll(pattern, decided));
    assert.not.ok(opened!.title.includes('{timestamp}'), opened!.title);
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test.run();
