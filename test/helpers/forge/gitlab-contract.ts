import AjvModule from 'ajv';

/**
 * The GitLab REST endpoints hotfix uses, written down from GitLab's own descriptions, so the
 * contract server can refuse what GitLab would refuse and check what it answers itself:
 *
 * - operations, parameter names and types: GitLab's OpenAPI v2 document
 *   (doc/api/openapi/openapi_v2.yaml in gitlab-org/gitlab; operationIds below are its);
 * - bodies and limits: https://docs.gitlab.com/api/notes/#merge-requests ("Limited to
 *   1,000,000 characters"), https://docs.gitlab.com/api/merge_requests/#get-single-mr;
 * - listing, creating and updating merge requests (`source_branch`, `state=opened`; a
 *   description "Limited to 1,048,576 characters"; `labels` and `add_labels` comma-separated;
 *   409 when the source branch has an open merge request already):
 *   https://docs.gitlab.com/api/merge_requests/#list-project-merge-requests, #create-mr, #update-mr;
 * - a user by username (`GET /users?username=`, "Username search is case-insensitive"), whose
 *   id reviewer_ids takes: https://docs.gitlab.com/api/users/#list-users;
 * - the `:id` of a project as a number or its URL-encoded path (`group%2Fsub%2Fproject`):
 *   https://docs.gitlab.com/api/rest/#namespaced-paths;
 * - pagination (`page`, `per_page` at most 100, Link and x-* headers):
 *   https://docs.gitlab.com/api/rest/#pagination;
 * - what a CI/CD job token may call (GET of a merge request and of its notes, no write):
 *   https://docs.gitlab.com/ci/jobs/ci_job_token/#job-token-access.
 *
 * The OpenAPI v2 document types every response field as a string (grape-swagger's
 * entities); the response shapes here follow the JSON examples of the REST pages instead.
 */

export interface GitLabOperation {
  readonly operationId: string;
  readonly method: 'GET' | 'POST' | 'PUT';
  /** Path segments after /api/v4; `{name}` is a parameter. */
  readonly path: readonly string[];
  readonly pathParams: Record<string, Schema>;
  readonly query: Record<string, Schema>;
  readonly body?: Schema;
  /** The schema of its 200/201 answer. */
  readonly response: Schema;
  readonly jobTokenAllowed: boolean;
}

type Schema = Record<string, unknown>;

export const NOTE_LIMIT = 1_000_000;
export const DESCRIPTION_LIMIT = 1_048_576;

