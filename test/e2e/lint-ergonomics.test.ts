import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writePlatformRepo } from '../../fixtures/platform-repo-layout.js';
import { hasStackTrace, ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const WEB = readFileSync(join(ROOT, 'policies', 'web-hotfix.yaml'), 'utf8');

/** The 1-based number of the line `pattern` matches in `text`. */
function lineOf(text: string, pattern: RegExp): number {
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  assert.ok(index >= 0, `no line matches ${pattern}`);
  return index + 1;
}

/** `text` with the lines matching `pattern` indented `by` more spaces (fewer when negative), as a slip of the editor would. */
function shift(text: string, pattern: RegExp, by: number): string {
  return text
    .split('\n')
    .map((line) => (pattern.test(line) ? (by > 0 ? ' '.repeat(by) + line : line.slice(-by)) : line))
    .join('\n');
}

/** Lints one policy text from a file of its own, as text. */
function lint(text: string): { code: number | null; findings: string[] } {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'web.yaml'), text);
  const r = runCli(['lint', 'web.yaml'], { cwd });
  assert.is(r.stderr, '');
  assert.not.ok(hasStackTrace(r.stdout));
  return { code: r.code, findings: r.stdout.trim().split('\n').slice(0, -1) };
}

test('--require-policy: a CI path that holds no policy fails with HF138, where it passed with nothing checked', () => {
  const cwd = tempDir();
  const repo = writePlatformRepo(cwd);
  // The motivating case: pointed at the manifests instead of the policies, lint checks nothing and says so only in its count.
  const silent = runCli(['lint', repo.manifests], { cwd });
  assert.is(silent.code, 0, silent.stdout);
  assert.match(silent.stdout, /^0 policies in 0 files: 0 errors, 0 warnings$/m);

  const required = runCli(['lint', '--require-policy', repo.manifests], { cwd });
  assert.is(required.code, 1, required.stdout);
  assert.is(required.stdout, 'error  no HotfixPolicy document found in "apps": none of the 2 YAML files read there is a policy; --require-policy asks for at least one  [HF138]\n0 policies in 0 files: 1 error, 0 warnings\n');
  assert.is(required.stderr, '');

  const clusters = runCli(['lint', '--require-policy', 'clusters/production/flux-system/gotk-sync.yaml'], { cwd });
  assert.is(clusters.code, 1);
  assert.match(clusters.stdout, /the 1 YAML file read there is not a policy/);

  const empty = runCli(['lint', '--require-policy', 'hotfix/policies/../'], { cwd });
  assert.is(empty.code, 0, 'a directory above the policies holds them: found by the walk');

  const right = runCli(['lint', '--require-policy', repo.policies], { cwd });
  assert.is(right.code, 0, right.stdout);
  assert.match(right.stdout, /^1 policy in 1 file: 0 errors, \d+ warnings?$/m);
});

test('--require-policy: a mistyped path is HF100 and HF138, in every format, one line each, no stack trace', () => {
  const cwd = tempDir();
  writePlatformRepo(cwd);
  const text = runCli(['lint', '--require-policy', 'hotfix/polices'], { cwd });
  assert.is(text.code, 1);
  assert.equal(text.stdout.trim().split('\n').map((line) => line.match(/\[(HF\d+)\]$/)?.[1] ?? line), ['HF138', 'HF100', '0 policies in 0 files: 2 errors, 0 warnings']);
  assert.not.ok(hasStackTrace(text.stdout + text.stderr));

  const json = JSON.parse(runCli(['lint', '--require-policy', '--format', 'json', 'apps'], { cwd }).stdout);
  assert.equal(json.summary, { files: 0, policies: 0, errors: 1, warnings: 0 });
  assert.is(json.diagnostics[0].code, 'HF138');
  assert.is(json.diagnostics[0].file, undefined, 'about the run, not a file');

  const github = runCli(['lint', '--require-policy', '--format', 'github', 'apps'], { cwd });
  assert.is(github.code, 1);
  assert.is(github.stdout, '::error title=HF138 no policy found::no HotfixPolicy document found in "apps": none of the 2 YAML files read there is a policy; --require-policy asks for at least one\n');

  const sarif = JSON.parse(runCli(['lint', '--require-policy', '--format', 'sarif', 'apps'], { cwd }).stdout);
  assert.equal(sarif.runs[0].results.map((r: { ruleId: string; level: string }) => `${r.ruleId} ${r.level}`), ['HF138 error']);
});

test('a list item one space off is one finding at the item, naming the column of its siblings', () => {
  const item = lineOf(WEB, /^ {4}- name: staging$/);
  const first = lineOf(WEB, /^ {4}- name: dev$/);
  for (const by of [1, -1]) {
    const { code, findings } = lint(shift(WEB, /^ {4}- name: staging$/, by));
    assert.is(code, 1);
    assert.equal(findings, [
      `web.yaml:${item}:${5 + by}  error  line ${item} is indented ${4 + by} spaces, but the other items of its list are indented 4 (line ${first}); the entries of one block start in the same column  [HF102]`,
    ]);
  }
});

