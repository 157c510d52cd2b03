import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { FileLint, LintedPolicy, SourceText } from './lint.js';
import { parseDocuments } from './parse-documents.js';
import { isPolicyDocument, looksLikePolicy } from './policy-document.js';
import { validatePolicy } from './validate-policy.js';

/**
 * Lints one file the full way: `yaml`'s node tree, so every finding has a position. Pure.
 * A file found by walking a directory that holds no policy is not relevant; broken YAML in
 * such a file is only reported when the text looks like it meant to be a policy.
 */
export function lintFile(source: SourceText): FileLint {
  const parsed = parseDocuments(source.file, source.text);
  const candidates = parsed.documents.filter((d) => isPolicyDocument(d.value));
  const relevant = source.explicit || candidates.length > 0 || looksLikePolicy(source.text);
  if (!relevant) return { relevant, policies: [], diagnostics: [], positioned: true };

  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const policies: LintedPolicy[] = [];
  if (candidates.length === 0 && parsed.diagnostics.length === 0)
    diagnostics.push(diagnostic('HF106', 'no HotfixPolicy document in this file; nothing was checked', { file: source.file }));
  for (const document of candidates) {
    const result = validatePolicy(document.value, document.locate, source.file);
    for (const d of result.diagnostics) diagnostics.push(d); // not push(...): there may be more than a call takes arguments
    const name = (document.value as { metadata?: { name?: unknown } }).metadata?.name;
    if (typeof name === 'string') policies.push({ name, file: source.file, range: document.locate(['metadata', 'name']), ...(result.policy ? { policy: result.policy } : {}) });
  }
  return { relevant, policies, diagnostics, positioned: true };
}