const projectId: Schema = { type: 'string', pattern: '^([1-9][0-9]*|[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)+)$' };
const integer: Schema = { type: 'integer', minimum: 1 };
const user: Schema = {
  type: 'object',
  required: ['id', 'username', 'name', 'state', 'avatar_url', 'web_url'],
  properties: { id: { type: 'integer' }, username: { type: 'string' }, name: { type: 'string' }, state: { enum: ['active', 'blocked', 'deactivated'] }, avatar_url: { type: ['string', 'null'] }, web_url: { type: 'string' } },
};
const timestamp: Schema = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$' };
const note: Schema = {
  type: 'object',
  required: ['id', 'body', 'author', 'created_at', 'updated_at', 'system', 'noteable_id', 'noteable_type', 'project_id', 'noteable_iid', 'resolvable', 'confidential', 'internal'],
  properties: {
    id: { type: 'integer' },
    type: { type: ['string', 'null'] },
    body: { type: 'string', maxLength: NOTE_LIMIT },
    author: user,
    created_at: timestamp,
    updated_at: timestamp,
    system: { type: 'boolean' },
    noteable_id: { type: 'integer' },
    noteable_type: { const: 'MergeRequest' },
    project_id: { type: 'integer' },
    noteable_iid: { type: 'integer' },
    resolvable: { type: 'boolean' },
    confidential: { type: 'boolean' },
    internal: { type: 'boolean' },
  },
};
const mergeRequest: Schema = {
  type: 'object',
  required: ['id', 'iid', 'project_id', 'title', 'state', 'created_at', 'updated_at', 'source_branch', 'target_branch', 'author', 'sha', 'web_url', 'references'],
  properties: {
    id: { type: 'integer' },
    iid: { type: 'integer' },
    project_id: { type: 'integer' },
    title: { type: 'string' },
    state: { enum: ['opened', 'closed', 'locked', 'merged'] },
    created_at: timestamp,
    updated_at: timestamp,
    source_branch: { type: 'string' },
    target_branch: { type: 'string' },
    author: user,
    sha: { type: 'string', pattern: '^[0-9a-f]{40}$' },
    web_url: { type: 'string', pattern: '^https?://[^/]+/.+/-/merge_requests/[1-9][0-9]*$' },
    references: { type: 'object', required: ['short', 'relative', 'full'], properties: { short: { type: 'string' }, relative: { type: 'string' }, full: { type: 'string' } } },
    description: { type: ['string', 'null'], maxLength: DESCRIPTION_LIMIT },
    labels: { type: 'array', items: { type: 'string' } },
    reviewers: { type: 'array', items: user },
  },
};
const csv: Schema = { type: 'string' };
const mergeRequestFields: Record<string, Schema> = {
  title: { type: 'string', minLength: 1 },
  description: { type: 'string', maxLength: DESCRIPTION_LIMIT },
  labels: csv,
  assignee_id: integer,
  assignee_ids: { type: 'array', items: { type: 'integer' } },
  reviewer_ids: { type: 'array', items: { type: 'integer' } },
  milestone_id: integer,
  remove_source_branch: { type: 'boolean' },
  squash: { type: 'boolean' },
  allow_collaboration: { type: 'boolean' },
};
const mrPath = ['projects', '{id}', 'merge_requests'];
/**
 * A commit status: a CI job of one of the commit's pipelines, or a status posted from
 * outside (https://docs.gitlab.com/api/commits/#list-the-statuses-of-a-commit, its example
 * answer; statuses as Ci::HasStatus names them).
 */
const commitStatus: Schema = {
  type: 'object',
  required: ['id', 'sha', 'ref', 'status', 'name', 'target_url', 'description', 'created_at', 'started_at', 'finished_at', 'allow_failure', 'author'],
  properties: {
    id: { type: 'integer' },
    sha: { type: 'string', pattern: '^[0-9a-f]{40}$' },
    ref: { type: ['string', 'null'] },
    status: { enum: ['created', 'waiting_for_resource', 'preparing', 'pending', 'running', 'success', 'failed', 'canceled', 'skipped', 'manual', 'scheduled'] },
    name: { type: 'string' },
    target_url: { type: ['string', 'null'] },
    description: { type: ['string', 'null'] },
    created_at: timestamp,
    started_at: { anyOf: [timestamp, { type: 'null' }] },
    finished_at: { anyOf: [timestamp, { type: 'null' }] },
    allow_failure: { type: 'boolean' },
    coverage: { type: ['number', 'null'] },
    pipeline_id: { type: 'integer' },
    author: user,
  },
};

/**
 * Approvals and diff versions: https://docs.gitlab.com/api/merge_request_approvals/ (project
 * configuration: `reset_approvals_on_push` and the rest; a merge request's: `approved_by`
 * as `{ user }`, no time nor commit, `approved_at` only on newer instances) and
 * https://docs.gitlab.com/api/merge_requests/#get-merge-request-diff-versions (one per push,
 * newest first, each with head_commit_sha and created_at); GET /user:
 * https://docs.gitlab.com/api/users/#retrieve-the-current-user. None is on the job token's list.
 */
