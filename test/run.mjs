// Runs the test files whose path under test/ matches a pattern (a regex; every *.test.ts by
// default) in uvu (TypeScript through tsx), at most two processes at a time, and ends with
// the line CI reads: `N passed, N failed`. An end-to-end file runs in a process of its own;
// unit files share one per batch (test/run-files.mjs), since starting tsx costs more CPU than
// most of them. Each file's output, counts and CPU are still reported apart. Exits non-zero
// when anything failed or no test ran. How long each file took is printed for information;
// nothing asserts on it. With --typecheck (as `npm test` runs it), `tsc --noEmit` is one more
// job in a lane, reported as a file of one test.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'uvu/parse';
import { ensureTools } from './ensure-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filesRunner = join(root, 'test', 'run-files.mjs');
const options = process.argv.slice(2);
const pattern = options.find((option) => option !== '--typecheck') ?? '\\.test\\.ts$';
/**
 * Files run at once. Each is mostly one busy process (the test, or the CLI it waits for);
 * two keep two cores busy, and more would only take time from whatever else runs here.
 */
const LANES = Math.min(2, availableParallelism());
/** A process still running after this is hung: killed and failed, so the suite always ends. */
const FILE_HANG_GUARD_MS = 30 * 60_000;
/**
 * Files run in one process, one after another: pure and small, they cost less than the
 * ~0.7 s CPU of starting tsx each. End-to-end files keep a process each: most start servers
 * or change the environment, and cost so much more that the start-up hardly counts.
 */
const SHARES_A_PROCESS = /^unit\//;
/** Files per shared process: enough that start-up is a small part, few enough that batches balance over the lanes. */
const BATCH_SIZE = 8;
/** The CLI's own reason (src/cli/main.ts) holds for the tests' fetch of the registry too. */
const V8_FLAGS = ['--liftoff-only'];
/** What run-files.mjs prints after each file, with the file's figures as JSON. */
const FILE_DONE = '##hotfix-test-file-done##';
const cache = join(root, 'node_modules', '.cache', 'hotfix-tests');
const durationsFile = join(cache, 'durations.json');
/** The job that is `tsc --noEmit` rather than test files: it counts as one test, passed when tsc finds nothing. */
const TYPECHECK = 'typecheck (tsc --noEmit)';

