// Image tag formats as real CI writes them (Flux's sortable-image-tags guide, GitHub's
// run_number, GitLab's 8-character short sha): rendered and read back.
import fc from 'fast-check';
import { test } from 'uvu';
import { atPlaceholder } from '../../src/policy/rules/placeholder-position.js';
import * as assert from 'uvu/assert';
import { lintSources } from '../../src/policy/lint.js';
import { commitIn, matchTemplate, placeholdersOf, renderTemplate, shaPrefixLength, type TemplateValues } from '../../src/policy/template.js';

const seed = 1611840548;
const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`));
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));

/** Values a CI run could give every placeholder a tag format may use. */
const values = fc.record({
  sha: hex(40),
  branch: fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/),
  version: fc.stringMatching(/^[A-Za-z0-9_.+-]{1,12}$/),
  date: digits(8, 8),
  datetime: digits(14, 14),
  timestamp: digits(10, 10),
  build: digits(1, 6),
});

/**
 * Formats shaped like real ones: an optional literal start, then distinct placeholders with
 * a separator between each two; at most one of the free-text ones ({branch}, {version}),
 * since two of them side by side can split a tag more than one way, as they could in CI.
 */
const formats = fc
  .record({
    start: fc.constantFrom('', 'main-', 'v', 'hotfix-', 'build.'),
    text: fc.constantFrom([], ['branch'], ['version']),
    fixed: fc.subarray(['sha', 'date', 'datetime', 'timestamp', 'build']),
    prefix: fc.option(fc.integer({ min: 4, max: 40 }), { nil: undefined }),
    separators: fc.array(fc.constantFrom('-', '.', '_'), { minLength: 8, maxLength: 8 }),
    order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
  })
  .map(({ start, text, fixed, prefix, separators, order }) => {
    const names = [...text, ...fixed, ...(prefix === undefined ? [] : [`sha${prefix}`])];
    const sorted = names.map((name, i) => ({ name, key: order[i]! })).sort((a, b) => a.key - b.key).map((n) => n.name);
    return start + sorted.map((name, i) => `${i > 0 ? separators[i]! : ''}{${name}}`).join('');
  })
  .filter((format) => placeholdersOf(format).length > 0);

let cases = 0;

test('any tag rendered from a format with any values reads back to those values and their commit', () => {
  fc.assert(
    fc.property(formats, values, (format, given) => {
      const tag = renderTemplate(format, given);
      fc.pre(tag.length <= 128);
      cases += 1;
      const read = matchTemplate(format, tag);
      assert.ok(read, `${tag} does not read back through ${format}`);
      const names = placeholdersOf(format);
      const expected: Record<string, string> = Object.fromEntries(names.map((name) => [name, name in given ? given[name as keyof typeof given] : given.sha.slice(0, shaPrefixLength(name))]));
      assert.equal(read, expected, `${tag} through ${format}`);
      const longest = Math.max(0, ...names.map((name) => (name === 'sha' ? 40 : (shaPrefixLength(name) ?? 0))));
      assert.is(commitIn(read), longest > 0 ? given.sha.slice(0, longest) : undefined);
    }),
    { seed, numRuns: 3000 },
  );
  assert.ok(cases >= 2500, `only ${cases} cases ran`);
});

test('a tag of another commit never reads back to the first', () => {
  fc.assert(
    fc.property(formats, values, hex(40), (format, given, other) => {
      fc.pre(other !== given.sha && placeholdersOf(format).some((n) => n === 'sha' || shaPrefixLength(n) !== undefined));
      const longest = Math.max(...placeholdersOf(format).map((n) => (n === 'sha' ? 40 : (shaPrefixLength(n) ?? 0))));
      fc.pre(other.slice(0, longest) !== given.sha.slice(0, longest));
      const tag = renderTemplate(format, { ...given, sha: other });
      fc.pre(tag.length <= 128);
      assert.is.not(commitIn(matchTemplate(format, tag)), given.sha.slice(0, longest));
    }),
    { seed, numRuns: 1000 },
  );
});

test('real tags: Flux sortable tags, run numbers, date-times, short shas', () => {
  const flux = matchTemplate('{branch}-{sha8}-{timestamp}', 'main-fc8d5c8b-1611840548');
  assert.equal(flux, { branch: 'main', sha8: 'fc8d5c8b', timestamp: '1611840548' });
  // A branch with dashes (release-1-2, as GITHUB_REF##*/ leaves it) still gives the commit.
  assert.is(commitIn(matchTemplate('{branch}-{sha8}-{timestamp}', 'release-1-2-fc8d5c8b-1611840548')), 'fc8d5c8b');
  assert.is(commitIn(matchTemplate('{sha}-{build}', `${'3'.repeat(40)}-1504`)), '3'.repeat(40));
  assert.equal(matchTemplate('{sha7}-{datetime}', '26a4b87-20210128133158'), { sha7: '26a4b87', datetime: '20210128133158' });
  // Known only after the build: any value of the form matches, nothing else does.
  assert.ok(matchTemplate('{branch}-{sha8}-{timestamp}', 'main-fc8d5c8b-1711111111'));
  assert.is(matchTemplate('{branch}-{sha8}-{timestamp}', 'main-fc8d5c8b-161184054'), undefined, 'nine digits are not Unix seconds of a build');
  assert.is(matchTemplate('{branch}-{sha8}-{timestamp}', 'main-fc8d5c8-1611840548'), undefined, 'seven hex digits are not {sha8}');
  assert.is(matchTemplate('{sha7}-{datetime}', '26a4b87-2021-01-28.133158'), undefined);
  assert.is(matchTemplate('{sha}-{build}', `${'3'.repeat(40)}-`), undefined);
  // Two parts naming the commit must name the same one.
  assert.equal(commitIn(matchTemplate('{sha7}-{sha}', `26a4b87-26a4b87${'0'.repeat(33)}`)), `26a4b87${'0'.repeat(33)}`);
  assert.is(matchTemplate('{sha7}-{sha}', `26a4b88-26a4b87${'0'.repeat(33)}`), undefined);
  assert.is(commitIn(matchTemplate('nightly-{datetime}', 'nightly-20210128133158')), undefined);
});

test('rendering: a prefix of any length comes from the full id; a value known only after the build is never invented', () => {
  const sha = 'fc8d5c8b01225d4003aac0000000000000000000';
  assert.is(renderTemplate('{branch}-{sha8}', { sha, branch: 'main' }), 'main-fc8d5c8b');
  assert.is(renderTemplate('{sha12}.{sha4}', { sha }), 'fc8d5c8b0122.fc8d');
  const known: TemplateValues = { sha, branch: 'main' };
  assert.throws(() => renderTemplate('{branch}-{sha8}-{timestamp}', known), /no value for placeholder \{timestamp\}/);
  assert.is(shaPrefixLength('sha3'), undefined);
  assert.is(shaPrefixLength('sha41'), undefined);
  assert.is(shaPrefixLength('sha07'), undefined);
  assert.is(shaPrefixLength('sha40'), 40);
});

const policy = (tagFormat: string, extra = '') => `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata: { name: p }
spec:
  app: { repo: app, image: ghcr.io/acme/podinfo, tagFormat: ${JSON.stringify(tagFormat)}${extra} }
  environments:
    - { name: production, config: { repo: fleet, branch: main, file: apps/kustomization.yaml, locator: { kustomizeImage: ghcr.io/acme/podinfo } } }
