import type { FileLint, LintedPolicy, SourceText } from './lint.js';
import { isPolicyDocument, looksLikePolicy } from './policy-document.js';
import { quickParse } from '../yaml/quick-parse.js';
import { cleanPolicy } from './validate-policy.js';

/**
 * Lints one file the quick way (see quick-parse.ts), which can only say "no findings":
 * `undefined` means there may be findings, and the file must be linted in full for their
 * positions. Pure. The same relevance rule as the full way, on the same values.
 */
export function lintQuickly(source: SourceText): FileLint | undefined {
  const documents = quickParse(source.text);
  if (!documents) return undefined;
  const candidates = documents.filter(isPolicyDocument);
  const relevant = source.explicit || candidates.length > 0 || looksLikePolicy(source.text);
  if (!relevant) return { relevant, policies: [], diagnostics: [], positioned: false };
  if (candidates.length === 0) return undefined; // HF106, with its wording, comes from the full way

  const policies: LintedPolicy[] = [];
  for (const value of candidates) {
    const policy = cleanPolicy(value);
    if (!policy) return undefined;
    policies.push({ name: policy.metadata.name, file: source.file, policy });
  }
  return { relevant, policies, diagnostics: [], positioned: false };
}
