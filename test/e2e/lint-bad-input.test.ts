import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hasStackTrace, ROOT, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const valid = readFileSync(join(ROOT, 'policies', 'api-js-rollback.yaml'), 'utf8');

/** Lints one file made of `content` and checks the behaviour every bad input shares. */
function lintFile(name: string, content: string | Buffer, extra: string[] = []): CliResult & { json: { diagnostics: Array<{ code: string; range?: { start: { line: number; col: number } } }> } } {
  const cwd = tempDir();
  writeFileSync(join(cwd, name), content);
  const r = runCli(['lint', '--format', 'json', ...extra, name], { cwd });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.not.ok(hasStackTrace(r.stderr + r.stdout));
  return { ...r, json: JSON.parse(r.stdout) };
}

const codes = (r: ReturnType<typeof lintFile>) => r.json.diagnostics.map((d) => d.code);

test('empty file: a warning that nothing was checked', () => {
  const r = lintFile('empty.yaml', '');
  assert.equal(codes(r), ['HF106']);
  assert.is(r.code, 0);
});

test('binary file: HF101', () => {
  const r = lintFile('binary.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]));
  assert.equal(codes(r), ['HF101']);
  assert.is(r.code, 1);
});

test('non-UTF-8 bytes: HF101 at the first bad byte', () => {
  const r = lintFile('latin1.yaml', Buffer.concat([Buffer.from('apiVersion: hotfix.dev/v1alpha1\nkind: Hotfix'), Buffer.from([0xe9]), Buffer.from('\n')]));
  assert.equal(codes(r), ['HF101']);
  assert.equal(r.json.diagnostics[0]!.range?.start, { line: 2, col: 13 });
});

test('a JSON file: JSON is YAML, so a JSON policy is checked like any other', () => {
  const policy = { apiVersion: 'hotfix.dev/v1alpha1', kind: 'HotfixPolicy', metadata: { name: 'from-json' }, spec: { app: { repo: 'app', image: 'registry.example.com/a/b' }, environments: [{ name: 'production', confg: {} }] } };
  const r = lintFile('policy.json', JSON.stringify(policy, null, 2));
  assert.equal(codes(r).sort(), ['HF110', 'HF111']);
  const other = lintFile('package.json', '{"name": "x", "version": "1.0.0"}');
  assert.equal(codes(other), ['HF106']);
});

test('YAML alias bomb (billion laughs): HF105 once its aliases pass the cap of 100 values', () => {
  let text = 'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
  for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  const bomb = lintFile('bomb.yaml', text);
  assert.equal(codes(bomb), ['HF105']);
  assert.match(JSON.stringify(bomb.json.diagnostics), /its aliases expand to more than 100 values/);
});

test('keys nested in keys (`? ? ? …`, which yaml would stringify at every level): HF105 at the inner key; one collection key is still read', () => {
  const bomb = `apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\n${Array.from({ length: 40 }, () => '? '.repeat(200)).join('\n')}\n`;
  const r = lintFile('key-bomb.yaml', bomb);
  assert.equal(codes(r), ['HF105']);
  assert.equal(r.json.diagnostics[0]!.range?.start, { line: 3, col: 5 }); // the key inside the first key
  const one = lintFile('one-key.yaml', `${valid}? [a, b]\n: 1\n`);
  assert.equal(codes(one), ['HF110']);
});

test('nesting 10,000 deep: HF105 in flow style; in block style the indentation alone passes the size limit', () => {
  let block = 'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\nspec:\n';
  for (let i = 1; i <= 10_000; i++) block += `${' '.repeat(i)}k:\n`;
  assert.equal(codes(lintFile('deep-block.yaml', block)), ['HF104']);
  const flow = `kind: HotfixPolicy\nspec: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
  assert.equal(codes(lintFile('deep-flow.yaml', flow)), ['HF105']);
});

test('a 20 MB file: HF104 without parsing it; just over the limit, the message gives both sizes in bytes', () => {
  const big = valid + '#' + 'x'.repeat(20 * 1024 * 1024) + '\n';
  assert.equal(codes(lintFile('big.yaml', big)), ['HF104']);
  const over = lintFile('over.yaml', 'x'.repeat(1024 * 1024 + 3));
  assert.match(JSON.stringify(over.json.diagnostics), /file is 1,048,579 bytes; policy files are limited to 1 MiB \(1,048,576 bytes\)/);
});

test('a path that does not exist: HF100, exit 1', () => {
  const r = runCli(['lint', 'no/such/policies'], { cwd: tempDir() });
  assert.is(r.code, 1);
  assert.match(r.stdout, /^no\/such\/policies {2}error {2}cannot read no\/such\/policies: no such file or directory {2}\[HF100\]$/m);
});

test('a directory of 1,000 policies: all checked, one duplicate name found', () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'policies'));
  for (let i = 0; i < 1000; i++) writeFileSync(join(cwd, 'policies', `p${String(i).padStart(4, '0')}.yaml`), valid.replace('name: api-js', `name: svc-${i % 999}`));
  const r = runCli(['lint', '--format', 'json'], { cwd });
  const report = JSON.parse(r.stdout);
  assert.equal(report.summary, { files: 1000, policies: 1000, errors: 1, warnings: 0 });
  assert.is(report.diagnostics[0].code, 'HF125');
  assert.is(report.diagnostics[0].file, 'policies/p0999.yaml');
  assert.match(report.diagnostics[0].message, /already used at policies\/p0000\.yaml:10/);
});

test('symlink loops: a walk terminates, a looping file is HF100', () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'policies', 'sub'), { recursive: true });
  writeFileSync(join(cwd, 'policies', 'sub', 'p.yaml'), valid);
  symlinkSync('..', join(cwd, 'policies', 'sub', 'up'));
  symlinkSync('loop.yaml', join(cwd, 'policies', 'loop.yaml'));
  const walked = runCli(['lint', '--format', 'json', 'policies'], { cwd });
  assert.equal(JSON.parse(walked.stdout).summary, { files: 1, policies: 1, errors: 0, warnings: 0 });
  const named = runCli(['lint', 'policies/loop.yaml'], { cwd });
  assert.is(named.code, 1);
  assert.match(named.stdout, /symbolic link loop {2}\[HF100\]/);
});

test('in a directory walk, non-policy YAML is ignored but broken policies are not', () => {
  const cwd = tempDir();
  mkdirSync(join(cwd, 'policies'));
  writeFileSync(join(cwd, 'policies', 'kustomization.yaml'), 'resources: [a.yaml\n');
  writeFileSync(join(cwd, 'policies', 'binary.yml'), Buffer.from([0, 1, 2, 3]));
  writeFileSync(join(cwd, 'policies', 'broken.yaml'), 'kind: HotfixPolicy\nmetadata: [\n');
  const r = runCli(['lint', '--format', 'json'], { cwd });
  const report = JSON.parse(r.stdout);
  assert.equal(report.diagnostics.map((d: { code: string; file: string }) => `${d.code} ${d.file}`), ['HF102 policies/broken.yaml']);
});

test.run();
