import { documentedExample, type Operation } from './openapi-contract.js';

/**
 * The checks GitHub holds about commits of the repositories a test declares: check runs
 * (each made by a GitHub App, moving queued → in_progress → completed with a conclusion)
 * and commit statuses (each context's states over time, as POST /statuses adds them). It
 * answers the two reads the hotfix gate makes, as GitHub does: check runs under
 * `filter=latest` are the newest of each name and app; statuses come newest first. The
 * shapes start from GitHub's own documented examples, and the contract server checks
 * every answer against the OpenAPI description.
 */
export interface GitHubChecks {
  /** A new check run, queued unless said otherwise; returns its id. GitHub Actions is app 15368. */
  run(repository: string, sha: string, name: string, options?: { appId?: number; status?: RunStatus; conclusion?: Conclusion }): number;
  /** The run moves on, as its app's PATCH /check-runs/{id} would move it. */
  update(id: number, status: RunStatus, conclusion?: Conclusion): void;
  /** A commit status, as POST /repos/{owner}/{repo}/statuses/{sha} adds one. */
  status(repository: string, sha: string, context: string, state: 'error' | 'failure' | 'pending' | 'success'): void;
}

type RunStatus = 'queued' | 'in_progress' | 'completed';
type Conclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

interface StoredRun {
  readonly id: number;
  readonly repository: string;
  readonly sha: string;
  readonly name: string;
  readonly appId: number;
  status: RunStatus;
  conclusion: Conclusion | null;
  readonly startedAt: string;
  completedAt: string | null;
}

interface StoredStatus {
  readonly id: number;
  readonly repository: string;
  readonly sha: string;
  readonly context: string;
  readonly state: string;
  readonly at: string;
}

export const CHECK_OPERATIONS = new Set(['checks/list-for-ref', 'repos/list-commit-statuses-for-ref']);

export function gitHubChecks(repositories: readonly string[], now: () => string) {
  const runs: StoredRun[] = [];
  const statuses: StoredStatus[] = [];
  let nextId = 4_100_000_000;
  const state: GitHubChecks = {
    run(repository, sha, name, options = {}) {
      const at = now();
      const status = options.status ?? 'queued';
      const run: StoredRun = { id: nextId++, repository, sha, name, appId: options.appId ?? 15368, status, conclusion: status === 'completed' ? (options.conclusion ?? 'success') : null, startedAt: at, completedAt: status === 'completed' ? at : null };
      runs.push(run);
      return run.id;
    },
    update(id, status, conclusion) {
      const run = runs.find((r) => r.id === id)!;
      run.status = status;
      run.conclusion = status === 'completed' ? (conclusion ?? 'success') : null;
      run.completedAt = status === 'completed' ? now() : null;
    },
    status(repository, sha, context, s) {
      statuses.push({ id: nextId++, repository, sha, context, state: s, at: now() });
    },
  };

  /** The answer to a checks read, or undefined for a repository the test did not declare (GitHub's 404). */
  function answer(op: Operation, query: URLSearchParams, selfUrl: string): { data: unknown; headers: Record<string, string> } | undefined {
    const p = op.pathParams;
    const repository = `${p.owner}/${p.repo}`;
    if (!repositories.includes(repository)) return undefined;
    const perPage = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    if (op.operationId === 'checks/list-for-ref') {
      const appId = query.get('app_id');
      let found = runs.filter((r) => r.repository === repository && r.sha === p.ref && (appId === null || r.appId === Number(appId)));
      // filter=latest (the default): the newest run of each name and app, as a rerun replaces a run.
      if (query.get('filter') !== 'all') found = found.filter((r) => !found.some((o) => o.name === r.name && o.appId === r.appId && o.id > r.id));
      const slice = found.sort((a, b) => b.id - a.id).slice((page - 1) * perPage, page * perPage);
      return { data: { total_count: found.length, check_runs: slice.map((r) => checkRunJson(r)) }, headers: links(selfUrl, query, page, Math.ceil(found.length / perPage)) };
    }
    const found = statuses.filter((s) => s.repository === repository && s.sha === p.ref).sort((a, b) => b.id - a.id);
    return { data: found.slice((page - 1) * perPage, page * perPage).map((s) => statusJson(s)), headers: links(selfUrl, query, page, Math.ceil(found.length / perPage)) };
  }

  return { state, answer };
}

function links(selfUrl: string, query: URLSearchParams, page: number, last: number): Record<string, string> {
  if (page >= last) return {};
  const at = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(n));
    return `${selfUrl}?${q}`;
  };
  return { link: `<${at(page + 1)}>; rel="next", <${at(last)}>; rel="last"` };
}

function checkRunJson(r: StoredRun) {
  const shown = documentedExample('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', 200) as Record<string, unknown> & { app: Record<string, unknown>; check_suite: Record<string, unknown> };
  const html = `https://github.com/${r.repository}`;
  const actions = r.appId === 15368;
  return {
    ...shown,
    id: r.id,
    node_id: `CR_kwDO${Buffer.from(`r${r.id}`).toString('base64url')}`,
    head_sha: r.sha,
    name: r.name,
    external_id: '',
    url: `https://api.github.com/repos/${r.repository}/check-runs/${r.id}`,
    html_url: `${html}/runs/${r.id}`,
    details_url: `${html}/runs/${r.id}`,
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `https://api.github.com/repos/${r.repository}/check-runs/${r.id}/annotations` },
    check_suite: { id: 5_200_000_000 + (r.id % 1000) },
    app: { ...shown.app, id: r.appId, slug: actions ? 'github-actions' : 'buildkite', name: actions ? 'GitHub Actions' : 'Buildkite', html_url: `https://github.com/apps/${actions ? 'github-actions' : 'buildkite'}` },
    pull_requests: [],
  };
}

function statusJson(s: StoredStatus) {
  const shown = (documentedExample('GET', '/repos/{owner}/{repo}/commits/{ref}/statuses', 200) as unknown as Array<Record<string, unknown>>)[0]!;
  return {
    ...shown,
    id: s.id,
    node_id: `SC_kwDO${Buffer.from(`s${s.id}`).toString('base64url')}`,
    url: `https://api.github.com/repos/${s.repository}/statuses/${s.sha}`,
    state: s.state,
    context: s.context,
    description: s.state === 'pending' ? 'Build started' : `Build ${s.state}`,
    target_url: `https://ci.example.com/${s.repository}/builds/${s.id}`,
    created_at: s.at,
    updated_at: s.at,
  };
}
