import { accessSync, chmodSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { tempDir } from './temp-dir.js';

/** Counts the processes of one program started by anything run with `PATH` first on its path. */
export interface CountingShim {
  /** `dir` in front of the caller's path (or `rest`): what to run a counted command with. */
  path(rest?: string): string;
  /** The invocations so far, each as its arguments joined by spaces. */
  invocations(): string[];
}

/**
 * A directory holding a `program` that logs its arguments and then runs the real one, found
 * on `searchPath` now. Work is proved bounded by counting what it starts (git processes, kubectl
 * calls), observed from outside, which a busy machine cannot change as it changes time.
 */
export function countingShim(program: string, searchPath = process.env.PATH ?? ''): CountingShim {
  const real = which(program, searchPath);
  const dir = join(tempDir(`hotfix-count-${program}-`), 'bin');
  mkdirSync(dir);
  const log = join(dir, '..', 'invocations');
  // One NUL-ended record per process: arguments may hold newlines, never a NUL.
  writeFileSync(join(dir, program), `#!/bin/sh\nprintf '%s\\0' "$*" >> ${shellQuote(log)}\nexec ${shellQuote(real)} "$@"\n`);
  chmodSync(join(dir, program), 0o755);
  return {
    path: (rest = process.env.PATH ?? '') => `${dir}${delimiter}${rest}`,
    invocations: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\0').slice(0, -1) : []),
  };
}

/**
 * Runs `work` with a fresh shim of `program` first on this process's PATH (child processes
 * inherit it), and returns what it gave with the invocations it started.
 */
export async function counted<T>(program: string, work: () => Promise<T>): Promise<{ value: T; invocations: string[] }> {
  const shim = countingShim(program);
  const saved = process.env.PATH;
  process.env.PATH = shim.path(saved);
  try {
    return { value: await work(), invocations: shim.invocations() };
  } finally {
    process.env.PATH = saved;
  }
}

function which(program: string, searchPath: string): string {
  for (const dir of searchPath.split(delimiter)) {
    const file = join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${program} is not on PATH`);
}

const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
