/**
 * A pull request (GitHub) or merge request (GitLab) apply opens for a branch it pushed for
 * review, as both forges take it: the branch it comes from, the branch it goes into, and
 * what people read on it.
 */
export interface ReviewRequestContent {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  /** People (`alice`) and teams (`org/team`), as the policy's metadata.owners names them. */
  readonly reviewers: readonly string[];
}

/** A pull request as apply found or made it. */
export interface OpenedReviewRequest {
  readonly number: number;
  readonly url: string;
  /** `created`, or `updated` when one was open for the branch already (a rerun). */
  readonly outcome: 'created' | 'updated';
  /** What went wrong asking for reviewers, in the forge's words, when the pull request itself is fine. */
  readonly reviewersNotRequested?: string;
  /** What went wrong setting its labels, in the forge's words: it is open all the same. */
  readonly labelsNotSet?: string;
}

/** What opening review requests needs of a forge: the effects behind one small interface. */
export interface ReviewRequestForge {
  /** `GitHub octo-org/deploy`, `GitLab platform/deploy`: where, as a person reads it. */
  readonly where: string;
  /** The characters a pull request's body may hold. */
  readonly bodyLimit: number;
  /**
   * The open pull request from `content.head`, updated to the content, else a new one: a rerun
   * (or a second job racing this one) never leaves two. Rejects with the forge's failure.
   */
  ensure(content: ReviewRequestContent): Promise<OpenedReviewRequest>;
  /** Where a person opens it by hand, and the command that does, for when `ensure` failed. */
  byHand(content: ReviewRequestContent): { readonly url: string; readonly command: string };
}
