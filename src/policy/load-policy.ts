import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { lintSources } from './lint.js';
import { readPolicyFile } from './read-policy-files.js';
import type { Policy } from './types.js';

export interface LoadedPolicy {
  readonly policy: Policy;
  readonly warnings: readonly Diagnostic[];
  /** Absolute path, so apply can re-check the policy from any directory. */
  readonly file: string;
  readonly sha256: string;
}

/**
 * Reads the one policy a plan command works from. Any lint error refuses it, with the same
 * findings `hotfix lint` gives; warnings are returned for the caller to show.
 */
export async function loadPolicy(path: string, cwd: string): Promise<LoadedPolicy> {
  const source = readPolicyFile(path, cwd);
  if (!('text' in source)) throw new HotfixError([source]);
  const linted = await lintSources([source], { keepPolicies: true });
  const errors = linted.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new HotfixError(errors);
  const policy = linted.policies.length === 1 ? linted.policies[0]!.policy : undefined;
  // HF107, not lint's HF106: for lint a file without a policy is worth a warning, here it
  // leaves nothing to plan from.
  if (!policy) throw new HotfixError([diagnostic('HF107', `${path} holds ${linted.policies.length} policies; a plan needs a file with exactly one`, { file: source.file })]);
  const file = resolve(cwd, path);
  const sha256 = createHash('sha256').update(await readFile(file)).digest('hex');
  return { policy, file, sha256, warnings: linted.diagnostics };
}
