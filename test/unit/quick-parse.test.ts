import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isCollection, isScalar, parseAllDocuments, visit, type Document } from 'yaml';
import { compareDiagnostics } from '../../src/diagnostics/diagnostic.js';
import { lintFile } from '../../src/policy/lint-file.js';
import { lintQuickly } from '../../src/policy/lint-quick.js';
import { lintSources } from '../../src/policy/lint.js';
import { quickParse } from '../../src/yaml/quick-parse.js';
import { MAX_POLICY_BYTES } from '../../src/policy/read-policy-files.js';
import { HUGE_POLICIES, MALFORMED_POLICIES, VALID } from '../helpers/hostile-policies.js';
import { ROOT } from '../helpers/run-cli.js';

// The quick way of linting (js-yaml, no positions) may only ever say "clean" where the full
// way (`yaml`) says so too, about the same values. Checked here against the full way itself:
// on every fixture, the hostile corpus, and generated mutations of valid policies.

/** What `yaml` reads, or undefined where it reports any error. */
function fullParse(text: string): unknown[] | undefined {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  if (list.some((d) => d.errors.length > 0)) return undefined;
  try {
    return list.map((d) => d.toJS({ maxAliasCount: 100 }));
  } catch {
    return undefined;
  }
}

/** Some mapping key is a collection or null, which the two parsers name differently. */
function hasNonStringKey(text: string): boolean {
  let found = false;
  for (const doc of parseAllDocuments(text, { logLevel: 'silent' }) as Document[])
    visit(doc, { Pair: (_, pair) => void (found ||= isCollection(pair.key) || pair.key === null || (isScalar(pair.key) && pair.key.value === null)) });
  return found;
}

/** The two ways agree: the quick one either declines, or reads what the full one reads and lints it the same. */
function assertAgree(text: string, label: string): void {
  const quick = quickParse(text);
  if (quick !== undefined && !isDeepStrictEqual(quick, fullParse(text))) {
    // Allowed only for keys that are not strings, which every policy object refuses (see
    // quick-parse.ts): the file must then have findings, and the quick way must decline it.
    assert.ok(hasNonStringKey(text), `${label}: quickParse reads ${JSON.stringify(quick)}, yaml ${JSON.stringify(fullParse(text))}`);
    assert.ok(lintFile({ file: 'p.yaml', text, explicit: true }).diagnostics.length > 0, `${label}: quickParse reads other values than yaml, and lint finds nothing`);
    assert.is(lintQuickly({ file: 'p.yaml', text, explicit: true }), undefined, `${label}: quickParse reads other values than yaml, and lints them`);
  }
  for (const explicit of [true, false]) {
    const source = { file: 'p.yaml', text, explicit };
    const fast = lintQuickly(source);
    if (fast === undefined) continue;
    const full = lintFile(source);
    assert.equal(full.diagnostics, [], `${label}: the quick way says clean, the full way finds ${full.diagnostics.map((d) => d.code).join(' ')}`);
    assert.is(fast.relevant, full.relevant, `${label}: relevance differs`);
    assert.equal(
      fast.policies.map((p) => [p.name, p.policy]),
      full.policies.map((p) => [p.name, p.policy]),
      `${label}: policies differ`,
    );
  }
}

const lintDir = join(ROOT, 'fixtures', 'lint');
const policyDir = join(ROOT, 'policies');
const corpus: Array<[string, string]> = [
  ...readdirSync(lintDir).map((f): [string, string] => [`fixtures/lint/${f}`, readFileSync(join(lintDir, f), 'utf8')]),
  ...readdirSync(policyDir).map((f): [string, string] => [`policies/${f}`, readFileSync(join(policyDir, f), 'utf8')]),
  ...[...MALFORMED_POLICIES, ...HUGE_POLICIES].filter((p) => typeof p.content === 'string').map((p): [string, string] => [p.label, p.content as string]),
];

test('the quick way agrees with the full way on every fixture and hostile policy', () => {
  for (const [label, text] of corpus) assertAgree(text, label);
});

test('the quick way takes the valid policies (it is not declining everything)', () => {
  for (const text of [VALID, ...readdirSync(policyDir).map((f) => readFileSync(join(policyDir, f), 'utf8'))])
    assert.ok(lintQuickly({ file: 'p.yaml', text, explicit: true }), 'a clean policy should be linted the quick way');
});

test('plain scalars resolve as YAML 1.2 core says, not as js-yaml CORE_SCHEMA does', () => {
  // js-yaml's own schema reads 1_000 as 1000, 0b11 as 3, and no -.5 as a number.
  for (const scalar of ['1_000', '0b11', '-.5', '+.inf', '.NaN', '0o17', '0x1F', '1e3', '1.', '+12', '-0', 'True', 'yes', 'on', 'NULL', '~', '', '2026-11-22', '12:30', '1:20', '0o8', '0xG', '.5e-3', '++1'])
    assert.equal(quickParse(`a: ${scalar}\n`), fullParse(`a: ${scalar}\n`), `plain scalar ${JSON.stringify(scalar)}`);
});

