/** A comment on a pull request (a note on a GitLab merge request), as the forge gives it. */
export interface ForgeComment {
  readonly id: number;
  /** GitHub's GraphQL node id, which minimizeComment takes; GitLab has none. */
  readonly nodeId?: string;
  readonly body: string;
  readonly url: string;
  /** Who wrote it and when it last changed: apply's approval check reads these (GitHub). */
  readonly author?: string;
  readonly updatedAt?: string;
}

/** What posting a plan comment needs of a forge: the effects behind one small interface. */
export interface PlanCommentForge {
  /** Where the comments go, as a person reads it: `owner/repo#12`, `group/project!12`. */
  readonly where: string;
  /** The characters one comment may hold: longer plans are posted in parts. */
  readonly commentLimit: number;
  /**
   * Fails with HF502 when the pull request does not exist or cannot be seen. `head`: the
   * commit the plan comment is posted for, where approvals are judged against the comment's
   * last change (GitLab), so that each push gives the comment a change of its own.
   */
  checkPullRequest(): Promise<{ readonly head?: string }>;
  listComments(): Promise<readonly ForgeComment[]>;
  createComment(body: string): Promise<ForgeComment>;
  updateComment(id: number, body: string): Promise<void>;
  /**
   * Shows an older plan comment as outdated: `retired` is its body marked retired, so no
   * later run takes it up again; `current` the address of the plan comment that replaces it.
   * GitHub hides it as "Hide → Outdated" does; GitLab, which hides no note, edits it down.
   */
  retireComment(comment: ForgeComment, retired: string, current: string): Promise<void>;
  /** What retireComment does, as the command's summary says it: `hidden as outdated`. */
  readonly retiredAs: string;
}
