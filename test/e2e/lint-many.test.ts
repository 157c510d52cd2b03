import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { VALID } from '../helpers/hostile-policies.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// Many policies: the quick way for clean files, the full way for files with findings (and
// for a name used twice, whose first use is a clean file). The findings are where they should be.

const COUNT = 800;
const dir = tempDir();
mkdirSync(join(dir, 'policies'));
const nameLine = VALID.split('\n').indexOf('  name: api-js') + 1;
const stepsLine = VALID.split('\n').indexOf('    maxSteps: 5') + 1;
assert.ok(nameLine > 0 && stepsLine > 0, 'the valid policy has the lines this test edits');

const file = (i: number) => `policies/p${String(i).padStart(4, '0')}.yaml`;
for (let i = 0; i < COUNT; i++) {
  let text = VALID.replace('  name: api-js', `  name: svc-${i}`);
  if (i === 17) text = text.replace('    maxSteps: 5', '    maxSteps: five'); // HF112: not a number
  if (i === 640) text = VALID.replace('  name: api-js', '  name: svc-3'); // HF125: the name of p0003
  if (i === 401) text = `${text}  bogus: true\n`; // HF110
  writeFileSync(join(dir, file(i)), text);
}

function lint() {
  return runCli(['lint', '--format', 'json', 'policies'], { cwd: dir });
}

test('800 policies: the findings of the three broken files, each at its line, and the rest clean', () => {
  const r = lint();
  assert.is(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { summary: { files: number; policies: number }; diagnostics: Array<{ code: string; file: string; range?: { start: { line: number } }; message: string }> };
  assert.equal([report.summary.files, report.summary.policies], [COUNT, COUNT]);
  const found = report.diagnostics.map((d) => `${d.file}:${d.range?.start.line} ${d.code}`).sort();
  assert.ok(found.includes(`${file(17)}:${stepsLine} HF112`), found.join('\n'));
  assert.ok(found.includes(`${file(401)}:${VALID.split('\n').length} HF110`), found.join('\n'));
  assert.ok(found.includes(`${file(640)}:${nameLine} HF125`), found.join('\n'));
  assert.ok(report.diagnostics.some((d) => d.code === 'HF125' && d.message.endsWith(`${file(3)}:${nameLine}`)), 'the duplicate names the first use, with its line');
  assert.equal(new Set(report.diagnostics.map((d) => d.file)), new Set([file(17), file(401), file(640)]));
});

test.run();