const sha: Schema = { type: 'string', pattern: '^[0-9a-f]{40}$' };
const projectApprovals: Schema = {
  type: 'object',
  required: ['approvals_before_merge', 'reset_approvals_on_push', 'disable_overriding_approvers_per_merge_request', 'merge_requests_author_approval', 'merge_requests_disable_committers_approval', 'require_password_to_approve'],
  properties: { approvers: { type: 'array' }, approver_groups: { type: 'array' }, approvals_before_merge: { type: 'integer', minimum: 0 }, reset_approvals_on_push: { type: 'boolean' }, disable_overriding_approvers_per_merge_request: { type: ['boolean', 'null'] }, merge_requests_author_approval: { type: ['boolean', 'null'] }, merge_requests_disable_committers_approval: { type: ['boolean', 'null'] }, require_password_to_approve: { type: ['boolean', 'null'] } },
};
const mergeRequestApprovals: Schema = {
  type: 'object',
  required: ['id', 'iid', 'project_id', 'title', 'state', 'created_at', 'updated_at', 'merge_status', 'approved', 'approvals_required', 'approvals_left', 'approved_by'],
  properties: {
    id: { type: 'integer' },
    iid: { type: 'integer' },
    project_id: { type: 'integer' },
    title: { type: 'string' },
    description: { type: ['string', 'null'] },
    state: { enum: ['opened', 'closed', 'locked', 'merged'] },
    created_at: timestamp,
    updated_at: timestamp,
    merge_status: { type: 'string' },
    approved: { type: 'boolean' },
    approvals_required: { type: 'integer', minimum: 0 },
    approvals_left: { type: 'integer', minimum: 0 },
    approved_by: { type: 'array', items: { type: 'object', required: ['user'], properties: { user, approved_at: { anyOf: [timestamp, { type: 'null' }] } } } },
  },
};
const diffVersion: Schema = {
  type: 'object',
  required: ['id', 'head_commit_sha', 'base_commit_sha', 'start_commit_sha', 'created_at', 'merge_request_id', 'state', 'real_size'],
  properties: { id: { type: 'integer' }, head_commit_sha: sha, base_commit_sha: sha, start_commit_sha: sha, created_at: timestamp, merge_request_id: { type: 'integer' }, state: { enum: ['collected', 'overflow', 'without_files', 'empty', 'empty_diff'] }, real_size: { type: 'string' }, patch_id_sha: { type: ['string', 'null'] } },
};
const pageQuery: Record<string, Schema> = { page: integer, per_page: { type: 'integer', minimum: 1, maximum: 100 } };

