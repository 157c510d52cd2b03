import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceRange } from '../diagnostics/diagnostic.js';
import { lintQuickly } from './lint-quick.js';
import type { Policy } from './types.js';

export interface SourceText {
  /** As shown to the user. */
  readonly file: string;
  readonly text: string;
  /** Named on the command line, rather than found in a directory. */
  readonly explicit: boolean;
}

export interface LintedPolicy {
  readonly name: string;
  readonly file: string;
  /** Where the name is; only files linted the full way have positions. */
  readonly range?: SourceRange;
  /** The typed policy, when it has no errors and the caller asked for it (`keepPolicies`). */
  readonly policy?: Policy;
}

/** What linting one file found. */
export interface FileLint {
  /** False for YAML found in a directory that is not a policy: it is not counted. */
  readonly relevant: boolean;
  readonly policies: readonly LintedPolicy[];
  readonly diagnostics: readonly Diagnostic[];
  /** Read the full way (lint-file.ts), with positions; else the quick way, with no findings. */
  readonly positioned: boolean;
}

export interface LintResult {
  readonly files: number;
  readonly policies: readonly LintedPolicy[];
  readonly diagnostics: readonly Diagnostic[];
}

type LintFile = (source: SourceText) => FileLint;

export interface LintOptions {
  /** Return each clean policy's typed value (a plan needs it; a lint report does not). */
  readonly keepPolicies?: boolean;
}

/**
 * Lints a set of files as one unit, so rules across files (unique names) hold. Pure apart
 * from loading code: each file is tried the quick way first, and only files that may have
 * findings are read the full way, whose parser (`yaml`) is loaded on first need.
 */
export async function lintSources(sources: readonly SourceText[], options: LintOptions = {}): Promise<LintResult> {
  let full: LintFile | undefined;
  const lintFully = async (source: SourceText) => keep((full ??= (await import('./lint-file.js')).lintFile)(source));
  // Dropped as soon as each file is done unless asked for: a thousand parsed policies kept
  // to the end would all be copied out of the young generation by the garbage collector.
  const keep = (result: FileLint): FileLint => (options.keepPolicies ? result : { ...result, policies: result.policies.map(({ policy: _, ...rest }) => rest) });

  const results: FileLint[] = [];
  for (const source of sources) {
    const quick = lintQuickly(source);
    results.push(quick ? keep(quick) : await lintFully(source));
  }

  // A duplicate name is a finding, and findings need positions.
  const duplicated = namesUsedTwice(results);
  for (let i = 0; i < results.length; i++) {
    if (!results[i]!.positioned && results[i]!.policies.some((p) => duplicated.has(p.name))) results[i] = await lintFully(sources[i]!);
  }

  const relevant = results.filter((r) => r.relevant);
  const policies = relevant.flatMap((r) => r.policies);
  const diagnostics = [...relevant.flatMap((r) => r.diagnostics), ...duplicateNames(policies)];
  return { files: relevant.length, policies, diagnostics: diagnostics.sort(compareDiagnostics) };
}

function namesUsedTwice(results: readonly FileLint[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const { name } of results.flatMap((r) => r.policies)) (seen.has(name) ? twice : seen).add(name);
  return twice;
}

function duplicateNames(policies: readonly LintedPolicy[]): Diagnostic[] {
  const first = new Map<string, LintedPolicy>();
  const out: Diagnostic[] = [];
  for (const policy of policies) {
    const earlier = first.get(policy.name);
    if (!earlier) {
      first.set(policy.name, policy);
      continue;
    }
    const at = earlier.range ? `${earlier.file}:${earlier.range.start.line}` : earlier.file;
    out.push(diagnostic('HF125', `policy name "${policy.name}" is already used at ${at}`, { file: policy.file, range: policy.range }));
  }
  return out;
}
