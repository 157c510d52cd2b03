import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { remoteRepository } from '../../src/forge/remote-repository.js';
import { fittedBody } from '../../src/forge/review-request-content.js';
import { fenceOf } from '../../src/forge/markdown-chunks.js';
import { reviewRequestTargets } from '../../src/cli/review-request-targets.js';
import type { Plan } from '../../src/plan/types.js';

// Pure: the forge repository a push URL names (as git takes remote URLs: git-clone(1) "GIT
// URLS"; GitHub's and GitLab's clone URLs), and a pull request body cut to a forge's limit.

const urls: Array<[string, { host: string; path: string } | undefined]> = [
  ['https://github.com/octo-org/deploy.git', { host: 'github.com', path: 'octo-org/deploy' }],
  ['https://github.com/octo-org/deploy', { host: 'github.com', path: 'octo-org/deploy' }],
  ['git@github.com:octo-org/deploy.git', { host: 'github.com', path: 'octo-org/deploy' }],
  ['ssh://git@github.com/octo-org/deploy.git', { host: 'github.com', path: 'octo-org/deploy' }],
  // GitLab CI's checkout URL carries the job token as a password: dropped, never kept.
  ['https://gitlab-ci-token:glcbt-64_secret@gitlab.example.com/platform/delivery/api-js-config.git', { host: 'gitlab.example.com', path: 'platform/delivery/api-js-config' }],
  ['ssh://git@gitlab.example.com:2222/platform/delivery/api-js-config.git', { host: 'gitlab.example.com', path: 'platform/delivery/api-js-config' }],
  ['https://GHE.example.com/octo-org/deploy.git/', { host: 'ghe.example.com', path: 'octo-org/deploy' }],
  ['/srv/git/deploy.git', undefined],
  ['../deploy', undefined],
  ['file:///srv/git/deploy.git', undefined],
  ['https://github.com/octo-org', undefined],
  ['deploy:octo-org/deploy.git', undefined],
  ['https://github.com/octo-org/../deploy', undefined],
];

for (const [url, expected] of urls) test(`remote ${url}`, () => assert.equal(remoteRepository(url), expected));

const ID = `sha256:${'a'.repeat(64)}`;
const lead = '<!-- hotfix-pull-request -->\nOpened by `hotfix apply`.\n';

test('a plan that fits is the body whole', () => {
  const plan = '### hotfix: Roll back api-js\n\n**Plan: 1 to create, 0 to change, 0 to delete.**';
  assert.is(fittedBody(lead, plan, ID, 65_536), `${lead}\n${plan}\n`);
});

test('a longer plan is cut under the limit, its code block and fold closed, with a pointer to the rest', () => {
  const diff = Array.from({ length: 4000 }, (_, i) => `+  newTag: main-${i.toString(16).padStart(7, '0')} # 🚀`).join('\n');
  const plan = ['### hotfix: Roll back api-js', '', '<details>', '<summary>app/bases/kustomization.yaml</summary>', '', '```diff', diff, '```', '', '</details>', '', '**Plan: 1 to create, 0 to change, 0 to delete.**'].join('\n');
  for (const limit of [2_000, 65_536]) {
    const body = fittedBody(lead, plan, ID, limit);
    assert.ok([...body].length <= limit, `${[...body].length} > ${limit}`);
    assert.ok(body.startsWith(`${lead}\n### hotfix: Roll back api-js\n`));
    assert.ok(body.endsWith(`\`hotfix show <plan file> --format markdown\` prints all of plan ${ID}, as does its plan comment.\n`), body.slice(-300));
    const lines = body.split('\n');
    assert.is(lines.filter((l) => fenceOf(l) !== undefined).length % 2, 0, 'a code block left open');
    assert.is(lines.filter((l) => l === '<details>').length, lines.filter((l) => l === '</details>').length, 'a fold left open');
    assert.not.ok(/[\ud800-\udbff]$/m.test(body), 'a surrogate pair cut in two');
  }
});

/** The two actions the choice reads: the push of the branch, and its pull request. */
function pushedPlan(url: string): Plan {
  return {
    actions: [
      { id: 'push', kind: 'push', repo: 'deploy', remote: 'origin', url, runHooks: false, refs: [{ ref: 'refs/heads/rollback/production-3f2a9c1', sha: 'a'.repeat(40) }] },
      { id: 'pull-request', kind: 'open-pull-request', repo: 'deploy', head: 'rollback/production-3f2a9c1', base: 'main', title: 'Revert "chore(api-js): update image to main-3f2a9c1"' },
    ],
  } as unknown as Plan;
}

const none = { tokenEnv: undefined, apiUrl: undefined, forgeUrl: undefined };
const choices: Array<[string, string, Record<string, string>, [string, string] | string]> = [
  ['github.com', 'git@github.com:octo-org/deploy.git', { GITHUB_TOKEN: 't' }, ['github', 'octo-org/deploy']],
  ['gitlab.com', 'https://gitlab.com/platform/delivery/api-js-config.git', { GITLAB_TOKEN: 't' }, ['gitlab', 'platform/delivery/api-js-config']],
  // In GitLab CI on a self-managed instance: CI_SERVER_URL names the host the checkout came from.
  ['GitLab CI, self-managed', 'https://gitlab-ci-token:x@gitlab.example.com/platform/deploy.git', { CI_SERVER_URL: 'https://gitlab.example.com', GITLAB_TOKEN: 't' }, ['gitlab', 'platform/deploy']],
  // In GitHub Actions on an Enterprise Server: GITHUB_SERVER_URL names it.
  ['GitHub Actions, Enterprise Server', 'https://ghe.example.com/octo-org/deploy', { GITHUB_SERVER_URL: 'https://ghe.example.com', GITHUB_API_URL: 'https://ghe.example.com/api/v3', GITHUB_TOKEN: 't' }, ['github', 'octo-org/deploy']],
  ['another host', 'https://git.example.com/octo-org/deploy.git', { GITHUB_TOKEN: 't' }, 'HF519'],
  ['a local path', '/srv/git/deploy.git', { GITHUB_TOKEN: 't' }, 'HF519'],
  ['no token', 'git@github.com:octo-org/deploy.git', {}, 'HF501'],
];

for (const [name, url, env, expected] of choices)
  test(`the forge of a pull request: ${name}`, async () => {
    const chosen = await reviewRequestTargets(pushedPlan(url), new Map(), none, env).then(
      (targets) => targets.map((t) => [t.forge, t.repository]),
      (error: { diagnostics?: Array<{ code: string }> }) => error.diagnostics?.[0]?.code ?? String(error),
    );
    assert.equal(chosen, typeof expected === 'string' ? expected : [expected]);
  });

test('--forge-repo and --api-url name what a push URL cannot', async () => {
  const targets = await reviewRequestTargets(pushedPlan('/srv/git/deploy.git'), new Map([['deploy', 'octo-org/deploy']]), { ...none, apiUrl: 'https://ghe.example.com/api/v3' }, { GITHUB_TOKEN: 't' });
  assert.equal(targets.map((t) => [t.forge, t.repository, t.client.where]), [['github', 'octo-org/deploy', 'GitHub octo-org/deploy']]);
  assert.equal(targets[0]!.client.byHand({ head: 'rollback/production-3f2a9c1', base: 'main', title: "it's", body: '', labels: ['hotfix', 'rollback'], reviewers: [] }).url, 'https://ghe.example.com/octo-org/deploy/compare/main...rollback/production-3f2a9c1?expand=1');
});

test.run();
