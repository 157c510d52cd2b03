/**
 * The approval `apply --pr` found before it wrote anything, as the journal keeps it. The
 * first one recorded before any action was done `signs`: the commits apply makes carry its
 * approvers in Approved-by trailers (approved-by.ts), every later run's too.
 */
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
  readonly signs?: true;
}

export function isApprovalRecord(value: unknown): value is ApprovalRecord {
  const a = value as Record<string, unknown> | null;
  return typeof a === 'object' && a !== null && ['pullRequest', 'head', 'comment', 'at'].every((key) => typeof a[key] === 'string') && typeof a.required === 'number' && Array.isArray(a.approvers) && a.approvers.every((x) => typeof x === 'string') && (a.signs === undefined || a.signs === true);
}
