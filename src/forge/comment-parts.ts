import { codeSpan } from '../render/markdown-literal.js';
import { markedBody, type CommentKey } from './comment-marker.js';
import { markdownChunks } from './markdown-chunks.js';

/** GitHub refuses a longer comment body (422 "Body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** What one plan comment shows, before it is cut to the forge's size. */
export interface CommentContent {
  readonly key: CommentKey;
  /** The plan id, or `none` for a refusal. */
  readonly plan: string;
  /** The whole comment, when it fits in one. */
  readonly full: string;
  /**
   * Part 1 of a comment that does not fit: the head (title, what runs now), the findings
   * (warnings of a plan, errors of a refusal: shortened when even they do not fit, as the
   * later parts hold them all) and the tail (the summary line, the plan id, the command).
   */
  readonly lead: { readonly head: readonly string[]; readonly findings: readonly string[]; readonly more: (left: number) => string; readonly tail: readonly string[] };
  /** The pull request's head commit the comment is posted for, where the forge needs it named (GitLab): each part's footer says it. */
  readonly head?: string;
}

/** The bodies of a comment's parts, marker included, each within `limit`. Pure. */
export function commentBodies(content: CommentContent, limit = GITHUB_COMMENT_LIMIT): string[] {
  const { key, plan, head } = content;
  const overhead = Math.max(...[1, 9999].map((n) => body(key, plan, n, n, '', head).length)) + 2;
  const room = limit - overhead;
  if (content.full.length <= room) return [body(key, plan, 1, 1, content.full, head)];
  const rest = markdownChunks(content.full, room - 200);
  const parts = rest.length + 1;
  const next = `This plan is too long for one comment: the whole plan follows in parts 2 to ${parts}.`;
  const lead = fitted(content.lead, [...content.lead.tail, '', next], room);
  return [lead, ...rest.map((chunk, i) => `**Part ${i + 2} of ${parts}**: the plan, continued.\n\n${chunk}`)].map((text, i) => body(key, plan, i + 1, parts, text, head));
}

/** The start of the footer every part carries: how a comment whose marker was lost is still known (HF507). */
export function footerStart(key: CommentKey): string {
  return `<sub>hotfix plan comment for ${codeSpan(key.kind)} of ${codeSpan(key.policy)} in ${codeSpan(key.environment)}, part `;
}

function body(key: CommentKey, plan: string, part: number, parts: number, text: string, head?: string): string {
  const posted = head ? `, posted for the head ${codeSpan(head.slice(0, 12))}` : '';
  const footer = `${footerStart(key)}${part} of ${parts}${posted}. Each new plan updates it in place; an edit by hand stops that.</sub>`;
  return markedBody({ key, part, parts, plan, state: 'current' }, `${text.replace(/\n+$/, '')}\n\n${footer}\n`);
}

/** Head, as many findings as fit (then a line saying how many more), tail. */
function fitted(lead: CommentContent['lead'], tail: readonly string[], room: number): string {
  const join = (findings: readonly string[]) => [...lead.head, ...findings, ...tail].join('\n');
  if (join(lead.findings).length <= room) return join(lead.findings);
  let left = room - join([lead.more(lead.findings.length)]).length - 1;
  let kept = 0;
  while (kept < lead.findings.length && left >= lead.findings[kept]!.length + 1) left -= lead.findings[kept++]!.length + 1;
  return join([...lead.findings.slice(0, kept), lead.more(lead.findings.length - kept)]);
}
