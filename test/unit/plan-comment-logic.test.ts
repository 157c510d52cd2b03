import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markedBody, readMarker } from '../../src/forge/comment-marker.js';
import { markdownChunks } from '../../src/forge/markdown-chunks.js';
import { parsePullRequestRef } from '../../src/forge/pull-request-ref.js';
import { reconcileComments } from '../../src/forge/reconcile-comments.js';
import type { ForgeComment } from '../../src/forge/forge-comments.js';
import { codeBlock } from '../../src/render/markdown-literal.js';

const key = { kind: 'rollback', policy: 'api-js', environment: 'production' };
const PLAN = `sha256:${'c'.repeat(64)}`;

test('--pr takes owner/repo#N and the pull request URL (github.com or an Enterprise host), nothing else', () => {
  assert.equal(parsePullRequestRef('octo-org/deploy#42'), { owner: 'octo-org', repo: 'deploy', number: 42 });
  assert.equal(parsePullRequestRef('https://github.com/octo-org/deploy/pull/42'), { owner: 'octo-org', repo: 'deploy', number: 42 });
  assert.equal(parsePullRequestRef('https://github.example.com/team/api.js/pull/7/files'), { owner: 'team', repo: 'api.js', number: 7 });
  for (const bad of ['octo-org/deploy!42', 'octo-org/deploy#0', 'https://github.com/octo-org/deploy/issues/42', 'https://github.com/octo-org/deploy/pull/42?x=1', 'ftp://github.com/o/r/pull/1', 'o/..#1', '-o/r#1', 'octo-org/deploy#42 ', 'javascript:alert(1)//pull/1'])
    assert.is(parsePullRequestRef(bad), undefined, bad);
});

test('the marker reads back what was written; names that could end the HTML comment are encoded; an edit of the words is seen, of line ends not', () => {
  const odd = { kind: 'rollback', policy: 'api --> <b>x</b>', environment: 'prod/eu west' };
  const body = markedBody({ key: odd, part: 2, parts: 3, plan: PLAN, state: 'current' }, 'text\nmore\n');
  assert.not.ok(body.split('\n')[0]!.slice(4, -3).includes('-->'));
  const read = readMarker(body)!;
  assert.equal(read.marker.key, odd);
  assert.equal([read.marker.part, read.marker.parts, read.marker.plan, read.edited], [2, 3, PLAN, false]);
  assert.is(readMarker(body.replace(/\n/g, '\r\n'))!.edited, false);
  assert.is(readMarker(body.replace('more', 'mare'))!.edited, true);
  assert.is(readMarker(body.replace('part=2/3', 'part=1/3'))!.edited, true, 'the marker fields are in the digest');
  assert.is(readMarker(`x${body}`), undefined);
});

function comment(id: number, body: string): ForgeComment {
  return { id, nodeId: `IC_${id}`, body, url: `https://github.com/o/r/pull/1#issuecomment-${id}` };
}
const part = (plan: string, n: number, parts: number, text = `part ${n} of ${plan}`) => markedBody({ key, part: n, parts, plan, state: 'current' }, text);

test('two jobs that raced leave two comments of the key: the older is updated, the newer retired; other keys and people are left alone', () => {
  const other = markedBody({ key: { ...key, environment: 'staging' }, part: 1, parts: 1, plan: PLAN, state: 'current' }, 'staging plan');
  const comments = [comment(1, 'a person'), comment(2, part('sha256:' + 'a'.repeat(64), 1, 1)), comment(3, other), comment(4, part('sha256:' + 'b'.repeat(64), 1, 1))];
  const { steps, problems, partOne } = reconcileComments(key, [part(PLAN, 1, 1)], comments);
  assert.equal(problems, []);
  assert.is(partOne!.id, 2);
  assert.equal(steps.map((s) => [s.kind, s.kind === 'create' ? undefined : s.comment.id]), [['update', 2], ['retire', 4]]);
  const retired = steps[1]!;
  assert.is(readMarker(retired.body)!.marker.state, 'retired');
  // Once retired, it is no comment of the key: the same plan again writes nothing.
  const after = [comments[0]!, comment(2, part(PLAN, 1, 1)), comments[2]!, comment(4, retired.body)];
  assert.equal(reconcileComments(key, [part(PLAN, 1, 1)], after).steps, []);
});

test('any edited comment of the key, or one whose marker is gone, stops everything', () => {
  const edited = part(PLAN, 1, 2).replace('part 1', 'part one');
  assert.equal(reconcileComments(key, [part(PLAN, 1, 1)], [comment(5, edited)]).problems.map((p) => p.code), ['HF506']);
  const unmarked = `${part(PLAN, 1, 1).split('\n').slice(1).join('\n')}`;
  // The footer is what commentBodies writes; a marker-less body with it is a plan comment that lost its marker.
  const footer = '<sub>hotfix plan comment for `rollback` of `api-js` in `production`, part 1 of 1. Each new plan updates it in place; an edit by hand stops that.</sub>';
  const r = reconcileComments(key, [part(PLAN, 1, 1)], [comment(6, `${unmarked}\n\n${footer}`)]);
  assert.equal(r.problems.map((p) => p.code), ['HF507']);
  assert.equal(r.steps, []);
  // Quoted in a reply, the footer is no plan comment.
  assert.equal(reconcileComments(key, [part(PLAN, 1, 1)], [comment(7, `> ${footer}\n\nwhy?`)]).problems, []);
});

/** Markdown as the plan renderer writes it: paragraphs, indented code blocks with any content, <details> folds around some. */
const markdown = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 80 }).map((t) => [t.replace(/[\r\n]/g, ' ').replace(/^ *(`{3,}|~{3,}|<\/?details)/, 'x')]),
      fc.tuple(fc.array(fc.string({ maxLength: 120 }), { maxLength: 40 }), fc.boolean()).map(([lines, folded]) => {
        const block = codeBlock(lines.map((l) => `${l.replace(/[\r\n]/g, ' ')}\n`).join(''), 'diff', 2);
        return folded ? ['  <details><summary><code>f</code></summary>', '', ...block, '', '  </details>'] : block;
      }),
    ),
    { maxLength: 30 },
  )
  .map((blocks) => blocks.flat().join('\n'));

test('markdown cut into chunks: each within the budget, every code block and fold closed in its chunk, no line lost', () => {
  fc.assert(
    fc.property(markdown, fc.integer({ min: 400, max: 3000 }), (text, budget) => {
      const chunks = markdownChunks(text, budget);
      for (const chunk of chunks) {
        if (chunk.length > budget) return false;
        const lines = chunk.split('\n');
        let open: string | undefined;
        for (const l of lines) {
          if (open !== undefined) open = l === open ? undefined : open;
          else open = /^( {0,3})(`{3,}|~{3,})/.exec(l)?.slice(1, 3).join('');
        }
        if (open !== undefined) return false;
        if (lines.filter((l) => open === undefined && /^ *<details>/.test(l)).length !== lines.filter((l) => /^ *<\/details>/.test(l)).length) return false;
      }
      // Every original line is in the chunks, in order (the chunks add only closing and opening lines).
      const all = chunks.join('\n').split('\n');
      let at = 0;
      for (const line of text.split('\n')) {
        while (at < all.length && all[at] !== line) at++;
        if (at === all.length) return false;
        at++;
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

test.run();