test('the differences found by review: each is declined, or read as yaml reads it', () => {
  const policy = readFileSync(join(policyDir, 'web-hotfix.yaml'), 'utf8');
  const found = [
    'a: |\n  x\n\t\n', 'a: |\n  x\n \t\n', 'a: |\n  x\n\t# c\n', 'a:\n\t\nb: 1', 'a: b\n\t\n c', '\t"x"',
    'a: !!map', 'a: !!seq', 'a: !', 'a: !!str', '\ufeff%YAML 1.1\n---\na: yes\nb: 0b11\n', '---x: 1', '----', '... a', 'a: 1\n... a\n',
    '|2\n  x\n', '--- >1\n  x\n', '- -\n- x\n', '  -\n- x\n', '- |+\n  x\n  ', '"x\\\n\n  y"', '"\\U00110000"', '# only a comment\n', '\n\n',
    // A second review: content on a `---` line, comments stuck to flow indicators, empty
    // items with trailing spaces or comments, block scalars at the root or opening on `#`.
    '--- a: b\n', '--- - a\n', '--- ? a\n', '--- "a":\n', '--- - \n', '[a,#c\n]\n', '[#c\na]\n', '{#c\n}\n', '- - \n- \n', ' - \n- a\n', ' - #c\n- a\n',
    '- - #c\n- a\n', 'a:\n  - - #c\n  - b\n', '- - \r\n- \r\n', ' |\n#', ' >\n#c\n', '  |\n#c\n', '|\n \n#c\n', 'a: |\n  \n #c\n', '- |\n  \n #c\n', 'a: >\n  \n #c\n',
    // A third review: a `#` line inside a flow collection spanning lines, `:#` after a quoted key.
    '{a: a\n#\n}', '[a: b\n#\n]', 'x: {a: b\n#\n }', '- [a: b\n#\n ]', 'x:\n  - [a: b\n#\n   ]', '{a: a \n#\n}', '{a: a\r\n#\r\n}', "{'':#\n}", '{"a":#c\n b}', '{?\n,a}',
    // A fourth: a comment line after which yaml continues a plain scalar on a less indented line.
    'a:\n#a\n a\ne:', 'k:\n\n# c\n v\ne: 1\n', 'a:\n  k:\n  \n# c\n   v\n  e: 1\n', '- k:\n#c\n    a\n  e: 1\n', 'a:\n  k:\n  #c\n   v\n  e: 1\n', '\n#c\n v\ne: 1\n',
    policy.replace('description: Customer web front end.', 'description: |\n    Customer web front end.\n\t'),
    policy.replace('  git:\n    push: true\n', '  git: !!map\n'),
  ];
  for (const text of found) assertAgree(text, JSON.stringify(text));
});

test('whole files are linted the same the quick and the full way, duplicate names included', async () => {
  // The huge hostile policies take seconds the full way, and files over the size limit are
  // never parsed (and where the stack overflows in one moves): the e2e corpus runs those.
  const huge = new Set(HUGE_POLICIES.map((p) => p.label));
  const sources = corpus.filter(([label, text]) => !huge.has(label) && text.length <= MAX_POLICY_BYTES).map(([label, text], i) => ({ file: `f${i}-${label}`, text, explicit: true }));
  // A second copy of the valid policy: a duplicate name, found across two quick files.
  const copy = VALID.replace(/^ {2}name: api-js$/m, '  name: copied');
  sources.push({ file: 'copy-a.yaml', text: copy, explicit: true }, { file: 'copy-b.yaml', text: copy, explicit: false });
  const quick = await lintSources(sources);
  const full = sources.map(lintFile);
  const hf125 = quick.diagnostics.filter((d) => d.code === 'HF125');
  assert.equal(
    quick.diagnostics.filter((d) => d.code !== 'HF125'),
    full.flatMap((r) => r.diagnostics).sort(compareDiagnostics),
  );
  // The duplicate in copy-b.yaml names the line of the name in copy-a.yaml: positions were read.
  const line = copy.split('\n').indexOf('  name: copied') + 1;
  assert.ok(hf125.some((d) => d.file === 'copy-b.yaml' && d.range?.start.line === line && d.message.endsWith(`copy-a.yaml:${line}`)), JSON.stringify(hf125));
});

// Mutations of valid policies: snippets with YAML meaning, inserted anywhere.
const SNIPPETS = [':', ': ', '- ', '#', ' #x', '"', "'", '{', '}', '[', ']', ',', '\t', '  ', '\n', '\r\n', '\r', '? ', '|', '>', '|-\n  x', '&a ', '*a', '!!str ', '!!int ', '!x ', '%YAML 1.1\n', '---\n', '...\n', '~', 'null', '0o17', '1_000', '-.5', '.inf', '1e3', 'True', 'yes', '\ufeff', '<<: ', '@', '`', '%', '\\', '\u2028', '\u0085', '\u00a0', 'x: y', '\n  - a', ' : ', '::', '- - ',
  // Constructs a review found differences in, to keep them found.
  '\n\t\n', ' !!map', ' !', '\n---x', '\n... a', '|2\n', '>+\n', '-\n', '\n  -\n', '\\\n\n', '\\U0001F600', '\n# c\n',
  '\n--- a: b', ',#', '[#', '- - \n', ' - #c\n', ' |\n#', '|\n  \n #c\n', ' {a: b\n#\n}', '":#', '\n#c\n ', '\n\n# c\n  '];
const mutation = fc.record({
  base: fc.nat(),
  edits: fc.array(fc.record({ at: fc.nat(), snippet: fc.nat(), remove: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 3 }),
});
const bases = [VALID, ...readdirSync(policyDir).map((f) => readFileSync(join(policyDir, f), 'utf8'))];
let mutated = 0;

test('the quick way agrees with the full way on generated mutations of valid policies', () => {
  fc.assert(
    fc.property(mutation, ({ base, edits }) => {
      let text = bases[base % bases.length]!;
      for (const edit of edits) {
        const at = edit.at % (text.length + 1);
        text = text.slice(0, at) + SNIPPETS[edit.snippet % SNIPPETS.length]! + text.slice(at + edit.remove);
      }
      mutated += 1;
      assertAgree(text, JSON.stringify(text));
    }),
    { seed: 1122, numRuns: 1500, includeErrorInReport: true },
  );
  assert.is(mutated, 1500);
});

test.run();
