import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LintResult } from './lint.js';

/**
 * `lint --require-policy`'s finding for a run that read no policy, or none. Without it a CI
 * job whose path is mistyped, or names a directory of other YAML, passes having checked
 * nothing. Pure.
 */
export function missingPolicy(paths: readonly string[], yamlFiles: number, result: LintResult): Diagnostic | undefined {
  if (result.policies.length > 0) return undefined;
  const where = paths.map((p) => JSON.stringify(p)).join(', ');
  const read = yamlFiles === 0 ? 'no YAML file was read there' : `${yamlFiles === 1 ? 'the 1 YAML file' : `none of the ${yamlFiles} YAML files`} read there ${yamlFiles === 1 ? 'is not' : 'is'} a policy`;
  return diagnostic('HF138', `no HotfixPolicy document found in ${where}: ${read}; --require-policy asks for at least one`);
}