export const OPERATIONS: readonly GitLabOperation[] = [
  { operationId: 'getApiV4User', method: 'GET', path: ['user'], pathParams: {}, query: {}, response: user, jobTokenAllowed: false },
  { operationId: 'getApiV4ProjectsIdApprovals', method: 'GET', path: ['projects', '{id}', 'approvals'], pathParams: { id: projectId }, query: {}, response: projectApprovals, jobTokenAllowed: false },
  { operationId: 'getApiV4ProjectsIdMergeRequestsMergeRequestIidApprovals', method: 'GET', path: [...mrPath, '{merge_request_iid}', 'approvals'], pathParams: { id: projectId, merge_request_iid: integer }, query: {}, response: mergeRequestApprovals, jobTokenAllowed: false },
  { operationId: 'getApiV4ProjectsIdMergeRequestsMergeRequestIidVersions', method: 'GET', path: [...mrPath, '{merge_request_iid}', 'versions'], pathParams: { id: projectId, merge_request_iid: integer }, query: pageQuery, response: { type: 'array', items: diffVersion }, jobTokenAllowed: false },
  {
    operationId: 'getApiV4Users',
    method: 'GET',
    path: ['users'],
    pathParams: {},
    query: { username: { type: 'string', minLength: 1 }, search: { type: 'string' }, active: { type: 'boolean' }, blocked: { type: 'boolean' }, humans: { type: 'boolean' }, exclude_internal: { type: 'boolean' }, without_project_bots: { type: 'boolean' }, order_by: { enum: ['id', 'name', 'username', 'created_at', 'updated_at'] }, sort: { enum: ['asc', 'desc'] }, page: integer, per_page: { type: 'integer', minimum: 1, maximum: 100 } },
    response: { type: 'array', items: user },
    jobTokenAllowed: false,
  },
  {
    operationId: 'getApiV4ProjectsIdMergeRequests',
    method: 'GET',
    path: mrPath,
    pathParams: { id: projectId },
    query: {
      state: { enum: ['opened', 'closed', 'locked', 'merged', 'all'] },
      source_branch: { type: 'string' },
      target_branch: { type: 'string' },
      order_by: { enum: ['created_at', 'updated_at', 'title', 'merged_at'] },
      sort: { enum: ['asc', 'desc'] },
      labels: csv,
      page: integer,
      per_page: { type: 'integer', minimum: 1, maximum: 100 },
    },
    response: { type: 'array', items: mergeRequest },
    jobTokenAllowed: false,
  },
  {
    operationId: 'postApiV4ProjectsIdMergeRequests',
    method: 'POST',
    path: mrPath,
    pathParams: { id: projectId },
    query: {},
    body: { type: 'object', required: ['source_branch', 'target_branch', 'title'], additionalProperties: false, properties: { ...mergeRequestFields, source_branch: { type: 'string', minLength: 1 }, target_branch: { type: 'string', minLength: 1 }, target_project_id: integer } },
    response: mergeRequest,
    jobTokenAllowed: false,
  },
  {
    operationId: 'putApiV4ProjectsIdMergeRequestsMergeRequestIid',
    method: 'PUT',
    path: [...mrPath, '{merge_request_iid}'],
    pathParams: { id: projectId, merge_request_iid: integer },
    query: {},
    body: { type: 'object', minProperties: 1, additionalProperties: false, properties: { ...mergeRequestFields, target_branch: { type: 'string', minLength: 1 }, add_labels: csv, remove_labels: csv, state_event: { enum: ['close', 'reopen'] }, discussion_locked: { type: 'boolean' } } },
    response: mergeRequest,
    jobTokenAllowed: false,
  },
  {
    operationId: 'getApiV4ProjectsIdMergeRequestsMergeRequestIid',
    method: 'GET',
    path: [...mrPath, '{merge_request_iid}'],
    pathParams: { id: projectId, merge_request_iid: integer },
    query: { render_html: { type: 'boolean' }, include_diverged_commits_count: { type: 'boolean' }, include_rebase_in_progress: { type: 'boolean' } },
    response: mergeRequest,
    jobTokenAllowed: true,
  },
  {
    operationId: 'getApiV4ProjectsIdMergeRequestsNoteableIdNotes',
    method: 'GET',
    path: [...mrPath, '{noteable_id}', 'notes'],
    pathParams: { id: projectId, noteable_id: integer },
    query: { order_by: { enum: ['created_at', 'updated_at'] }, sort: { enum: ['asc', 'desc'] }, activity_filter: { enum: ['all_notes', 'only_comments', 'only_activity'] }, page: integer, per_page: { type: 'integer', minimum: 1, maximum: 100 } },
    response: { type: 'array', items: note },
    jobTokenAllowed: true,
  },
  {
    operationId: 'postApiV4ProjectsIdMergeRequestsNoteableIdNotes',
    method: 'POST',
    path: [...mrPath, '{noteable_id}', 'notes'],
    pathParams: { id: projectId, noteable_id: integer },
    query: {},
    body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'string', minLength: 1 }, internal: { type: 'boolean' }, created_at: { type: 'string' }, merge_request_diff_head_sha: { type: 'string' } } },
    response: note,
    jobTokenAllowed: false,
  },
  {
    operationId: 'putApiV4ProjectsIdMergeRequestsNoteableIdNotesNoteId',
    method: 'PUT',
    path: [...mrPath, '{noteable_id}', 'notes', '{note_id}'],
    pathParams: { id: projectId, noteable_id: integer, note_id: integer },
    query: {},
    body: { type: 'object', required: ['body'], additionalProperties: false, properties: { body: { type: 'string', minLength: 1 }, confidential: { type: 'boolean' } } },
    response: note,
    jobTokenAllowed: false,
  },
  {
    // `ref` is documented as defaulting to the default branch, but GitLab filters by it only
    // when given (lib/api/commit_statuses.rb); without `all`, retried jobs are left out.
    // pipeline_id, order_by and sort: GitLab 17.8. Not on the CI/CD job token's access list.
    operationId: 'getApiV4ProjectsIdRepositoryCommitsShaStatuses',
    method: 'GET',
    path: ['projects', '{id}', 'repository', 'commits', '{sha}', 'statuses'],
    pathParams: { id: projectId, sha: { type: 'string', minLength: 1 } },
    query: { ref: { type: 'string' }, stage: { type: 'string' }, name: { type: 'string' }, pipeline_id: integer, order_by: { enum: ['id', 'pipeline_id'] }, sort: { enum: ['asc', 'desc'] }, all: { type: 'boolean' }, page: integer, per_page: { type: 'integer', minimum: 1, maximum: 100 } },
    response: { type: 'array', items: commitStatus },
    jobTokenAllowed: false,
  },
];