test('a mapping key one or two spaces off, inside a nested block, is one finding at the key', () => {
  const key = lineOf(WEB, /^ {8}branch: main$/);
  const sibling = lineOf(WEB, /^ {8}repo: deploy$/);
  for (const by of [1, 2, -1]) {
    const { findings } = lint(shift(WEB, /^ {8}branch: main$/, by));
    assert.is(findings.length, 1, findings.join('\n'));
    assert.match(findings[0]!, new RegExp(`^web\\.yaml:${key}:${9 + by}  error  line ${key} is indented ${8 + by} spaces, .*\\(line ${sibling}\\).*\\[HF102\\]$`));
  }
});

test('a block whose first keys slipped a space is one finding for the block, not one per line', () => {
  // reasons, base and branch at 3 spaces; tag and the rest at 4: yaml reports each line after them.
  const text = shift(WEB, /^ {4}(reasons|base|branch): /, -1);
  const { code, findings } = lint(text);
  assert.is(code, 1);
  assert.is(findings.length, 1, findings.join('\n'));
  const branch = lineOf(text, /^ {3}branch: /);
  const tag = lineOf(text, /^ {4}tag: /);
  const last = lineOf(text, /^ {4}mergeBack: /);
  assert.is(findings[0], `web.yaml:${tag}:5  error  lines ${tag}–${last} are indented 4 spaces, but the other keys of their mapping are indented 3 (line ${branch}); the entries of one block start in the same column  [HF102]`);
});

test('tabs: one finding for a tab-indented line, one for a file indented with tabs', () => {
  const one = shift(WEB, /^ {4}maxCommits: /, -4).replace(/^maxCommits: /m, '\tmaxCommits: ');
  const line = lineOf(one, /^\tmaxCommits/);
  assert.equal(lint(one).findings, [`web.yaml:${line}:1  error  line ${line} is indented with tabs; YAML indents with spaces only (set the editor to insert spaces)  [HF102]`]);

  const tabbed = WEB.replace(/^((?: {2})+)/gm, (spaces) => '\t'.repeat(spaces.length / 2));
  const { code, findings } = lint(tabbed);
  assert.is(code, 1);
  assert.is(findings.length, 1, findings.join('\n'));
  const count = tabbed.split('\n').filter((l) => /^\t+[^#\s]/.test(l)).length; // a comment's indentation is not YAML's
  assert.match(findings[0]!, new RegExp(`^web\\.yaml:\\d+:1  error  ${count} lines \\(\\d+ to \\d+\\) are indented with tabs; YAML indents with spaces only`));
});

test('a duplicate key names the key, where it is, and the line it was first given on', () => {
  const first = lineOf(WEB, /^ {4}maxCommits: /);
  const text = WEB.replace(/^( {4}mergeBack: .*)$/m, '$1\n    maxCommits: 3');
  const again = lineOf(text, /^ {4}maxCommits: 3$/);
  assert.equal(lint(text).findings, [`web.yaml:${again}:5  error  spec.hotfix has the key "maxCommits" twice: first on line ${first}, again here  [HF103]`]);

  const inList = WEB.replace(/^( {6}order: 2)$/m, '$1\n      order: 4');
  const order = lineOf(WEB, /^ {6}order: 2$/);
  assert.equal(lint(inList).findings, [`web.yaml:${order + 1}:7  error  spec.environments[1] has the key "order" twice: first on line ${order}, again here  [HF103]`]);
});

test('an undeclared environment gets "did you mean": misspelt, in a short form, or not even a valid name', () => {
  const bypass = lineOf(WEB, /^ {4}bypass: \[dev, staging\]$/);
  const cases: Array<[string, string]> = [
    ['stagin', 'error  environment "stagin" is not declared in spec.environments; did you mean "staging"?  [HF120]'],
    ['stage', 'error  environment "stage" is not declared in spec.environments; did you mean "staging"?  [HF120]'],
    ['stg', 'error  environment "stg" is not declared in spec.environments; did you mean "staging"?  [HF120]'],
    ['Staging', 'error  spec.hotfix.bypass[1] "Staging" is not a valid environment name (lower-case letters, digits and dashes); did you mean "staging"?  [HF114]'],
    ['qa', 'error  environment "qa" is not declared in spec.environments  [HF120]'],
  ];
  for (const [name, finding] of cases) {
    const { code, findings } = lint(WEB.replace('bypass: [dev, staging]', `bypass: [dev, ${name}]`));
    assert.is(code, 1);
    assert.equal(findings, [`web.yaml:${bypass}:19  ${finding}`], name);
  }

  // OpenShift-style names: the policy says prd, a reviewer wrote what the branch stands for.
  const billing = readFileSync(join(ROOT, 'policies', 'billing-prd-nop.yaml'), 'utf8').replace(/^( {4}- name: )production$/m, '$1prd');
  const baseline = lineOf(billing, /^ {6}baselineFor: production$/);
  assert.equal(lint(billing).findings, [`web.yaml:${baseline}:20  error  environment "production" is not declared in spec.environments; did you mean "prd"?  [HF120]`]);
});

test.run();
