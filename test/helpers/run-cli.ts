import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HANG_GUARD_MS } from './hang-guard.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built CLI; test/run.mjs names its own copy of it, which no build during the run can remove. */
export const CLI = process.env.HOTFIX_TEST_CLI ?? join(ROOT, 'dist', 'hotfix.js');

export interface CliResult {
  readonly code: number | null;
  /** The signal that ended the process, if one did (a crash test's SIGKILL). */
  readonly signal?: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed by the hang guard: the command never finished. */
  readonly hung?: boolean;
}

interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

function processOptions(options: RunOptions) {
  return { cwd: options.cwd ?? ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env } };
}

/** A CLI run in progress. */
export interface RunningCli {
  /** Settles once stdout matches `pattern`; fails if the CLI ends first. What a test waits on instead of a sleep. */
  printed(pattern: RegExp): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  readonly result: Promise<CliResult>;
}

/** Starts the built CLI, for tests that act while it runs (a second apply while the first waits at its gate). */
export function startCli(args: readonly string[], options: RunOptions = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { ...processOptions(options), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  let hung = false;
  const timer = setTimeout(() => (hung = child.kill('SIGKILL')), options.timeoutMs ?? HANG_GUARD_MS);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ...(hung && { hung }) });
    });
  });
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => pattern.test(stdout) && (child.stdout.off('data', check), resolve());
      child.stdout.on('data', check);
      check();
      void result.then((r) => reject(new Error(`hotfix ${args[0]} ended (exit ${r.code}${r.hung ? ', hung' : ''}) without printing ${pattern}: ${r.stdout}${r.stderr}`)));
    });
  return { printed, kill: (signal) => child.kill(signal), result };
}

/**
 * The same without blocking this process, for tests whose servers (a fake Kubernetes API,
 * a registry) live in the test process and must answer while the CLI runs.
 */
export function runCliAsync(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Runs the built CLI as a real subprocess, as a user or CI would. */
export function runCli(args: readonly string[], options: RunOptions = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  const result = spawnSync(process.execPath, [CLI, ...args], {
    ...processOptions(options),
    encoding: 'utf8',
    timeout: options.timeoutMs ?? HANG_GUARD_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') throw new Error(`hotfix ${args.join(' ').slice(0, 200)} hung: killed after ${(options.timeoutMs ?? HANG_GUARD_MS) / 1000} s`);
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Anything that looks like a JavaScript stack frame. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+[(:]\d+/.test(text) || /^\s+at .+\.(js|ts):\d+/m.test(text);
}
