import { HotfixError } from '../diagnostics/errors.js';
import { commentBodies, type CommentContent } from './comment-parts.js';
import type { PlanCommentForge } from './forge-comments.js';
import { reconcileComments } from './reconcile-comments.js';

export interface PostedComment {
  /** The address of part 1, where a reader starts. */
  readonly url: string;
  readonly parts: number;
  readonly created: number;
  readonly updated: number;
  readonly retired: number;
}

/**
 * Posts the content as its key's comment on the pull request: everything is read and
 * checked first (the pull request exists, no comment of the key was edited by a person),
 * then parts are written in order, so a run cut short leaves comments a rerun finds again.
 */
export async function postPlanComment(forge: PlanCommentForge, content: CommentContent): Promise<PostedComment> {
  const { head } = await forge.checkPullRequest();
  const bodies = commentBodies(head ? { ...content, head } : content, forge.commentLimit);
  const { steps, problems, partOne } = reconcileComments(content.key, bodies, await forge.listComments());
  if (problems.length > 0) throw new HotfixError(problems);
  const counts = { created: 0, updated: 0, retired: 0 };
  const urls = new Map<number, string>();
  for (const step of steps) {
    if (step.kind === 'create') urls.set(step.part, (await forge.createComment(step.body)).url);
    if (step.kind === 'update') await forge.updateComment(step.comment.id, step.body);
    // Retired last, once part 1 is where it will stay.
    if (step.kind === 'retire') await forge.retireComment(step.comment, step.body, urls.get(1) ?? partOne?.url ?? forge.where);
    counts[step.kind === 'create' ? 'created' : step.kind === 'update' ? 'updated' : 'retired']++;
  }
  return { url: urls.get(1) ?? partOne?.url ?? forge.where, parts: bodies.length, ...counts };
}
