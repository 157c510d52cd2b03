import type { Override, Plan } from './types.js';

/** `Hotfix-Override: HF305 (reason)`: what every commit of a plan that lifts a rule carries, one line per override. */
export function overrideTrailers(overrides: readonly Override[] | undefined): string[] {
  return (overrides ?? []).map((o) => `Hotfix-Override: ${o.code} (${o.reason})`);
}

/**
 * What every commit of a hotfix carries: `Hotfix-Reason:` (`git log
 * --format='%(trailers:key=Hotfix-Reason)'` finds a hotfix's commits and why), then its
 * overrides. No `Hotfix-Plan:` trailer: the plan's id hashes its body, which holds the ids
 * of these very commits, so no commit can carry it; the journal apply keeps per plan id
 * ties each commit it made to the plan.
 */
export function hotfixTrailers(reason: string, overrides: readonly Override[] | undefined): string[] {
  return [`Hotfix-Reason: ${reason}`, ...overrideTrailers(overrides)];
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
  return trailerBlock(message).filter((line) => line.startsWith('Hotfix-Override: '));
}

/**
 * A hotfix plan's commits say why in a trailer that the reviewer does not read apart from
 * the request: each must carry exactly the request's reason, or a re-sealed plan could show
 * one reason and write another into history. Messages of other plans are not checked.
 */
export function reasonTrailerProblems(plan: Plan): string[] {
  if (plan.request.kind !== 'hotfix') return [];
  const expected = `Hotfix-Reason: ${plan.request.reason}`;
  return plan.actions.flatMap((action) => {
    if (action.kind !== 'commit' && action.kind !== 'cherry-pick' && action.kind !== 'merge') return [];
    const carried = trailerBlock(action.message).filter((line) => line.startsWith('Hotfix-Reason:'));
    return carried.length === 1 && carried[0] === expected ? [] : [`${action.id}: its message ends with ${carried.length > 0 ? carried.join('; ') : 'no Hotfix-Reason trailer'}, but the plan's reason is ${plan.request.reason}`];
  });
}

/** The lines of a message's trailer block: its last paragraph, never the subject. */
function trailerBlock(message: string): string[] {
  const paragraphs = message.replace(/\n+$/, '').split(/\n\n+/);
  return paragraphs.length < 2 ? [] : paragraphs[paragraphs.length - 1]!.split('\n');
}
