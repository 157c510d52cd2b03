import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readMarker } from '../../src/forge/comment-marker.js';
import { commentBodies, GITHUB_COMMENT_LIMIT, type CommentContent } from '../../src/forge/comment-parts.js';
import { gitHubForge } from '../../src/forge/github-forge.js';
import { postPlanComment } from '../../src/forge/post-plan-comment.js';
import { codeBlock } from '../../src/render/markdown-literal.js';
import { startGitHubContractServer } from '../helpers/forge/github-contract-server.js';

const TOKEN = 'ghs_partsT0ken';
const key = { kind: 'rollback', policy: 'api-js', environment: 'production' };

/** A plan comment shaped like renderPlanMarkdown's: header, a diff per file (long ones folded), warnings, summary, id. */
function content(plan: string, files: number, warnings: number): CommentContent {
  const head = ['### hotfix: Roll back `api-js` in `production`', '', '| | |', '| --- | --- |', '| deployed now | `ghcr.io/octo-org/api-js:main-26a4b87` |'];
  const findings = Array.from({ length: warnings }, (_, i) => `> ⚠️ **HF331** \`image automation flux-system/apps-${i} will set the newest tag again\`  `);
  const diffs = Array.from({ length: files }, (_, i) => [
    `- ➕ \`[a${i}] deploy: commit on rollback/api-js\`: \`clusters/prod/apps/app-${i}/kustomization.yaml\``,
    '',
    `  <details><summary><code>clusters/prod/apps/app-${i}/kustomization.yaml</code> (+1 −1)</summary>`,
    '',
    ...codeBlock(`diff --git a/x b/x\n@@ -1,40 +1,40 @@\n${Array.from({ length: 40 }, (_, l) => ` line ${l} of a kustomization that ends in a tag: main-26a4b87`).join('\n')}\n-    newTag: main-26a4b87\n+    newTag: main-1f0c2e9\n`, 'diff', 2),
    '',
    '  </details>',
    '',
  ]);
  const tail = ['', `**Plan: ${files} to create, 1 to change, 0 to delete.**`, '', `Plan id: ${plan}`];
  const closing = ['', 'Apply exactly this plan, once it is approved, with:', '', ...codeBlock(`hotfix apply --expect-id ${plan} 'plan.json'\n`, 'shell')];
  return {
    key,
    plan,
    full: [...head, '', '#### Actions', '', ...diffs.flat(), '> [!WARNING]', ...findings, ...tail, ...closing].join('\n'),
    lead: { head: [...head, '', '> [!WARNING]'], findings, more: (n) => `> … and ${n} more`, tail: [...tail, ...closing] },
  };
}

const PLAN_A = `sha256:${'a'.repeat(64)}`;
const PLAN_B = `sha256:${'b'.repeat(64)}`;

