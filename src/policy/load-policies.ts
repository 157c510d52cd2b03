import { compareDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { lintSources } from './lint.js';
import { readPolicyFiles } from './read-policy-files.js';
import type { Policy } from './types.js';

export interface PolicyOfFleet {
  readonly file: string;
  readonly policy: Policy;
}

export interface LoadedFleet {
  readonly policies: readonly PolicyOfFleet[];
  /** Per file that did not load: its first error, as `hotfix lint` reports it (code, file:line:col). */
  readonly unreadable: readonly Diagnostic[];
  /** YAML files read, policies or not (for saying what a directory without a policy held). */
  readonly yamlFiles: number;
}

/**
 * The policies under a directory, found as `hotfix lint DIR` finds them. A file with a lint
 * error is left out with that error rather than refusing the rest: one broken policy in a
 * monorepo must not hide every other service's status.
 */
export async function loadPolicies(paths: readonly string[], cwd: string): Promise<LoadedFleet> {
  const read = readPolicyFiles(paths, cwd);
  const linted = await lintSources(read.sources, { keepPolicies: true });
  const errors = [...read.diagnostics, ...linted.diagnostics].filter((d) => d.severity === 'error').sort(compareDiagnostics);
  const firstError = new Map<string, Diagnostic>();
  for (const d of errors) if (!firstError.has(d.file ?? '')) firstError.set(d.file ?? '', d);
  const policies = linted.policies.filter((p) => p.policy !== undefined && !firstError.has(p.file)).map((p) => ({ file: p.file, policy: p.policy! }));
  return { policies, unreadable: [...firstError.values()], yamlFiles: read.sources.length };
}
