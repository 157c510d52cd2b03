// Runs every test file with uvu (TypeScript through tsx) and ends with the line CI reads:
// `N passed, N failed`. Exits non-zero when anything failed or no test ran.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './ensure-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// uvu's package exports do not include its CLI script, so name the file directly.
const uvu = join(root, 'node_modules', 'uvu', 'bin.js');
const pattern = process.argv[2] ?? '\\.test\\.ts$';
try {
  ensureTools();
} catch (error) {
  console.error(`hotfix tests: ${error.message}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', uvu, 'test', pattern], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: withoutForceColor({ ...process.env, NO_COLOR: '1' }) });
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('close', (code) => {
  const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
  // uvu's Total leaves skipped tests out. A crash before the summary counts as a failure, never as a pass.
  const failed = total - passed + (code !== 0 && total === passed ? 1 : 0);
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
});

/** NO_COLOR for readable logs; a FORCE_COLOR from the caller would only make Node warn. */
function withoutForceColor(env) {
  const { FORCE_COLOR: _ignored, ...rest } = env;
  return rest;
}
