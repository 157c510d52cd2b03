// Runs test files one after another in this one process (started by test/run.mjs with tsx
// loaded), as uvu's own CLI runs many files, but each file's suites run as soon as it is
// imported and before the next one is, so each file's output, counts and CPU are its own.
// After each file: uvu's usual summary, then a marker line run.mjs reads. A file that
// cannot be imported ends the process, so nothing it half registered can leak into the next
// file's tests; run.mjs reruns the files left, each on its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();
/** The line after each file, with its name and figures as JSON: run.mjs names it and splits the output on it. */
const FILE_DONE = process.env.HOTFIX_TEST_FILE_DONE ?? '##file-done##';
// With UVU_DEFER set before uvu loads, a file's test.run() queues its suites instead of running them.
globalThis.UVU_DEFER = 1;
const uvu = await import('uvu');

let failed = false;
for (const name of process.argv.slice(2)) {
  const started = performance.now();
  const cpuBefore = cpuSeconds();
  // uvu's exec() runs whatever UVU_QUEUE holds; a fresh queue per file runs this file's alone.
  globalThis.UVU_QUEUE = [[name]];
  globalThis.UVU_INDEX = 0;
  try {
    await import(pathToFileURL(join(root, 'test', name)).href);
  } catch (error) {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  }
  await uvu.exec();
  failed ||= process.exitCode === 1;
  const cpu = cpuSeconds();
  const figures = { name, seconds: (performance.now() - started) / 1000, ...(cpu !== undefined && cpuBefore !== undefined && { cpu: cpu - cpuBefore }) };
  process.stdout.write(`${FILE_DONE} ${JSON.stringify(figures)}\n`);
}
process.exitCode = failed ? 1 : 0;

/** User and system seconds of this process and of the children it has reaped; undefined where /proc is not there. */
function cpuSeconds() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').pop().split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}
