import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { danglingLinks, HeadingSlugger, headingAnchors } from '../helpers/markdown-links.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const README = join(ROOT, 'README.md');

test('every link in README.md resolves inside the repository: paths exist, #anchors name a heading', () => {
  assert.equal(danglingLinks(readFileSync(README, 'utf8'), README, ROOT), []);
});

test('the README links to its own sections and to files, so the check above has something to check', () => {
  const markdown = readFileSync(README, 'utf8');
  const anchors = headingAnchors(markdown);
  assert.ok(anchors.has('image-tag-formats-apptagformat'), [...anchors].join(' '));
  assert.ok(anchors.has('hotfix-lint-path'));
});

test('heading anchors follow github-slugger: case, punctuation, symbols, repeats', () => {
  // Expected values from github-slugger's own fixtures (test/fixtures.json), in order, one slugger.
  const slugger = new HeadingSlugger();
  const cases: Array<[string, string]> = [
    ['alpha', 'alpha'],
    ['alpha', 'alpha-1'],
    ['bravoCharlieDelta', 'bravocharliedelta'],
    ['echo', 'echo'],
    ['echo', 'echo-1'],
    ['echo 1', 'echo-1-1'],
    ['echo-1', 'echo-1-2'],
    ['echo', 'echo-2'],
    ['heading with a - dash', 'heading-with-a---dash'],
    ['heading with an _ underscore', 'heading-with-an-_-underscore'],
    ['heading with a period.txt', 'heading-with-a-periodtxt'],
    ['exchange.bind_headers(exchange, routing [, bindCallback])', 'exchangebind_headersexchange-routing--bindcallback'],
    ['apostrophe’s should be trimmed', 'apostrophes-should-be-trimmed'],
    ['I ♥ unicode', 'i--unicode'],
    ['en–dash', 'endash'],
    ['Привет non-latin 你好', 'привет-non-latin-你好'],
  ];
  for (const [heading, slug] of cases) assert.is(slugger.slug(heading), slug, heading);
});

test('a dangling link is found: a missing file, a path out of the repository, a missing anchor; code spans hold no links', () => {
  const root = tempDir('hotfix-readme-links-');
  mkdirSync(join(root, 'schemas'));
  writeFileSync(join(root, 'schemas', 'policy.schema.json'), '{}');
  writeFileSync(join(root, 'GUIDE.md'), '# Guide\n\n## Exit codes (every command)\n');
  const file = join(root, 'README.md');
  const markdown = [
    '# Tool',
    '',
    '## `hotfix lint [PATH...]`',
    '',
    'See [the schema](schemas/policy.schema.json), [lint](#hotfix-lint-path), [exit codes](GUIDE.md#exit-codes-every-command),',
    '[the site](https://example.com/x#y) and `[not a link](nowhere.md)`.',
    '',
    'Broken: [gone](schemas/gone.json), [design](../shared/DESIGN.md), [anchor](#hotfix-lint), [other](GUIDE.md#exit-codes).',
    '',
    '```',
    '[in a fence](fence.md)',
    '```',
    '',
  ].join('\n');
  assert.equal(danglingLinks(markdown, file, root), [
    { target: 'schemas/gone.json', why: 'no such file' },
    { target: '../shared/DESIGN.md', why: 'leaves the repository' },
    { target: '#hotfix-lint', why: 'no heading makes the anchor #hotfix-lint' },
    { target: 'GUIDE.md#exit-codes', why: 'no heading makes the anchor #exit-codes' },
  ]);
});

test('the table of diagnostic codes is in code order', () => {
  const markdown = readFileSync(README, 'utf8');
  const table = markdown.slice(markdown.indexOf('<!-- diagnostic-codes:start'), markdown.indexOf('<!-- diagnostic-codes:end'));
  const codes = [...table.matchAll(/^\| (HF\d{3}) \|/gm)].map((m) => m[1]!);
  assert.ok(codes.length > 100, `${codes.length} codes`);
  assert.equal(codes, [...codes].sort());
});

test.run();
