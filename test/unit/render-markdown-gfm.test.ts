// The markdown plan as GitHub renders it (cmark-gfm, test/helpers/render-gfm.ts), for plans
// whose every string from outside is hostile: each diff whole in one code block, nothing
// from a file, a commit, a name or a registry rendered as markdown or HTML.
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { renderFindingsMarkdown } from '../../src/render/markdown-findings.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { findingsCommentProblems, planCommentProblems, proseOf } from '../helpers/gfm-comment-checks.js';

const SHA = (c: string) => c.repeat(40);
const ID = `sha256:${'e'.repeat(64)}`;

/** Markdown, HTML and GFM extensions that must never come alive; each names "evil", for the search. */
const HOSTILE = [
  '# [evil link](https://evil.example/a)',
  '![evil](https://evil.example/i.png)',
  '<img src=x onerror=alert("evil")>',
  '<script>alert("evil")</script>',
  '</details></summary></code></pre> evil',
  '```` evil ````',
  '~~~ evil',
  '`evil` ``evil``',
  '| evil | cell |',
  '* evil bullet',
  '1. evil list',
  '- [ ] evil task',
  '**evil** _evil_ ~~evil~~',
  'www.evil.example',
  'mail@evil.example',
  'https://evil.example',
  '&lt;evil&gt; &amp; &#60;evil',
  '\\*evil\\* \\',
  '$evil$',
  '<!-- evil -->',
  'evil\n\n# heading after a blank line',
  '"evil" \'quoted\'',
] as const;

interface Slots {
  /** A single-line field. */
  line(slot: string): string;
  /** The content lines of a file diff. */
  lines(slot: string): readonly string[];
}

/** A diff as git prints it (a line break in a path quoted), around content lines that come from a file. */
function diffOf(file: string, content: readonly string[]): string {
  const path = file.replace(/\n/g, '\\n');
  const body = content.flatMap((line, i) => [`-${line}`, `+${i}${line}`, ` ${line}`]);
  return [`diff --git a/${path} b/${path}`, 'index 1111111..2222222 100644', `--- a/${path}`, `+++ b/${path}`, `@@ -1,${content.length * 2} +1,${content.length * 2} @@`, ...body, ''].join('\n');
}

const person = (s: Slots, slot: string) => ({ name: s.line(`${slot}.name`), email: s.line(`${slot}.email`), date: '2024-01-01T00:00:00Z' });

/** A plan of every action kind, each string of it from `s`. */
function planWith(s: Slots): Plan {
  const repo = s.line('repo');
  const branch = s.line('branch');
  const path = s.line('path');
  const actions: Action[] = [
    { id: 'create-branch', kind: 'create-branch', repo, branch, from: SHA('a') },
    { id: 'pick-1', kind: 'cherry-pick', repo, branch, pick: SHA('b'), parent: SHA('a'), tree: SHA('c'), commit: SHA('d'), message: `${s.line('subject')}\n\n${s.line('body')}\n`, author: person(s, 'author'), committer: person(s, 'committer'), files: [path, s.line('other file')], diff: diffOf(path, s.lines('pick')) },
    { id: 'tag', kind: 'tag', repo, tag: s.line('tag'), target: SHA('d'), object: SHA('e'), message: s.line('tag message'), tagger: person(s, 'tagger') },
    { id: 'push', kind: 'push', repo, remote: s.line('remote'), url: s.line('url'), refs: [{ ref: `refs/heads/${branch}`, sha: SHA('d') }], runHooks: false } as Action,
    { id: 'gate', kind: 'gate', image: s.line('image'), label: s.line('label'), revision: SHA('d'), checks: [s.line('check')] },
    {
      id: 'deploy',
      kind: 'commit',
      repo: s.line('config repo'),
      branch: s.line('config branch'),
      purpose: 'deploy-hotfix',
      parent: SHA('f'),
      commit: SHA('1'),
      tree: SHA('2'),
      message: s.line('deploy message'),
      author: person(s, 'deployer'),
      committer: person(s, 'deployer'),
      changes: [
        { path: s.line('config file'), before: '', after: '', patches: [], diff: diffOf(s.line('config file'), s.lines('short')) },
        { path: s.line('second config file'), before: '', after: '', patches: [], diff: diffOf(s.line('second config file'), s.lines('long')) },
      ],
    },
    { id: 'merge', kind: 'merge', repo, into: s.line('merge target'), from: branch, parents: [SHA('3'), SHA('d')], base: SHA('4'), tree: SHA('5'), commit: SHA('6'), message: s.line('merge message'), author: person(s, 'merger') },
    { id: 'manual', kind: 'manual', repo, title: s.line('manual title'), commands: [s.line('command')] },
    { id: 'pr', kind: 'open-pull-request', repo, head: branch, base: s.line('base'), title: s.line('pr title') },
  ];
  const diagnostics: Diagnostic[] = [{ code: 'HF338', severity: 'warning', message: s.line('warning'), file: s.line('warning file'), range: { start: { line: 1, col: 2 }, end: { line: 1, col: 3 } } }];
  return {
    formatVersion: '1.1',
    id: ID,
    tool: { name: 'hotfix', version: '0.1.0' },
    createdAt: '2024-01-01T00:00:00Z',
    policy: { name: s.line('policy'), file: 'policy.yaml' },
    request: { kind: 'hotfix', environment: s.line('environment'), reason: s.line('reason'), picks: [SHA('b')] },
    repos: { [repo]: '/repo' },
    deployed: {
      environment: s.line('environment'),
      image: s.line('deployed image'),
      configRepo: s.line('config repo'),
      configBranch: s.line('config branch'),
      configFile: s.line('config file'),
      appCommit: { sha: SHA('a'), subject: s.line('deployed subject'), decidedBy: s.line('registry label'), agreeing: [s.line('agreeing')] },
      cluster: { image: s.line('cluster image'), source: 'file', health: s.line('cluster message') },
    },
    target: { image: s.line('target image') },
    baseline: {
      environment: s.line('baseline env'),
      forEnvironment: s.line('environment'),
      match: 'image',
      targetDeploying: { sha: SHA('7'), date: '2024-01-01T00:00:00Z' },
      commit: { sha: SHA('8'), subject: s.line('baseline subject'), date: '2024-01-01T00:00:00Z' },
      branch: s.line('baseline branch'),
      changedSince: [{ path: s.line('changed path'), added: 1, removed: 2 }],
    },
    preconditions: [],
    actions,
    diagnostics,
    notes: [s.line('note'), s.line('second note')],
  };
}