// ajv is CommonJS: under NodeNext its class is the default export's `default`.
const Ajv = (AjvModule as unknown as { default: typeof AjvModule }).default ?? AjvModule;
const ajv = new (Ajv as unknown as new (options: object) => InstanceType<typeof AjvModule.default>)({ strict: false, allErrors: false, logger: false });

export interface MatchedOperation {
  readonly op: GitLabOperation;
  /** Decoded, as GitLab reads them. */
  readonly pathParams: Record<string, string>;
}

/** The operation a raw path (still percent-encoded, as sent) is for; a project path sent with bare `/` matches none, as on GitLab. */
export function matchOperation(method: string, rawPath: string): MatchedOperation | undefined {
  const segments = rawPath.split('/');
  for (const op of OPERATIONS) {
    if (op.method !== method || op.path.length !== segments.length) continue;
    if (!op.path.every((p, i) => p.startsWith('{') || p === segments[i])) continue;
    const pathParams = Object.fromEntries(op.path.flatMap((p, i) => (p.startsWith('{') ? [[p.slice(1, -1), safeDecode(segments[i]!)]] : [])));
    return { op, pathParams };
  }
  return undefined;
}

/** What GitLab would refuse in the request's parameters and JSON body; empty when nothing. */
export function requestProblems(matched: MatchedOperation, query: URLSearchParams, body: unknown): string[] {
  const { op, pathParams } = matched;
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(op.pathParams)) {
    const problem = schemaProblem(coerced(pathParams[name]!, schema), schema);
    if (problem) problems.push(`path parameter ${name}=${JSON.stringify(pathParams[name])}: ${problem}`);
  }
  for (const [name, value] of query) {
    const schema = op.query[name];
    if (!schema) problems.push(`query parameter ${name} is not one GitLab documents for ${op.operationId}`);
    else {
      const problem = schemaProblem(coerced(value, schema), schema);
      if (problem) problems.push(`query parameter ${name}=${JSON.stringify(value)}: ${problem}`);
    }
  }
  if (op.body) {
    const problem = schemaProblem(body, op.body);
    if (problem) problems.push(`body: ${problem}`);
  } else if (body !== undefined) problems.push('a body, where the operation takes none');
  return problems;
}

export function responseProblem(op: GitLabOperation, data: unknown): string | undefined {
  const problem = schemaProblem(data, op.response);
  return problem && `answer to ${op.operationId}: ${problem}`;
}

const compiled = new Map<Schema, ReturnType<typeof ajv.compile>>();

function schemaProblem(value: unknown, schema: Schema): string | undefined {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (validate(value)) return undefined;
  const e = validate.errors?.[0];
  return `${e?.instancePath || '(root)'} ${e?.message ?? 'is invalid'}`;
}

function coerced(value: string, schema: Schema): unknown {
  if (schema.type === 'integer') return /^-?[0-9]+$/.test(value) ? Number(value) : value;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
