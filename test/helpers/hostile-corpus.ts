import { test } from 'uvu';
import * as assert from 'uvu/assert';
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
  /** Milliseconds; most cases need far less than the default. */
  readonly withinMs?: number;
  /**
   * A bug found by the corpus in code another change owns, reported and not fixed yet: the
   * case is listed as skipped (and not run) until the fix lands and this is removed.
   */
  readonly knownBug?: string;
}

const DEFAULT_BOUND_MS = 10_000;
/** Two cores: three processes keep both busy while one waits on a slow server. */
const CONCURRENCY = 3;

interface Outcome extends CliResult {
  readonly ms: number;
  /** Repositories whose snapshot changed. */
  readonly changed: readonly string[];
}

/**
 * Registers one uvu test per case. The cases run before the tests, a few at a time (each
 * is a process that mostly waits), with the repositories' snapshots taken once before
 * any ran: read-only cases share their scenario, so a write by one shows in its own check.
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
  const bound = c.withinMs ?? DEFAULT_BOUND_MS;
  const started = Date.now();
  // Killed a little after the bound, so an overrun is reported as one, not as a kill.
  const result = await runCliAsync(c.args, { cwd: c.cwd, ...(c.env && { env: { ...c.env } }), timeoutMs: bound + 5_000 });
  const ms = Date.now() - started;
  return { ...result, ms, changed: c.repos.filter((repo) => snapshot(repo) !== before.get(repo)) };
}

/** What every refusal shares: a non-zero exit, a coded one-line error, no stack, no time overrun, no write. */
function assertRefused(c: HostileCase, r: Outcome): void {
  const output = `${r.stdout}\n${r.stderr}\n${jsonFindings(r.stdout)}`;
  const shown = `exit ${r.code} after ${r.ms} ms\n--- stdout\n${r.stdout.slice(0, 2000)}\n--- stderr\n${r.stderr.slice(0, 2000)}`;
  assert.ok(r.code !== null && r.code !== 0, `not refused: ${shown}`);
  if (r.code === 64) assert.match(r.stderr, /^hotfix: \S[^\n]*\n(Run "hotfix(?: [a-z]+)* --help" for usage\.\n)?$/, `a usage error is one line: ${shown}`);
  else assert.match(output, /\[HF\d{3}\]/, `no diagnostic code: ${shown}`);
  assert.not.match(output, /internal error/, `an internal error: ${shown}`);
  assert.not.ok(hasStackTrace(output), `a stack trace: ${shown}`);
  if (c.expect) assert.match(output, c.expect, `not the expected refusal ${c.expect}: ${shown}`);
  assert.ok(r.ms < (c.withinMs ?? DEFAULT_BOUND_MS), `took ${r.ms} ms: ${shown}`);
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