const hostileAt = (n: number) => HOSTILE[n % HOSTILE.length]!;
let slotCount = 0;
/** Each slot gets the next hostile string; diffs get all of them, and a short and a long one. */
const hostile: Slots = {
  line: () => hostileAt(slotCount++),
  lines: (slot) => (slot === 'short' ? ['```', '</details>'] : HOSTILE.flatMap((h) => h.split('\n'))),
};
const benign: Slots = { line: (slot) => slot.replace(/\W/g, '-'), lines: (slot) => (slot === 'short' ? ['a', 'b'] : HOSTILE.flatMap((h) => h.split('\n')).map((_, i) => `line ${i}`)) };

test('a plan whose every string is hostile renders as the benign one, every diff whole in its own code block', () => {
  const p = planWith(hostile);
  const markdown = renderPlanMarkdown(p);
  assert.equal(planCommentProblems(markdown, p, { hostile: ['evil', 'heading after'], prose: proseOf(renderPlanMarkdown(planWith(benign))) }), []);
});

test('a CRLF file: its diff shows with LF line ends, whole, and nothing else changes', () => {
  const p = planWith({ line: benign.line, lines: () => ['a: 1\r', '```\r', '</details>\r'] });
  assert.equal(planCommentProblems(renderPlanMarkdown(p), p), []);
});

test('a folded diff: its path in <summary> is HTML-escaped, and <details> holds the whole diff', () => {
  const p = planWith({ line: (slot) => (slot === 'second config file' ? 'a<b>&"c\'</summary>.yaml' : benign.line(slot)), lines: benign.lines });
  const markdown = renderPlanMarkdown(p);
  assert.equal(planCommentProblems(markdown, p), []);
  assert.ok(markdown.includes('<summary><code>a&lt;b&gt;&amp;&quot;c&#39;&lt;/summary&gt;.yaml</code>'), 'the path as text in HTML');
});

test('a refusal: each finding, its message as text, whatever it quotes', () => {
  const findings: Diagnostic[] = HOSTILE.map((message, i) => ({ code: 'HF331', severity: i % 2 ? 'error' : 'warning', message, ...(i % 3 === 0 ? { file: message, range: { start: { line: 1, col: 1 }, end: { line: 1, col: 2 } } } : {}) }));
  assert.equal(findingsCommentProblems(renderFindingsMarkdown(findings), findings, ['evil']), []);
});

/** Pieces of markdown, HTML and their escapes, joined at random into strings. */
const TOKENS = [...HOSTILE, '`', '``', '```', '~', '~~~~', '<', '>', '&', '|', '\\', '*', '_', '#', '[', ']', '(', ')', '!', '-', '+', '1.', ' ', '    ', '\t', ':', '"', "'", '$', '<details>', '</details>', '\n', 'x'];
// Not empty: the plan leaves out a row whose value is empty (a reason), which changes the words.
const piece = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
const contentLine = fc.array(fc.constantFrom(...TOKENS), { maxLength: 6 }).map((parts) => parts.join('').replace(/\n/g, ''));

/** Each case runs cmark-gfm twice: enough to meet every token in every field many times. */
const RUNS = 120;

test(`property: any strings in any field (${RUNS} plans), the words outside code are the benign plan's, every diff whole`, () => {
  const prose = proseOf(renderPlanMarkdown(planWith(benign)));
  let cases = 0;
  const arbitrary = fc.record({ lines: fc.array(piece, { minLength: 60, maxLength: 60 }), content: fc.array(contentLine, { minLength: 40, maxLength: 40 }) });
  fc.assert(
    fc.property(arbitrary, ({ lines, content }) => {
      cases++;
      let n = 0;
      let m = 0;
      const shortCount = benign.lines('short').length;
      const longCount = benign.lines('long').length;
      const slots: Slots = { line: () => lines[n++ % lines.length]!, lines: (slot) => Array.from({ length: slot === 'short' ? shortCount : longCount }, () => content[m++ % content.length]!) };
      const p = planWith(slots);
      assert.equal(planCommentProblems(renderPlanMarkdown(p), p, { prose }), []);
    }),
    { seed: 4013, numRuns: RUNS },
  );
  assert.is(cases, RUNS);
});

test.run();
