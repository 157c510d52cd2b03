import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HANG_GUARD_MS } from '../helpers/hang-guard.js';
import { ROOT } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// test/run.mjs runs unit files several to a process. What CI reads from it must stay true:
// each file's counts are its own, a file that ends the process fails (never passes), and the
// files after it still run.

/** A project with this one's runner and packages, its own test files, and a stand-in build. */
function project(files: Record<string, string>): string {
  const dir = tempDir('hotfix-runner-');
  mkdirSync(join(dir, 'test', 'unit'), { recursive: true });
  mkdirSync(join(dir, 'test', 'e2e'));
  mkdirSync(join(dir, 'dist'));
  mkdirSync(join(dir, 'node_modules'));
  for (const file of ['run.mjs', 'run-files.mjs']) copyFileSync(join(ROOT, 'test', file), join(dir, 'test', file));
  // The tools these files do not use need not be looked for.
  writeFileSync(join(dir, 'test', 'ensure-tools.mjs'), 'export function ensureTools() {}\n');
  // Each package linked, the cache not: the runner writes its copy of the build and its durations there.
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) if (entry !== '.cache') symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  writeFileSync(join(dir, 'dist', 'hotfix.js'), '');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'test', name), `import { test } from 'uvu';\nimport * as assert from 'uvu/assert';\n${text}\n`);
  return dir;
}

const pid = "test('pid', () => console.log(`pid ${process.pid}`));\n";

test('unit files share a process yet are counted apart; one that exits or fails to load fails, and the files after it still run', () => {
  const dir = project({
    'unit/a-pass.test.ts': `${pid}test('one', () => assert.is(1, 1));\ntest.run();`,
    'unit/b-fail.test.ts': `${pid}test('fails', () => assert.is(1, 2));\ntest('passes', () => assert.is(2, 2));\ntest.run();`,
    'unit/c-exit.test.ts': "test('exits', () => { process.exit(0); });\ntest('never runs', () => {});\ntest.run();",
    'unit/d-after-exit.test.ts': `${pid}test('runs', () => {});\ntest.run();`,
    'unit/e-import.test.ts': "test('registered before the throw', () => {});\nthrow new Error('broken at import');",
    'unit/f-after-import.test.ts': "test('only its own test', () => assert.ok(true));\ntest.run();",
    'e2e/g-alone.test.ts': `${pid}test.run();`,
  });
  const r = spawnSync(process.execPath, ['test/run.mjs'], { cwd: dir, encoding: 'utf8', timeout: HANG_GUARD_MS });
  const out = r.stdout + r.stderr;
  assert.is(r.status, 1, out);
  const line = (file: string) => new RegExp(`^── ${file.replace('.', '\\.')}: (\\d+ passed, \\d+ failed)`, 'm').exec(out)?.[1];
  assert.equal(
    ['unit/a-pass.test.ts', 'unit/b-fail.test.ts', 'unit/c-exit.test.ts', 'unit/d-after-exit.test.ts', 'unit/e-import.test.ts', 'unit/f-after-import.test.ts', 'e2e/g-alone.test.ts'].map(line),
    ['2 passed, 0 failed', '2 passed, 1 failed', '0 passed, 1 failed', '2 passed, 0 failed', '0 passed, 1 failed', '1 passed, 0 failed', '1 passed, 0 failed'],
    out,
  );
  assert.match(out, /broken at import/);
  assert.match(out, /\n8 passed, 3 failed\n$/);
  // a and b ran in one process; the end-to-end file, and d (run again after c ended its process), each in another.
  const pids = Object.fromEntries([...out.matchAll(/^(unit|e2e)\/(\w)-[^\n]*\n(?:(?!── )[^\n]*\n)*?pid (\d+)/gm)].map((m) => [m[2], m[3]]));
  assert.is(pids.a, pids.b, out);
  assert.is(new Set([pids.a, pids.d, pids.g]).size, 3, out);
});


test('--typecheck adds tsc --noEmit as a job of one test: a type error fails it with tsc\'s words, and the test files still run', () => {
  const dir = project({ 'unit/a-pass.test.ts': "test('one', () => assert.is(1, 1));\ntest.run();" });
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, files: ['src/wrong.ts'] }));
  writeFileSync(join(dir, 'src', 'wrong.ts'), "export const count: number = 'three';\n");
  const broken = spawnSync(process.execPath, ['test/run.mjs', '--typecheck'], { cwd: dir, encoding: 'utf8', timeout: HANG_GUARD_MS });
  const out = broken.stdout + broken.stderr;
  assert.is(broken.status, 1, out);
  assert.match(out, /src\/wrong\.ts\(1,14\): error TS2322/);
  assert.match(out, /^── typecheck \(tsc --noEmit\): 0 passed, 1 failed/m);
  assert.match(out, /^── unit\/a-pass\.test\.ts: 1 passed, 0 failed/m);
  assert.match(out, /\n1 passed, 1 failed\n$/);

  writeFileSync(join(dir, 'src', 'wrong.ts'), 'export const count: number = 3;\n');
  const fixed = spawnSync(process.execPath, ['test/run.mjs', '--typecheck'], { cwd: dir, encoding: 'utf8', timeout: HANG_GUARD_MS });
  assert.is(fixed.status, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /\n2 passed, 0 failed\n$/);
  // Without the option, only test files run.
  assert.not.match(spawnSync(process.execPath, ['test/run.mjs'], { cwd: dir, encoding: 'utf8', timeout: HANG_GUARD_MS }).stdout, /typecheck/);
});

test.run();