test('a plan too long for one comment is cut into numbered parts within the limit, part 1 keeping header, warnings, summary, id and command', () => {
  const bodies = commentBodies(content(PLAN_A, 120, 3));
  assert.ok(bodies.length >= 3, String(bodies.length));
  for (const [i, body] of bodies.entries()) {
    assert.ok(body.length <= GITHUB_COMMENT_LIMIT, `part ${i + 1} is ${body.length}`);
    const read = readMarker(body)!;
    assert.equal([read.marker.part, read.marker.parts, read.edited], [i + 1, bodies.length, false]);
    // Every fence and fold opened in a part is closed in it.
    const fences = body.split('\n').filter((l) => /^ {0,3}(`{3,}|~{3,})/.test(l)).length;
    assert.is(fences % 2, 0, `part ${i + 1} leaves a code block open`);
    assert.is(body.split('\n').filter((l) => /^ *<details>/.test(l)).length, body.split('\n').filter((l) => /^ *<\/details>/.test(l)).length);
  }
  const one = bodies[0]!;
  for (const wanted of ['### hotfix: Roll back', 'image automation flux-system/apps-2', '**Plan: 120 to create', `Plan id: ${PLAN_A}`, `hotfix apply --expect-id ${PLAN_A}`, `parts 2 to ${bodies.length}`]) assert.ok(one.includes(wanted), wanted);
  // Nothing of the plan is lost: every diff line is in some part.
  const all = bodies.join('\n');
  for (let f = 0; f < 120; f += 17) assert.ok(all.includes(`clusters/prod/apps/app-${f}/kustomization.yaml</code>`), String(f));
});

test('part 1 shortens the warnings when even they do not fit, and says how many more the parts hold', () => {
  const bodies = commentBodies(content(PLAN_A, 2, 2000));
  const one = bodies[0]!;
  assert.ok(one.length <= GITHUB_COMMENT_LIMIT);
  assert.match(one, /^> … and \d+ more$/m);
  assert.ok(one.includes(`Plan id: ${PLAN_A}`));
  assert.ok(bodies.join('\n').includes('flux-system/apps-1999 '));
});

test('against the contract server: parts posted, then a shorter plan updates part 1 in place and hides the surplus parts as outdated', async () => {
  const server = await startGitHubContractServer({ token: TOKEN });
  server.openPullRequest(7, 'deploy: roll back api-js');
  try {
    const forge = gitHubForge({ owner: 'octo-org', repo: 'deploy', number: 7 }, { token: TOKEN, apiUrl: server.apiUrl, secondMs: 1 });
    const long = await postPlanComment(forge, content(PLAN_A, 120, 3));
    assert.ok(long.parts >= 3);
    assert.is(long.created, long.parts);
    const partOne = server.comments[0]!;
    const short = await postPlanComment(forge, content(PLAN_B, 1, 3));
    assert.equal([short.parts, short.created, short.updated, short.retired], [1, 0, 1, long.parts - 1]);
    assert.is(short.url, `https://github.com/octo-org/deploy/pull/7#issuecomment-${partOne.id}`);
    assert.ok(partOne.body.includes(`Plan id: ${PLAN_B}`));
    const surplus = server.comments.slice(1);
    assert.ok(surplus.every((c) => c.minimized === 'OUTDATED' && readMarker(c.body)!.marker.state === 'retired' && !readMarker(c.body)!.edited));
    // Retired parts are not taken up again: a long plan once more posts new parts.
    const again = await postPlanComment(forge, content(PLAN_A, 120, 3));
    assert.equal([again.created, again.updated, again.retired], [again.parts - 1, 1, 0]);
    // A token that may not hide comments is told so.
    server.trouble({ operation: 'graphql', times: 1, answer: 'forbidden' });
    const refused = await postPlanComment(forge, content(PLAN_B, 1, 3)).then(() => 'posted', (e: Error) => e.message);
    assert.match(refused, /GitHub refused the token when hotfix tried to hide comment \S+ as outdated on octo-org\/deploy#7 \(GraphQL: Resource not accessible by integration\).*\[HF505\]/);
    // Run again with the permission: every surplus part ends hidden, none only marked.
    const fixed = await postPlanComment(forge, content(PLAN_B, 1, 3));
    assert.is(fixed.retired, again.parts - 1);
    const bot = server.comments.filter((c) => c.author === 'github-actions[bot]');
    assert.ok(bot.slice(1).every((c) => c.minimized === 'OUTDATED'));
    assert.ok(bot.filter((c) => c.minimized === undefined).length === 1);
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test('the comment is found again past the first page of comments (GitHub gives at most 100 a page, linked by rel="next")', async () => {
  const server = await startGitHubContractServer({ token: TOKEN });
  server.openPullRequest(8, 'deploy: roll back api-js');
  try {
    for (let i = 0; i < 130; i++) server.personComment(8, `review note ${i}`);
    const forge = gitHubForge({ owner: 'octo-org', repo: 'deploy', number: 8 }, { token: TOKEN, apiUrl: server.apiUrl, secondMs: 1 });
    assert.is((await postPlanComment(forge, content(PLAN_A, 1, 1))).created, 1);
    const second = await postPlanComment(forge, content(PLAN_B, 1, 1));
    assert.equal([second.created, second.updated], [0, 1]);
    assert.is(server.comments.filter((c) => c.author === 'github-actions[bot]').length, 1);
    assert.ok(server.requests.filter((r) => r.operation === 'issues/list-comments').length >= 4, 'two pages, twice');
    assert.equal(server.violations, []);
  } finally {
    await server.close();
  }
});

test.run();
