import { UsageError } from 'clipanion';
import { HotfixError } from '../diagnostics/errors.js';
import { diagnosticLine } from '../render/diagnostics-text.js';
import { styleFor } from '../render/style.js';
import type { HotfixContext } from './context.js';

export const EXIT = { ok: 0, failure: 1, changes: 2, gate: 3, usage: 64 } as const;

/**
 * The three kinds of failure: a usage mistake (exit 64), a domain error with codes
 * (exit 1), and anything else, which is a bug (exit 1, stack only with --debug).
 */
export function reportFailure(error: unknown, context: HotfixContext, debug: boolean): number {
  const style = styleFor(context.stderr, context.env);
  if (error instanceof UsageError) {
    context.stderr.write(`hotfix: ${firstLine(error.message)}\n`);
    return EXIT.usage;
  }
  if (error instanceof HotfixError) {
    for (const d of error.diagnostics) context.stderr.write(diagnosticLine(d, style) + '\n');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`hotfix: internal error: ${firstLine(message)}. This is a bug; please report it with the output of --debug.\n`);
  if (debug && error instanceof Error && error.stack) context.stderr.write(error.stack + '\n');
  return EXIT.failure;
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
