import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { RollbackSpec } from '../../policy/types.js';
import type { Deployment } from '../../state/types.js';

/** `--to` names a deployment by tag, by whole image reference, or by the config commit that deployed it. */
export function deploymentMatches(deployment: Deployment, to: string): boolean {
  return deployment.image === to || parseImageRef(deployment.image).tag === to || (/^[0-9a-f]{7,40}$/.test(to) && deployment.commit.sha.startsWith(to));
}

const UNIT_HOURS = { h: 1, d: 24, w: 24 * 7 } as const;

/**
 * Which earlier deployment to roll back to: the one before the current one, or the one
 * `--to` names (a tag, a whole image reference, or the config commit that deployed it).
 */
export function chooseTarget(
  deployments: readonly Deployment[],
  rules: RollbackSpec,
  to: string | undefined,
  now: string,
  historyComplete: boolean,
): { index: number } | { error: Diagnostic } {
  const matches = (d: Deployment) => to !== undefined && deploymentMatches(d, to);
  const current = deployments[0];
  if (!current) return { error: diagnostic('HF208', 'no deployment found in the config file\'s history') };
  if (to !== undefined && matches(current)) return { error: diagnostic('HF307', `${to} is what is deployed now (${current.image})`) };

  const index = to === undefined ? 1 : deployments.findIndex(matches);
  if (index < 1 || index >= deployments.length) {
    const searched = historyComplete ? 'in the whole history' : `in the ${deployments.length} most recent deployments`;
    return { error: diagnostic('HF306', to === undefined ? `no earlier deployment of the image ${searched}` : `${to} was never deployed here ${searched}`) };
  }
  if (rules.maxSteps !== undefined && index > rules.maxSteps)
    return { error: diagnostic('HF304', `${deployments[index]!.image} is ${index} deployments back; rollback.maxSteps allows ${rules.maxSteps}`) };

  if (rules.maxAge !== undefined) {
    const hours = Number(rules.maxAge.slice(0, -1)) * UNIT_HOURS[rules.maxAge.slice(-1) as keyof typeof UNIT_HOURS];
    const deployedAt = Date.parse(deployments[index]!.commit.committer.date);
    if (Date.parse(now) - deployedAt > hours * 3600_000)
      return { error: diagnostic('HF305', `${deployments[index]!.image} was deployed ${deployments[index]!.commit.committer.date}, longer ago than rollback.maxAge ${rules.maxAge}`) };
  }
  return { index };
}
