/** The command reading checks, as its failures name it: apply at the gate, status --forge to show them. */
export type ChecksReaderCommand = 'apply' | 'status';

/** One report a forge holds about a commit: a check run, a commit status, or a CI job. */
export interface CheckReport {
  /** The check run's name, the status's context, the job's name. */
  readonly name: string;
  readonly source: 'check run' | 'status' | 'job';
  /** Its state in the forge's own word: queued, in_progress, success, failure, skipped, pending… */
  readonly state: string;
  /** Only a success counts: skipped, neutral, cancelled, pending, failed are not done. */
  readonly success: boolean;
  /** When it last changed (ISO 8601), to tell the latest of one name. */
  readonly at: string;
  /** The forge's id, to order reports of one name made in the same second. */
  readonly id: number;
}

/**
 * The latest report of each name. A check is as its latest run says: a success followed by
 * a failed rerun is failed, and a check run and a status of one name count as one check.
 */
export function latestByName(reports: readonly CheckReport[]): Map<string, CheckReport> {
  const latest = new Map<string, CheckReport>();
  for (const r of reports) {
    const seen = latest.get(r.name);
    const [at, seenAt] = [Date.parse(r.at), seen ? Date.parse(seen.at) : Number.NaN];
    if (!seen || at > seenAt || (at === seenAt && r.id > seen.id)) latest.set(r.name, r);
  }
  return latest;
}

/** A required check as the latest report of its name says. */
export interface CheckState {
  readonly name: string;
  /** The forge's word for its latest report, or `missing`. */
  readonly state: string;
  readonly source?: CheckReport['source'];
  readonly success: boolean;
}

export function checkState(name: string, latest: ReadonlyMap<string, CheckReport>): CheckState {
  const r = latest.get(name);
  // The state is the forge's word: only a word's characters reach a terminal or a JSON reader.
  return r ? { name, state: r.state.replace(/[^\w-]/g, '?'), source: r.source, success: r.success } : { name, state: 'missing', success: false };
}

/** In words: `unit queued (check run)`, or missing. */
export function checkStateText(s: CheckState): string {
  return s.source ? `${s.name} ${s.state} (${s.source})` : `${s.name} missing (no check run, status or job of that name)`;
}
