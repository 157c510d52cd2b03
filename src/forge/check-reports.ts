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
