/** A pull request (merge request) apply opened or updated for a branch it pushed, as the journal keeps it and `status` shows it. */
export interface ReviewRequestRecord {
  /** The plan's open-pull-request action. */
  readonly action: string;
  readonly forge: 'github' | 'gitlab';
  /** `owner/repo`, `group/subgroup/project`. */
  readonly repository: string;
  readonly number: number;
  readonly url: string;
  readonly head: string;
  readonly base: string;
  /** What the plan was for, so `status` shows it beside its environment. */
  readonly kind: string;
  readonly policy: string;
  readonly environment: string;
  readonly plan: string;
  /** When apply last found it open (or made it). */
  readonly at: string;
}

export function isReviewRequestRecord(value: unknown): value is ReviewRequestRecord {
  const r = value as Record<string, unknown> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    (r.forge === 'github' || r.forge === 'gitlab') &&
    ['action', 'repository', 'url', 'head', 'base', 'kind', 'policy', 'environment', 'plan', 'at'].every((key) => typeof r[key] === 'string') &&
    Number.isInteger(r.number) &&
    /^https?:\/\//.test(r.url as string)
  );
}
