import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { markedBody, readMarker, sameKey, type CommentKey } from './comment-marker.js';
import { footerStart } from './comment-parts.js';
import type { ForgeComment } from './forge-comments.js';

/** One write to the pull request's comments. */
export type CommentStep =
  | { readonly kind: 'create'; readonly part: number; readonly body: string }
  | { readonly kind: 'update'; readonly part: number; readonly comment: ForgeComment; readonly body: string }
  /** Marked retired (so no later run takes it up again), then minimised as outdated. */
  | { readonly kind: 'retire'; readonly comment: ForgeComment; readonly body: string };

export interface Reconciled {
  readonly steps: readonly CommentStep[];
  readonly problems: readonly Diagnostic[];
  /** Part 1 as found, when it is kept: where a reader starts if nothing is posted anew. */
  readonly partOne?: ForgeComment;
}

/**
 * What to write so the pull request shows `bodies` as this key's comment: the parts found
 * again by their markers are updated in place (an unchanged one is left alone), missing
 * parts are posted, and surplus parts and any other comment of the key (an older plan's, a
 * second job's) are retired. A comment of the key that a person edited, or whose marker an
 * edit removed, stops it all before anything is written. Pure.
 */
export function reconcileComments(key: CommentKey, bodies: readonly string[], comments: readonly ForgeComment[]): Reconciled {
  const problems: Diagnostic[] = [];
  const current: Array<{ comment: ForgeComment; part: number }> = [];
  const footer = footerStart(key);
  for (const comment of comments) {
    const read = readMarker(comment.body);
    if (read && sameKey(read.marker.key, key)) {
      if (read.marker.state === 'retired') continue;
      if (read.edited) problems.push(diagnostic('HF506', `comment ${comment.url} is hotfix's plan comment for ${describe(key)} (part ${read.marker.part}), edited since hotfix posted it; hotfix does not overwrite what a person wrote: copy what you want to keep, delete that comment, then run hotfix comment again`));
      else current.push({ comment, part: read.marker.part });
    } else if (!read && comment.body.split(/\r\n?|\n/).some((line) => line.startsWith(footer))) {
      problems.push(diagnostic('HF507', `comment ${comment.url} shows hotfix's plan comment for ${describe(key)} but an edit removed its hidden marker, so hotfix cannot tell which plan it shows: delete that comment, then run hotfix comment again`));
    }
  }
  if (problems.length > 0) return { steps: [], problems };
  // The oldest comment of each part is the one readers found first: it stays, updated.
  const kept = new Map<number, ForgeComment>();
  for (const { comment, part } of [...current].sort((a, b) => a.comment.id - b.comment.id)) if (!kept.has(part)) kept.set(part, comment);
  const steps: CommentStep[] = bodies.map((body, i) => {
    const comment = kept.get(i + 1);
    return comment ? { kind: 'update', part: i + 1, comment, body } : { kind: 'create', part: i + 1, body };
  });
  const keptIds = new Set([...kept.entries()].filter(([part]) => part <= bodies.length).map(([, c]) => c.id));
  for (const { comment } of current) if (!keptIds.has(comment.id)) steps.push({ kind: 'retire', comment, body: retiredBody(comment.body) });
  const partOne = kept.get(1);
  // The same text with the line ends GitHub's editor saves is no change.
  return { steps: steps.filter((s) => s.kind !== 'update' || s.comment.body.replace(/\r\n?/g, '\n') !== s.body), problems, ...(partOne ? { partOne } : {}) };
}

export function describe(key: CommentKey): string {
  return `${key.kind} of ${key.policy} in ${key.environment}`;
}

function retiredBody(body: string): string {
  const read = readMarker(body)!;
  const text = body.replace(/\r\n?/g, '\n');
  return markedBody({ ...read.marker, state: 'retired' }, text.slice(text.indexOf('\n') + 1));
}
