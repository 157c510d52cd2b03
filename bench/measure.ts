import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OWN_RSS = join(dirname(fileURLToPath(import.meta.url)), 'own-rss.cjs');

export interface Sample {
  readonly ms: number;
  /** The peak of the process tree (GNU time): a git the command ran counts. */
  readonly rssKb: number;
  /** The peak of the node processes alone (own-rss.cjs); 0 when no node ran. */
  readonly nodeRssKb: number;
}

export interface Measured {
  readonly medianMs: number;
  readonly peakRssKb: number;
  readonly peakNodeRssKb: number;
}

/**
 * One run of a command under GNU time, for wall time and peak RSS. The command must
 * succeed: a benchmark of a failing command measures nothing.
 */
export function runOnce(command: readonly string[], cwd: string): Sample {
  const scratch = mkdtempSync(join(tmpdir(), 'hotfix-bench-rss-'));
  const rssFile = join(scratch, 'rss');
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${OWN_RSS}`.trim(), HOTFIX_BENCH_RSS_FILE: rssFile };
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', ...command], { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let nodeRssKb = 0;
  try {
    nodeRssKb = Math.max(0, ...readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number));
  } catch {
    // no node ran (a git step)
  }
  rmSync(scratch, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr.slice(-500)}`);
  const rssKb = Number(result.stderr.trim().split('\n').pop());
  return { ms, rssKb, nodeRssKb };
}

export type Step = readonly string[];

/** Several commands run one after the other count as one sample (a person's sequence of git commands). */
function runSteps(steps: readonly Step[], cwd: string): Sample {
  return steps.map((s) => runOnce(s, cwd)).reduce((a, b) => ({ ms: a.ms + b.ms, rssKb: Math.max(a.rssKb, b.rssKb), nodeRssKb: Math.max(a.nodeRssKb, b.nodeRssKb) }));
}

/**
 * Baseline and subject alternate, run after run, so the machine's noise falls on both
 * alike; the ratio of medians is what a benchmark reports.
 */
export function sideBySide(baseline: readonly Step[], subject: readonly Step[], cwd: string, runs: number): { baseline: Measured; subject: Measured } {
  runSteps(baseline, cwd);
  runSteps(subject, cwd); // warm the page cache for both
  const b: Sample[] = [];
  const s: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    b.push(runSteps(baseline, cwd));
    s.push(runSteps(subject, cwd));
  }
  return { baseline: summarise(b), subject: summarise(s) };
}

function summarise(samples: readonly Sample[]): Measured {
  const sorted = samples.map((x) => x.ms).sort((a, b) => a - b);
  return { medianMs: sorted[sorted.length >> 1]!, peakRssKb: Math.max(...samples.map((x) => x.rssKb)), peakNodeRssKb: Math.max(...samples.map((x) => x.nodeRssKb)) };
}
