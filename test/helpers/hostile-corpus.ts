import { availableParallelism } from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { countingShim } from './counting-shim.js';
import { HANG_GUARD_MS } from './hang-guard.js';
import { hasStackTrace, runCliAsync, type CliResult } from './run-cli.js';
import { snapshot, snapshots } from './hostile-snapshot.js';

/** One hostile input: a command of the built CLI that must be refused cleanly. */
export interface HostileCase {
  readonly name: string;
  /** Arguments of the built CLI. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Every repository the command can reach: each must be byte-identical afterwards. */
  readonly repos: readonly string[];
  /** What the refusal must say (a code, usually), besides having a code at all. */
  readonly expect?: RegExp;
  /** Work besides git processes that the case counts itself (requests to its server, kubectl calls): at most `max`. */
  readonly work?: { readonly what: string; readonly count: () => number; readonly max: number };
  /** The most the refusal may print (stdout and stderr), for an input far larger than that. */
  readonly maxOutputBytes?: number;
  /**
   * A bug found by the corpus in code another change owns, reported and not fixed yet: the
   * case is listed as skipped (and not run) until the fix lands and this is removed.
   */
  readonly knownBug?: string;
}

/**
 * The git processes one refusal may start: a few reads of refs and objects (14 at most in
 * today's corpus). Work that grows with the input, a git per commit, file or name, soon
 * passes it. Unlike a time limit, a count says the same on a busy machine as on an idle one.
 */
const MAX_GIT_PROCESSES = 24;
/**
 * Cases run at once: one CLI per core this file has (test/run.mjs runs files side by side),
 * never more, so the suite does not overload the machine it shares.
 */
const CONCURRENCY = Math.max(1, Math.floor(Math.min(2, availableParallelism()) / Number(process.env.HOTFIX_TEST_LANES ?? 1)));

interface Outcome extends CliResult {
  /** The git processes the command started, by their arguments. */
  readonly git: readonly string[];
  /** What `work` counted. */
  readonly counted?: number;
  /** Repositories whose snapshot changed. */
  readonly changed: readonly string[];
}

/**
 * Registers one uvu test per case. The cases run before the tests, CONCURRENCY at a time,
 * with the repositories' snapshots taken once before any ran: read-only cases share their
 * scenario, so a write by one shows in its own check.
 */
export function hostileCorpus(family: string, cases: readonly HostileCase[]): void {
  const names = new Set(cases.map((c) => c.name));
  if (names.size !== cases.length) throw new Error(`${family}: case names are not distinct`);
  const known = cases.filter((c) => c.knownBug).length;
  console.log(`${family}: ${cases.length} hostile cases${known ? `, ${known} skipped for known bugs` : ''}`);
  const outcomes = new Map<string, Outcome>();
  test.before(async () => {
    const queue = cases.filter((c) => !c.knownBug);
    const before = snapshots([...new Set(queue.flatMap((c) => c.repos))]);
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) outcomes.set(next.name, await run(next, before));
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  });
  for (const c of cases) (c.knownBug ? test.skip : test)(`${family}: ${c.name}${c.knownBug ? ` (known bug: ${c.knownBug})` : ''}`, () => assertRefused(c, outcomes.get(c.name)!));
}

async function run(c: HostileCase, before: ReadonlyMap<string, string>): Promise<Outcome> {
  const git = countingShim('git');
  const result = await runCliAsync(c.args, { cwd: c.cwd, env: { ...c.env, PATH: git.path(c.env?.PATH) } });
  return { ...result, git: git.invocations(), ...(c.work && { counted: c.work.count() }), changed: c.repos.filter((repo) => snapshot(repo) !== before.get(repo)) };
}

/** What every refusal shares: a non-zero exit, a coded one-line error, no stack, bounded work, no write. */
function assertRefused(c: HostileCase, r: Outcome): void {
  const output = `${r.stdout}\n${r.stderr}\n${jsonFindings(r.stdout)}`;
  const shown = `exit ${r.code}, ${r.git.length} git processes\n--- stdout\n${r.stdout.slice(0, 2000)}\n--- stderr\n${r.stderr.slice(0, 2000)}`;
  assert.not.ok(r.hung, `hung: killed after ${HANG_GUARD_MS / 1000} s: ${shown}`);
  assert.ok(r.code !== null && r.code !== 0, `not refused: ${shown}`);
  if (r.code === 64) assert.match(r.stderr, /^hotfix: \S[^\n]*\n(Run "hotfix(?: [a-z]+)* --help" for usage\.\n)?$/, `a usage error is one line: ${shown}`);
  else assert.match(output, /\[HF\d{3}\]/, `no diagnostic code: ${shown}`);
  assert.not.match(output, /internal error/, `an internal error: ${shown}`);
  assert.not.ok(hasStackTrace(output), `a stack trace: ${shown}`);
  if (c.expect) assert.match(output, c.expect, `not the expected refusal ${c.expect}: ${shown}`);
  assert.ok(r.git.length <= MAX_GIT_PROCESSES, `${r.git.length} git processes, more than ${MAX_GIT_PROCESSES}: ${r.git.join('\n')}`);
  if (c.work) assert.ok(r.counted! <= c.work.max, `${r.counted} ${c.work.what}, more than ${c.work.max}: ${shown}`);
  const printed = Buffer.byteLength(r.stdout) + Buffer.byteLength(r.stderr);
  if (c.maxOutputBytes !== undefined) assert.ok(printed <= c.maxOutputBytes, `${printed} bytes printed, more than ${c.maxOutputBytes}: ${shown}`);
  assert.equal(r.changed, [], `changed by a refused command: ${r.changed.join(', ')}`);
}

/** The findings of a `--format json` failure as `message  [code]` lines, so text and JSON are checked alike. */
function jsonFindings(stdout: string): string {
  try {
    return (JSON.parse(stdout) as { diagnostics: Array<{ message: string; code: string }> }).diagnostics.map((d) => `${d.message}  [${d.code}]`).join('\n');
  } catch {
    return '';
  }
}
