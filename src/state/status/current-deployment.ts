import { HotfixError } from '../../diagnostics/errors.js';
import type { Environment } from '../../policy/types.js';
import type { ObjectReader } from '../git/read.js';
import { walkDeployments } from '../git/walk-deployments.js';
import { revisionReader } from '../revision-reader.js';
import type { Deployment } from '../types.js';

/** The commit that deployed what an environment declares now, or why it cannot be told. */
export type CurrentDeployment = { readonly deployment: Deployment } | { readonly unknown: string };

/**
 * Walks the config file's first-parent history back to where the declared value was set,
 * as a rollback plan does (walkDeployments with no earlier deployment asked for): a pull
 * request merged with --no-ff deployed when the merge landed, and a revert names what it
 * rolled back. A shallow clone or a history that never set the value is said, not fatal.
 */
export async function currentDeployment(repo: string, head: string, env: Environment, image: string, declared: string, objects: ObjectReader): Promise<CurrentDeployment> {
  const file = env.config.file;
  const revisions = revisionReader((sha) => objects.read(`${sha}:${file}`), env.config.locator, image);
  try {
    const walk = await walkDeployments({ repo, head, file, currentImage: declared, depth: 0, revisionAt: revisions.at });
    return { deployment: walk.deployments[0]! };
  } catch (error) {
    if (!(error instanceof HotfixError)) throw error;
    return { unknown: error.diagnostics.map((d) => `${d.message} [${d.code}]`).join('; ') };
  }
}
