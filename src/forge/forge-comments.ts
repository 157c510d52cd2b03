/** A comment on a pull request, as the forge gives it. */
export interface ForgeComment {
  readonly id: number;
  /** The GraphQL node id, which minimizeComment takes. */
  readonly nodeId: string;
  readonly body: string;
  readonly url: string;
}

/** What posting a plan comment needs of a forge: the effects behind one small interface. */
export interface PlanCommentForge {
  /** Where the comments go, as a person reads it: `owner/repo#12`. */
  readonly where: string;
  /** Fails with HF502 when the pull request does not exist or cannot be seen. */
  checkPullRequest(): Promise<void>;
  listComments(): Promise<readonly ForgeComment[]>;
  createComment(body: string): Promise<ForgeComment>;
  updateComment(id: number, body: string): Promise<void>;
  /** Folded away as outdated, as GitHub's "Hide → Outdated" does. */
  minimizeComment(nodeId: string): Promise<void>;
}
