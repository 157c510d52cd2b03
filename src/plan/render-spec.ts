import { posix } from 'node:path';
import type { Environment } from '../policy/types.js';
import type { TagSelection } from '../state/types.js';

/** What to render after a config commit, and what the workload must then run. */
export interface RenderSpec {
  readonly dir: string;
  readonly workload: string;
  readonly container: string;
  readonly image: string;
}

/**
 * A kustomize render check applies where the config is a kustomization (or the policy names
 * the directory that is deployed) and the policy says which workload runs the image. Pure.
 */
export function renderSpec(env: Environment, image: string): RenderSpec | undefined {
  const isKustomization = /(^|\/)kustomization\.ya?ml$/i.test(env.config.file);
  if (!env.cluster || (env.config.render === undefined && !isKustomization)) return undefined;
  const dir = env.config.render ?? posix.dirname(env.config.file);
  return { dir: dir === '.' ? '' : dir, workload: env.cluster.workload, container: env.cluster.container, image };
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
