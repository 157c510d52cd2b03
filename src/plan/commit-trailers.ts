import type { Override, Plan } from './types.js';

/** `Hotfix-Override: HF305 (reason)`: what every commit of a plan that lifts a rule carries, one line per override. */
export function overrideTrailers(overrides: readonly Override[] | undefined): string[] {
  return (overrides ?? []).map((o) => `Hotfix-Override: ${o.code} (${o.reason})`);
}

/**
 * `Hotfix-Plan: sha256:…`: what every commit and tag a plan makes carries (format 2), so `git
 * log --format='%(trailers:key=Hotfix-Plan)'` leads from history to the reviewed plan and its
 * journal. The plan's id sets the value aside (plan-id.ts), so a commit can carry the id of
 * the very plan that names it.
 */
export function planTrailer(planId: string): string {
  return `Hotfix-Plan: ${planId}`;
}

/**
 * What every commit of a hotfix carries besides: `Hotfix-Reason:` (`git log
 * --format='%(trailers:key=Hotfix-Reason)'` finds a hotfix's commits and why), then its
 * overrides.
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

/** The actions whose objects carry a message: the commits and the tag a plan makes. */
function hasMessage(action: Plan['actions'][number]): action is Extract<Plan['actions'][number], { kind: 'commit' | 'cherry-pick' | 'merge' | 'tag' }> {
  return action.kind === 'commit' || action.kind === 'cherry-pick' || action.kind === 'merge' || action.kind === 'tag';
}

/** The lines of a message's trailer block: its last paragraph, never the subject. */
function trailerBlock(message: string): string[] {
  const paragraphs = message.replace(/\n+$/, '').split(/\n\n+/);
  return paragraphs.length < 2 ? [] : paragraphs[paragraphs.length - 1]!.split('\n');
}

const PLAN_TRAILER = /^Hotfix-Plan: /;
const PLAN_TRAILER_VALUE = /^Hotfix-Plan: sha256:[0-9a-f]{64}$/;

/** The Hotfix-Plan values of a message's trailer block. */
export function planTrailersIn(message: string): string[] {
  return trailerBlock(message).filter((line) => PLAN_TRAILER.test(line)).map((line) => line.slice('Hotfix-Plan: '.length));
}

/** The message with its Hotfix-Plan value set to `planId`: an earlier plan's commit as this plan would make it. */
export function withPlanTrailer(message: string, planId: string): string {
  return message.replace(/^Hotfix-Plan: .*$/m, planTrailer(planId));
}

/**
 * Each commit and tag a format-2 plan makes names one plan in a Hotfix-Plan trailer: its own
 * id, or another: an earlier plan's in a commit adopted from that plan's apply, or whatever
 * an edited plan wrote. Another is hashed into the id as written (plan-id.ts), so it binds
 * no approval of another plan, and the renders say it beside the commit. The picks all do,
 * or none does (plan-id.ts: where the image tag names the hotfix head in a form the id
 * cannot set aside, and the plan says so in a note).
 */
export function planTrailerProblems(plan: Plan): string[] {
  if (Number(plan.formatVersion.split('.')[0]) < 2) return [];
  const named = (message: string) => trailerBlock(message).filter((line) => PLAN_TRAILER.test(line));
  const picksName = plan.actions.some((a) => a.kind === 'cherry-pick' && named(a.message).length > 0);
  return plan.actions.filter(hasMessage).flatMap((action) => {
    const lines = named(action.message);
    if (action.kind === 'cherry-pick' && !picksName) return [];
    return lines.length === 1 && PLAN_TRAILER_VALUE.test(lines[0]!) ? [] : [`${action.id}: its message ends with ${lines.length > 0 ? lines.join('; ') : 'no Hotfix-Plan trailer'}, where one Hotfix-Plan: sha256:… must name the plan that makes it${action.kind === 'cherry-pick' ? ', as it does on the other picks' : ''}`];
  });
}

/** `hotfix-plan :`, `HOTFIX-REASON:`: what git reads as one of ours (keys match in any case, around any spaces). */
const OURS_LOOSELY = /^\s*hotfix-(plan|reason|override)\s*:/i;
const OURS_EXACTLY = /^Hotfix-(Plan|Reason|Override): /;

/**
 * The trailers git reads must be the ones checked: where a message's last paragraph holds
 * one of ours, every line of it is a trailer (else git reads no trailer there at all), and
 * each of ours is written as these checks read it (git matches keys in any case and takes
 * `Key : value`, which they would miss).
 */
export function trailerFormProblems(plan: Plan): string[] {
  return plan.actions.filter(hasMessage).flatMap((action) => {
    const block = trailerBlock(action.message);
    if (!block.some((line) => OURS_LOOSELY.test(line))) return [];
    const odd = block.find((line) => !TRAILER_LINE.test(line) || (OURS_LOOSELY.test(line) && !OURS_EXACTLY.test(line)));
    return odd === undefined ? [] : [`${action.id}: the trailer block of its message has the line "${odd}", which is not a trailer of the form git and hotfix both read`];
  });
}
