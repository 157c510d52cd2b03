import { posix } from 'node:path';
import type { Environment } from '../policy/types.js';
import type { TagSelection } from '../state/types.js';

/**
 * What to render after a config commit, and what must then run: the image in the workload's
 * container when the policy names them (a cluster section), else in every container of the
 * rendered workloads that runs an image of that name.
 */
export interface RenderSpec {
  readonly dir: string;
  readonly workload?: string;
  readonly container?: string;
  readonly image: string;
}

/**
 * A kustomize render check applies wherever the config is a kustomization or the policy
 * names the directory that is deployed, with or without a cluster section: an overlay that
 * sets the image again wins over the planned change whether or not hotfix reads the
 * cluster. Pure.
 */
export function renderSpec(env: Environment, image: string): RenderSpec | undefined {
  const isKustomization = /(^|\/)kustomization\.ya?ml$/i.test(env.config.file);
  if (env.config.render === undefined && !isKustomization) return undefined;
  const dir = env.config.render ?? posix.dirname(env.config.file);
  return { dir: dir === '.' ? '' : dir, ...(env.cluster ? { workload: env.cluster.workload, container: env.cluster.container } : {}), image };
}

/** The optional `render` field of a config commit request. */
export function renderField(env: Environment, image: string): { render?: RenderSpec } {
  const render = renderSpec(env, image);
  return render ? { render } : {};
}

/**
 * After a pin written where a kustomize patch wins: the ImagePolicy each outermost
 * kustomization must then render, with the selection the pin leaves. Checked at plan time
 * by rendering again; not part of the saved plan.
 */
export interface PolicyRenderSpec {
  readonly actionId: string;
  readonly dirs: readonly string[];
  readonly namespace: string;
  readonly name: string;
  readonly selection: TagSelection;
}