try {
  ensureTools();
} catch (error) {
  finish([], `hotfix tests: ${error.message}`);
}
const cli = privateBuild();
reapedCpuSeconds(); // what ensureTools started is no file's
const { suites } = await parse('test', pattern, { cwd: root });
const durations = readDurations();
const names = suites.map((s) => s.name).sort((a, b) => a.localeCompare(b));
const shared = names.filter((name) => SHARES_A_PROCESS.test(name));
const jobs = [
  // `npm test` typechecks in a lane beside the tests: tsc is one busy core for half a minute.
  ...(options.includes('--typecheck') ? [[TYPECHECK]] : []),
  ...names.filter((name) => !SHARES_A_PROCESS.test(name)).map((name) => [name]),
  ...Array.from({ length: Math.ceil(shared.length / BATCH_SIZE) }, (_, i) => shared.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE)),
];
// Longest first (as last measured; new files count as long), so no long job starts last.
const expected = (job) => job.reduce((sum, name) => sum + (durations[name] ?? Infinity), 0);
const lanes = Math.min(LANES, jobs.length);
const queue = jobs.sort((a, b) => expected(b) - expected(a) || a[0].localeCompare(b[0]));
const results = [];
await Promise.all(
  Array.from({ length: lanes }, async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) results.push(...(await runJob(job)));
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

/**
 * Files in one uvu process, one after another; each file's output is printed whole, with its
 * counts, when the process ends. Should the process die (or hang) in a file, that file fails
 * with what it printed, and the files after it, not run, run again each in a process of its own.
 */
async function runJob(job) {
  if (job[0] === TYPECHECK) return [await typecheck()];
  const started = performance.now();
  const env = { ...withoutForceColor(process.env), NO_COLOR: '1', HOTFIX_TEST_CLI: cli, HOTFIX_TEST_LANES: String(lanes), HOTFIX_TEST_FILE_DONE: FILE_DONE };
  const child = spawn(process.execPath, [...V8_FLAGS, '--import', 'tsx', filesRunner, ...job], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  let hung = false;
  const timer = setTimeout(() => (hung = child.kill('SIGKILL')), FILE_HANG_GUARD_MS);
  const [code, signal] = await new Promise((resolve) => child.on('close', (...end) => resolve(end)));
  clearTimeout(timer);
  const cpu = reapedCpuSeconds();

  const files = [];
  const done = new RegExp(`^${FILE_DONE} (.*)\n`, 'gm');
  let from = 0;
  for (const m of output.matchAll(done)) {
    files.push({ ...JSON.parse(m[1]), text: output.slice(from, m.index) });
    from = m.index + m[0].length;
  }
  const rest = output.slice(from) + (hung ? `\n${job[files.length] ?? job.at(-1)} hung: killed after ${FILE_HANG_GUARD_MS / 60_000} minutes\n` : '');
  const left = job.slice(files.length);
  // run-files.mjs exits 1 when a file failed: only a signal, or an exit it did not choose, is a crash.
  const crashed = signal !== null || (code !== 0 && !files.some((f) => /Passed:\s+(\d+)/.exec(f.text)?.[1] !== /Total:\s+(\d+)/.exec(f.text)?.[1]));
  const seconds = (performance.now() - started) / 1000;
  const sum = (key) => files.reduce((n, f) => n + (f[key] ?? 0), 0);
  if (left.length > 0) files.push({ name: left[0], text: rest, seconds: seconds - sum('seconds'), ...(cpu !== undefined && { cpu: cpu - sum('cpu') }), crashed: true });
  else {
    files.at(-1).text += rest;
    files.at(-1).crashed = crashed;
    // The process's start-up is counted with its first file, as when a file runs alone.
    if (cpu !== undefined) files[0].cpu = cpu - sum('cpu') + files[0].cpu;
  }
  const results = files.map(report);
  for (const name of left.slice(1)) results.push(...(await runJob([name])));
  return results;
}

/** The TypeScript check of the whole project (tsconfig.json), reported as a file of one test. */
async function typecheck() {
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), FILE_HANG_GUARD_MS);
  const [code, signal] = await new Promise((resolve) => child.on('close', (...end) => resolve(end)));
  clearTimeout(timer);
  const ok = code === 0;
  const text = `${output}${ok ? '' : `tsc ended with ${signal ?? `exit ${code}`}\n`}  Total:     1\n  Passed:    ${ok ? 1 : 0}\n`;
  return report({ name: TYPECHECK, text, seconds: (performance.now() - started) / 1000, cpu: reapedCpuSeconds(), crashed: false });
}

/** One file's output and the line after it; its counts as uvu printed them. */
function report({ name, text, seconds, cpu, crashed }) {
  const total = Number(/Total:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const passed = Number(/Passed:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const skipped = Number(/Skipped:\s+(\d+)/.exec(text)?.[1] ?? 0);
  // uvu's Total leaves skipped tests out. A crash before the summary counts as a failure, never as a pass.
  const failed = total - passed + (crashed && total === passed ? 1 : 0);
  process.stdout.write(`${text}\n── ${name}: ${passed} passed, ${failed} failed, ${seconds.toFixed(1)} s${cpu === undefined ? '' : `, ${cpu.toFixed(1)} s CPU`}\n\n`);
  return { name, passed, failed, skipped, seconds, cpu };
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

/**
 * Seconds per file as last measured here, over the committed ones (test/durations.json, the
 * CPU seconds of a clean-clone run), so a fresh clone also starts its longest files first.
 */
function readDurations() {
  const read = (file) => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return {};
    }
  };
  return { ...read(join(root, 'test', 'durations.json')), ...read(durationsFile) };
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
