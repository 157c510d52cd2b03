import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { RollbackSpec } from '../../policy/types.js';
import type { Deployment, HistoryWalkEnd } from '../../state/types.js';
import { overridable } from '../overrides.js';

/** `--to` names a deployment by tag, by whole image reference, or by the config commit that deployed it. */
export function deploymentMatches(deployment: Deployment, to: string): boolean {
  return deployment.image === to || parseImageRef(deployment.image).tag === to || (/^[0-9a-f]{7,40}$/.test(to) && deployment.commit.sha.startsWith(to));
}

/**
 * What a deployment `--to` names must have written into the config file: its tag, or the
 * digest of an image named by digest; undefined where `to` may be a commit id.
 */
export function writtenFor(to: string): string | undefined {
  if (/^[0-9a-f]{7,40}$/.test(to)) return undefined;
  if (!/[:@/]/.test(to)) return to;
  const ref = parseImageRef(to);
  return ref.tag ?? ref.digest;
}

/**
 * Whether "the previous deployment" may be this one: not one a rollback removed (going back
 * to it would re-deploy the image that rollback took away), and not one that deployed what
 * runs now (a rollback to it changes nothing).
 */
export function isRollbackCandidate(deployment: Deployment, currentImage: string): boolean {
  return deployment.rolledBackBy === undefined && deployment.image !== currentImage;
}

/** When a deployment reached the branch: the merge that brought it in, or its own commit. */
export function deployedAt(deployment: Deployment): string {
  return (deployment.landed ?? deployment.commit).committer.date;
}

const UNIT_HOURS = { h: 1, d: 24, w: 24 * 7 } as const;

/**
 * Which earlier deployment to roll back to: the latest candidate before the current one, or
 * the one `--to` names (a tag, a whole image reference, or the config commit that deployed it).
 * The policy's limits (maxSteps, maxAge) come back as overridable errors among the diagnostics.
 */
export function chooseTarget(
  deployments: readonly Deployment[],
  rules: RollbackSpec,
  to: string | undefined,
  now: string,
  history: { readonly complete: boolean; readonly end?: HistoryWalkEnd },
): { index: number; diagnostics: Diagnostic[] } | { error: Diagnostic } {
  const current = deployments[0];
  if (!current) return { error: diagnostic('HF208', 'no deployment found in the config file\'s history') };
  const candidate = (d: Deployment) => isRollbackCandidate(d, current.image);
  if (to !== undefined && deploymentMatches(current, to)) return { error: diagnostic('HF307', `${to} is what is deployed now (${current.image})`) };

  const index = to === undefined ? deployments.findIndex((d, i) => i > 0 && candidate(d)) : deployments.findIndex((d, i) => i > 0 && deploymentMatches(d, to));
  if (index < 1) {
    const passed = deployments.slice(1).filter((d) => !candidate(d)).length;
    const skipped = to === undefined && passed > 0 ? ` (${passed} passed over: rolled back since, or deploying what runs now)` : '';
    const searched = `${searchedWords(deployments.length, history)}${skipped}`;
    return { error: diagnostic('HF306', to === undefined ? `no earlier deployment of the image to roll back to ${searched}` : `${to} was never deployed here ${searched}`) };
  }
  const target = deployments[index]!;
  const diagnostics: Diagnostic[] = [];
  if (target.rolledBackBy !== undefined)
    diagnostics.push(diagnostic('HF361', `${target.image} (deployed by ${target.commit.sha.slice(0, 7)}) was rolled back by ${target.rolledBackBy.slice(0, 7)}; the plan goes back to it because --to names it`));

  const steps = deployments.slice(1, index + 1).filter((d, i) => candidate(d) || i === index - 1).length;
  if (rules.maxSteps !== undefined && steps > rules.maxSteps)
    diagnostics.push(overridable(diagnostic('HF304', `${target.image} is ${steps} deployments back; rollback.maxSteps allows ${rules.maxSteps}`)));

  if (rules.maxAge !== undefined) {
    const hours = Number(rules.maxAge.slice(0, -1)) * UNIT_HOURS[rules.maxAge.slice(-1) as keyof typeof UNIT_HOURS];
    const at = deployedAt(target);
    if (Date.parse(now) - Date.parse(at) > hours * 3600_000)
      diagnostics.push(overridable(diagnostic('HF305', `${target.image} was deployed ${at}${target.landed ? ` (merged by ${target.landed.sha.slice(0, 7)})` : ''}, longer ago than rollback.maxAge ${rules.maxAge}`)));
  }
  return { index, diagnostics };
}

/** How far the history walk looked, in words: never "the whole history" when it stopped early. */
function searchedWords(read: number, history: { readonly complete: boolean; readonly end?: HistoryWalkEnd }): string {
  const end = history.end;
  if (!end) return history.complete ? 'in the whole history' : `in the ${read} most recent deployments`;
  if (end.kind === 'limit') return `in the ${read} most recent deployments`;
  if (end.kind === 'not-declared') return `since the file began to declare the image (at ${end.commit!.slice(0, 7)}; before it the file declared none)`;
  return `in the whole history of the file (back to ${end.commit!.slice(0, 7)})`;
}
