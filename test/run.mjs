// Runs the test files whose path under test/ matches a pattern (a regex; every *.test.ts by
// default), each in its own uvu process (TypeScript through tsx), at most two at a time, and
// ends with the line CI reads: `N passed, N failed`. Exits non-zero when anything failed or
// no test ran. How long each file took is printed for information; nothing asserts on it.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'uvu/parse';
import { ensureTools } from './ensure-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// uvu's package exports do not include its CLI script, so name the file directly.
const uvu = join(root, 'node_modules', 'uvu', 'bin.js');
const pattern = process.argv[2] ?? '\\.test\\.ts$';
/**
 * Files run at once. Each is mostly one busy process (the test, or the CLI it waits for);
 * two keep two cores busy, and more would only take time from whatever else runs here.
 */
const LANES = Math.min(2, availableParallelism());
/** A file still running after this is hung: killed and failed, so the suite always ends. */
const FILE_HANG_GUARD_MS = 30 * 60_000;
const cache = join(root, 'node_modules', '.cache', 'hotfix-tests');
const durationsFile = join(cache, 'durations.json');

try {
  ensureTools();
} catch (error) {
  finish([], `hotfix tests: ${error.message}`);
}
const cli = privateBuild();
reapedCpuSeconds(); // what ensureTools started is no file's
const { suites } = await parse('test', pattern, { cwd: root });
const durations = readDurations();
// Longest first (as last measured; new files count as long), so no long file starts last.
const lanes = Math.min(LANES, suites.length);
const queue = suites.map((s) => s.name).sort((a, b) => (durations[b] ?? Infinity) - (durations[a] ?? Infinity) || a.localeCompare(b));
const results = [];
await Promise.all(
  Array.from({ length: lanes }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) results.push(await runFile(name));
  }),
);
rmSync(dirname(cli), { recursive: true, force: true });
writeDurations(results);
finish(results);

/**
 * The built CLI copied where no `npm run build` (which empties dist/ first) can reach it while
 * the suite runs: the tests run the build they started with. Under node_modules, so its
 * chunks find the packages they load (ts-morph) as dist/ would.
 */
function privateBuild() {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'hotfix.js'))) finish([], `hotfix tests: ${join(dist, 'hotfix.js')} is missing: run "npm run build" first`);
  // Copies left by runs that were killed before they could remove them.
  for (const name of existsSync(cache) ? readdirSync(cache) : []) {
    const pid = Number(/^dist-(\d+)$/.exec(name)?.[1]);
    if (pid && !isRunning(pid)) rmSync(join(cache, name), { recursive: true, force: true });
  }
  const copy = join(cache, `dist-${process.pid}`);
  cpSync(dist, copy, { recursive: true });
  return join(copy, 'hotfix.js');
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** One file in its own uvu process, its output kept apart and printed whole when it ends. */
function runFile(name) {
  const started = performance.now();
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const env = { ...withoutForceColor(process.env), NO_COLOR: '1', HOTFIX_TEST_CLI: cli, HOTFIX_TEST_LANES: String(lanes) };
  const child = spawn(process.execPath, ['--import', 'tsx', uvu, 'test', `^${escaped}$`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let hung = false;
  const timer = setTimeout(() => (hung = child.kill('SIGKILL')), FILE_HANG_GUARD_MS);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      const cpu = reapedCpuSeconds();
      const total = Number(/Total:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const passed = Number(/Passed:\s+(\d+)/.exec(output)?.[1] ?? 0);
      const skipped = Number(/Skipped:\s+(\d+)/.exec(output)?.[1] ?? 0);
      // uvu's Total leaves skipped tests out. A crash before the summary counts as a failure, never as a pass.
      const failed = total - passed + (code !== 0 && total === passed ? 1 : 0);
      if (hung) output += `\n${name} hung: killed after ${FILE_HANG_GUARD_MS / 60_000} minutes\n`;
      process.stdout.write(`${output}\n── ${name}: ${passed} passed, ${failed} failed, ${seconds.toFixed(1)} s${cpu === undefined ? '' : `, ${cpu.toFixed(1)} s CPU`}\n\n`);
      resolve({ name, passed, failed, skipped, seconds, cpu });
    });
  });
}

/** The summary: the slowest files (information for whoever makes the suite faster), then the line CI reads. */
function finish(results, error) {
  if (error) console.error(error);
  const sum = (key) => results.reduce((n, r) => n + (r[key] ?? 0), 0);
  const slowest = [...results].sort((a, b) => (b.cpu ?? b.seconds) - (a.cpu ?? a.seconds)).slice(0, 10);
  const cpu = (r) => (r.cpu === undefined ? '' : `  ${r.cpu.toFixed(1).padStart(7)} s CPU`);
  if (slowest.length > 1) console.log(`Costliest files (${LANES} at a time; CPU is user+system of the file and every process it started, which load barely changes):\n${slowest.map((r) => `  ${r.seconds.toFixed(1).padStart(7)} s${cpu(r)}  ${r.name}`).join('\n')}\nAll files: ${sum('cpu').toFixed(0)} s CPU`);
  const [passed, failed, skipped] = [sum('passed'), sum('failed') + (error ? 1 : 0), sum('skipped')];
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed > 0 || passed === 0 ? 1 : 0);
}

/**
 * CPU seconds (user + system) of the child reaped since the last call, with every process it
 * waited for (the CLIs and git runs of its tests): Linux adds a reaped child's totals to its
 * parent's cutime/cstime. Files end one at a time, so each delta is one file's. Undefined
 * where /proc is not there.
 */
function reapedCpuSeconds() {
  try {
    // Fields after the command name (which may hold spaces, so split after its last ')').
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').pop().split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    const delta = ticks - (reapedCpuSeconds.before ?? 0);
    reapedCpuSeconds.before = ticks;
    return delta / 100; // USER_HZ, 100 on every Linux architecture Node runs on
  } catch {
    return undefined;
  }
}

function readDurations() {
  try {
    return JSON.parse(readFileSync(durationsFile, 'utf8'));
  } catch {
    return {};
  }
}

/** Kept for ordering the next run; a pattern's run updates only its own files. */
function writeDurations(results) {
  mkdirSync(cache, { recursive: true });
  writeFileSync(durationsFile, JSON.stringify({ ...readDurations(), ...Object.fromEntries(results.map((r) => [r.name, Math.round(r.seconds)])) }, null, 1));
}

/** NO_COLOR for readable logs; a FORCE_COLOR from the caller would only make Node warn. */
function withoutForceColor(env) {
  const { FORCE_COLOR: _ignored, ...rest } = env;
  return rest;
}
