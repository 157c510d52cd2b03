import type { Override } from './types.js';

/** `Hotfix-Override: HF305 (reason)`: what every commit of a plan that lifts a rule carries, one line per override. */
export function overrideTrailers(overrides: readonly Override[] | undefined): string[] {
  return (overrides ?? []).map((o) => `Hotfix-Override: ${o.code} (${o.reason})`);
}

// git interpret-trailers: `Token: value` lines, and the line cherry-pick -x adds, which git
// counts as its own trailer.
const TRAILER_LINE = /^[A-Za-z0-9][A-Za-z0-9-]*: |^\(cherry picked from commit [0-9a-f]+\)$/;

/**
 * The message with `trailers` as its last lines, where `git log --format=%(trailers)` reads
 * them: added to the last paragraph when that is already a trailer block (git reads only the
 * last paragraph, and the subject never), else as a paragraph of their own. Pure.
 */
export function withTrailers(message: string, trailers: readonly string[]): string {
  if (trailers.length === 0) return message;
  const body = message.replace(/\n+$/, '');
  const paragraphs = body.split(/\n\n+/);
  const block = paragraphs.length > 1 && paragraphs[paragraphs.length - 1]!.split('\n').every((line) => TRAILER_LINE.test(line));
  return `${body}${block ? '\n' : '\n\n'}${trailers.join('\n')}\n`;
}

/** The Hotfix-Override lines of a message's trailer block (its last paragraph, never the subject). */
export function overrideTrailersIn(message: string): string[] {
  const paragraphs = message.replace(/\n+$/, '').split(/\n\n+/);
  if (paragraphs.length < 2) return [];
  return paragraphs[paragraphs.length - 1]!.split('\n').filter((line) => line.startsWith('Hotfix-Override: '));
}