`;
const lint = async (text: string) => (await lintSources([{ file: 'p.yaml', text, explicit: true }])).diagnostics.map((d) => `${d.code} ${d.message}`);

test('lint explains the placeholders where tagFormat uses them', async () => {
  const typo = await lint(policy('main-{sha8}-{timstamp}'));
  assert.equal(typo.length, 1, typo.join('\n'));
  assert.match(typo[0]!, /^HF121 unknown placeholder \{timstamp\} .*did you mean \{timestamp\} \(the time CI built the image in Unix seconds, date \+%s/);
  assert.match((await lint(policy('main-{sah8}')))[0]!, /did you mean \{sha8\} \(the first 8 hex digits of the commit id\)/);
  assert.match((await lint(policy('main-{sha41}')))[0]!, /^HF121 .*\{shaN\} has N from 4 to 40, not 41/);
  assert.equal(await lint(policy('{branch}-{sha8}-{timestamp}')), [], 'no hotfix section: the Flux format is fine');
  const hotfix = await lint(policy('{branch}-{sha8}-{timestamp}') + '  hotfix: { reasons: [security] }\n');
  assert.equal(hotfix.map((d) => d.slice(0, 5)), ['HF151']);
  assert.match(hotfix[0]!, /\{timestamp\} \(the time CI built the image in Unix seconds.*a hotfix's tag is decided at its gate, where apply takes the newest registry tag that fits/);
  const both = await lint(policy('{sha7}-{datetime}.{build}') + '  hotfix: { reasons: [security] }\n');
  // One finding per placeholder known only after the build, each explaining its own.
  assert.equal(both.map((d) => d.slice(0, 5)), ['HF151', 'HF151']);
  assert.match(both[0]!, /has \{datetime\} \(the time CI built the image, YYYYMMDDHHMMSS, UTC.*the plan shows \{datetime\} as written/);
  assert.match(both[1]!, /has \{build\} \(CI's build or run number.*the plan shows \{build\} as written/);
  const noCommit = await lint(policy('{branch}-{timestamp}', ', revisionFrom: [label]'));
  assert.equal(noCommit.map((d) => d.slice(0, 5)), ['HF150']);
  assert.equal((await lint(policy('{branch}-{timestamp}'))).map((d) => d.slice(0, 5)), ['HF130'], 'revisionFrom lists tag by default');
  assert.equal(await lint(policy('{version}', ', revisionFrom: [label]')), [], 'a version names a commit through a git tag');
});

test('atPlaceholder: onto the placeholder in a plain or quoted one-line value; a value written otherwise keeps its range', () => {
  const finding = (startCol: number, endCol: number, endLine = 4) => ({ code: 'HF151' as const, severity: 'warning' as const, message: 'm', range: { start: { line: 4, col: startCol }, end: { line: endLine, col: endCol } } });
  const template = '{branch}-{sha8}-{timestamp}';
  // tagFormat: {branch}-{sha8}-{timestamp} from col 16: {timestamp} is characters 16..26 of it.
  assert.equal(atPlaceholder(finding(16, 43), template, 16, 'timestamp').range, { start: { line: 4, col: 32 }, end: { line: 4, col: 43 } });
  assert.equal(atPlaceholder(finding(16, 45), template, 16, 'timestamp').range, { start: { line: 4, col: 33 }, end: { line: 4, col: 44 } }, 'quoted');
  assert.equal(atPlaceholder(finding(16, 47), template, 16, 'timestamp').range, finding(16, 47).range, 'escapes: the source is longer than the value');
  assert.equal(atPlaceholder(finding(16, 10, 5), template, 16, 'timestamp').range, finding(16, 10, 5).range, 'folded over two lines');
});

test.run();
