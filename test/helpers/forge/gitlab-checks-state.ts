/**
 * The CI jobs and outside commit statuses a loopback GitLab holds for commits of its one
 * project: each in a pipeline, moving created → pending → running → success or failed; a
 * retry marks the older job retried, which GitLab leaves out of the statuses it lists
 * unless asked for `all`. A new pipeline for the same commit is not a retry: its jobs are
 * listed beside the older pipeline's, so a client must tell the latest of a name itself.
 */
export interface GitLabChecks {
  /** A job (or a status posted from outside) of `name` in `pipeline` (a new pipeline when absent); returns its id. */
  job(sha: string, name: string, status: JobStatus, options?: { pipeline?: number; ref?: string }): number;
  /** The job moves on. */
  update(id: number, status: JobStatus): void;
  /** A retry of the job: a new job of its name in its pipeline, and the older one marked retried. */
  retry(id: number, status: JobStatus): number;
}

type JobStatus = 'created' | 'pending' | 'running' | 'success' | 'failed' | 'canceled' | 'skipped' | 'manual';

interface StoredJob {
  readonly id: number;
  readonly sha: string;
  readonly name: string;
  readonly pipeline: number;
  readonly ref: string;
  status: JobStatus;
  retried: boolean;
  readonly createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const FINISHED = new Set(['success', 'failed', 'canceled', 'skipped']);

export function gitLabChecks(now: () => string, user: (username: string) => unknown, url: string, project: string) {
  const jobs: StoredJob[] = [];
  let nextId = 7_300_000_000;
  let nextPipeline = 1_510_000_000;
  const move = (j: StoredJob, status: JobStatus) => {
    j.status = status;
    if (status !== 'created' && status !== 'pending' && j.startedAt === null) j.startedAt = now();
    j.finishedAt = FINISHED.has(status) ? now() : null;
  };
  const add = (sha: string, name: string, pipeline: number, ref: string, status: JobStatus) => {
    const j: StoredJob = { id: nextId++, sha, name, pipeline, ref, status: 'created', retried: false, createdAt: now(), startedAt: null, finishedAt: null };
    move(j, status);
    jobs.push(j);
    return j.id;
  };
  const state: GitLabChecks = {
    job: (sha, name, status, options = {}) => add(sha, name, options.pipeline ?? nextPipeline++, options.ref ?? 'hotfix', status),
    update: (id, status) => move(jobs.find((j) => j.id === id)!, status),
    retry(id, status) {
      const old = jobs.find((j) => j.id === id)!;
      old.retried = true;
      return add(old.sha, old.name, old.pipeline, old.ref, status);
    },
  };

  /** The statuses of a commit as GitLab lists them: oldest first (order_by id, sort asc), retried ones only with all=true. */
  function statuses(sha: string, query: URLSearchParams): unknown[] {
    const all = query.get('all') === 'true';
    const found = jobs.filter((j) => j.sha === sha && (all || !j.retried) && (query.get('name') === null || j.name === query.get('name')) && (query.get('ref') === null || j.ref === query.get('ref')));
    if (query.get('sort') === 'desc') found.reverse();
    return found.map((j) => ({
      id: j.id,
      sha: j.sha,
      ref: j.ref,
      status: j.status,
      name: j.name,
      target_url: `${url}/${project}/-/jobs/${j.id}`,
      description: null,
      created_at: j.createdAt,
      started_at: j.startedAt,
      finished_at: j.finishedAt,
      allow_failure: false,
      coverage: null,
      pipeline_id: j.pipeline,
      author: user('mhoffmann'),
    }));
  }

  return { state, statuses };
}
