import type { Diagnostic } from './diagnostic.js';

/**
 * A failure the user can act on, carrying the findings that explain it (exit 1).
 * Usage mistakes are clipanion's `UsageError` (exit 64); anything else is a bug.
 */
export class HotfixError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    /** Exit code when it is not 1, e.g. apply stopping at a gate. */
    readonly exitCode = 1,
  ) {
    super(diagnostics.map((d) => `${d.message} [${d.code}]`).join('; '));
    this.name = 'HotfixError';
  }
}
