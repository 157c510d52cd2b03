import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lintSources } from '../../src/policy/lint.js';
import { ROOT } from '../helpers/run-cli.js';

// Each fixture names, in its header, the findings lint must report for it (see fixtures/lint/README.md).
const dir = join(ROOT, 'fixtures', 'lint');
const files = readdirSync(dir).filter((f) => f !== 'README.md').sort();
const sources = files.map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8'), explicit: true }));
// One lint run over every fixture, so rules across files (duplicate names) take part.
const result = await lintSources(sources);

function expected(text: string): string[] {
  return [...text.matchAll(/^# expect: (HF\d{3})(?: at (\d+)(?::(\d+))?)?$/gm)].map((m) => `${m[1]}${m[2] ? ` at ${m[2]}` : ''}${m[3] ? `:${m[3]}` : ''}`);
}

for (const source of sources) {
  test(`lint fixture ${source.file}`, () => {
    const want = expected(source.text).sort();
    const got = result.diagnostics
      .filter((d) => d.file === source.file)
      .map((d) => {
        // Compare at the precision the expectation was written with.
        const precise = want.some((w) => w.startsWith(`${d.code} at ${d.range?.start.line}:`));
        const position = d.range ? ` at ${d.range.start.line}${precise ? `:${d.range.start.col}` : ''}` : '';
        return `${d.code}${position}`;
      })
      .sort();
    assert.equal(got, want);
  });
}

test('every policy-file code HF102..HF133 is exercised by a fixture or an end-to-end test', () => {
  const covered = new Set(sources.flatMap((s) => expected(s.text).map((e) => e.slice(0, 5))));
  // HF100, HF101, HF104 concern reading files; test/e2e/lint-bad-input.test.ts covers them.
  for (const code of ['HF102', 'HF103', 'HF105', 'HF110', 'HF111', 'HF112', 'HF113', 'HF114', 'HF120', 'HF121', 'HF122', 'HF123', 'HF124', 'HF125', 'HF126', 'HF127', 'HF128', 'HF129', 'HF130', 'HF131', 'HF132', 'HF133'])
    assert.ok(covered.has(code), `${code} has no fixture`);
});

test('HF106: a file named explicitly with no policy in it', () => {
  const found = result.diagnostics.filter((d) => d.code === 'HF106').map((d) => d.file);
  assert.equal(found, ['HF106-no-policy.yaml']);
});

test('a finding is reported in every file that has it, however many share the string it is about', async () => {
  // Rules remember their checks of a pattern or template (rules/memoize.ts); a second copy
  // of each fixture must still get every finding of the first, at the same places.
  const copies = sources.map((s) => ({ ...s, file: `copy-${s.file}` }));
  const both = await lintSources([...sources, ...copies]);
  const findings = (file: string) =>
    both.diagnostics.filter((d) => d.file === file && d.code !== 'HF125').map((d) => `${d.code} ${d.message} ${d.range?.start.line}:${d.range?.start.col}`);
  for (const source of sources) assert.equal(findings(`copy-${source.file}`), findings(source.file), source.file);
  assert.ok(both.diagnostics.filter((d) => d.code !== 'HF125').length >= 2 * sources.length - 2, 'most fixtures have findings');
});

test('typed policies come back only when asked for (a plan asks, a lint report does not)', async () => {
  const example = join(ROOT, 'policies', 'web-hotfix.yaml');
  const source = { file: 'web-hotfix.yaml', text: readFileSync(example, 'utf8'), explicit: true };
  const [plain, kept] = [await lintSources([source]), await lintSources([source], { keepPolicies: true })];
  assert.equal(plain.policies.map((p) => [p.name, p.policy]), [['web', undefined]]);
  assert.equal(kept.policies.map((p) => p.policy?.metadata.name), ['web']);
  assert.equal(kept.policies[0]!.policy?.spec.app.mainline, 'main');
});

test.run();
