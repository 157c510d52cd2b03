/** The approval `apply --pr` found before it wrote anything, as the journal keeps it: approvers are recorded here, not in commit trailers, which would change the commit ids the plan names. */
export interface ApprovalRecord {
  /** `owner/repo#N`. */
  readonly pullRequest: string;
  readonly approvers: readonly string[];
  readonly required: number;
  /** The pull request's head the approvals are for. */
  readonly head: string;
  /** The plan comment the approvals came after. */
  readonly comment: string;
  readonly at: string;
}

export function isApprovalRecord(value: unknown): value is ApprovalRecord {
  const a = value as Record<string, unknown> | null;
  return typeof a === 'object' && a !== null && ['pullRequest', 'head', 'comment', 'at'].every((key) => typeof a[key] === 'string') && typeof a.required === 'number' && Array.isArray(a.approvers) && a.approvers.every((x) => typeof x === 'string');
}
