import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { remoteRepository } from '../../src/forge/remote-repository.js';
import { fittedBody } from '../../src/forge/review-request-content.js';
import { fenceOf } from '../../src/forge/markdown-chunks.js';

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

test.run();
