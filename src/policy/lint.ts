import { compareDiagnostics, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseDocuments } from './parse-documents.js';
import { isPolicyDocument, looksLikePolicy } from './policy-document.js';
import { validatePolicy } from './validate-policy.js';
import type { SourceRange } from '../diagnostics/diagnostic.js';
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
  readonly range?: SourceRange;
  /** The typed policy, when it has no errors. */
  readonly policy?: Policy;
}

export interface LintResult {
  readonly files: number;
  readonly policies: readonly LintedPolicy[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Lints a set of files as one unit, so rules across files (unique names) hold. Pure.
 * Files found by walking a directory that hold no policy are ignored; broken YAML in such
 * a file is only reported when the text looks like it meant to be a policy.
 */
export function lintSources(sources: readonly SourceText[]): LintResult {
  const diagnostics: Diagnostic[] = [];
  const policies: LintedPolicy[] = [];
  let files = 0;

  for (const source of sources) {
    const parsed = parseDocuments(source.file, source.text);
    const candidates = parsed.documents.filter((d) => isPolicyDocument(d.value));
    const relevant = source.explicit || candidates.length > 0 || looksLikePolicy(source.text);
    if (!relevant) continue;
    files++;
    diagnostics.push(...parsed.diagnostics);
    if (candidates.length === 0 && parsed.diagnostics.length === 0)
      diagnostics.push(diagnostic('HF106', 'no HotfixPolicy document in this file; nothing was checked', { file: source.file }));

    for (const document of candidates) {
      const result = validatePolicy(document.value, document.locate, source.file);
      diagnostics.push(...result.diagnostics);
      const name = (document.value as { metadata?: { name?: unknown } }).metadata?.name;
      if (typeof name === 'string') policies.push({ name, file: source.file, range: document.locate(['metadata', 'name']), ...(result.policy ? { policy: result.policy } : {}) });
    }
  }

  diagnostics.push(...duplicateNames(policies));
  return { files, policies, diagnostics: diagnostics.sort(compareDiagnostics) };
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
