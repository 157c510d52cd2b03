import { UsageError } from 'clipanion';
import { countBySeverity, diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fsCallWords, fsErrorWords, startFailureWords } from '../diagnostics/fs-error-words.js';
import { diagnosticLine } from '../render/diagnostics-text.js';
import { styleFor } from '../render/style.js';
import { VERSION } from '../version.js';
import type { HotfixContext } from './context.js';

export const EXIT = { ok: 0, failure: 1, changes: 2, gate: 3, mergeBackLeft: 4, usage: 64 } as const;

/** Versioned like lint's JSON report, whose `diagnostics` this document shares. */
export const FAILURE_FORMAT_VERSION = '1.0';

export interface FailureOptions {
  readonly debug: boolean;
  /** The code of a file-system error no closer code caught: HF224, or HF422 for apply. */
  readonly fileErrorCode?: 'HF224' | 'HF422';
  /** `--format json`: findings go to stdout as a JSON document, as `lint --format json` gives them. */
  readonly json: boolean;
  /** `--format markdown`: findings go to stdout as a PR comment too, so CI never posts an empty one. */
  readonly markdown?: boolean;
}

/**
 * The three kinds of failure: a usage mistake (exit 64), a domain error with codes
 * (exit 1), and anything else, which is a bug (exit 1, stack only with --debug).
 * Usage mistakes and bugs stay text on stderr in every format: they carry no code, and a
 * usage mistake may be found before the format is known.
 */
export async function reportFailure(error: unknown, context: HotfixContext, options: FailureOptions): Promise<number> {
  const { debug, json, markdown } = options;
  const osError = osFailure(error, options.fileErrorCode ?? 'HF224');
  if (osError) return reportFailure(osError, context, options);
  const style = styleFor(context.stderr, context.env);
  if (error instanceof UsageError) {
    context.stderr.write(`hotfix: ${firstLine(error.message)}\n`);
    return EXIT.usage;
  }
  if (error instanceof HotfixError) {
    if (json) context.stdout.write(failureJson(error.diagnostics));
    else for (const d of error.diagnostics) context.stderr.write(diagnosticLine(d, style) + '\n');
    if (markdown) context.stdout.write((await import('../render/markdown-findings.js')).renderFindingsMarkdown(error.diagnostics));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.stderr.write(`hotfix: internal error: ${firstLine(message)}. This is a bug; please report it with the output of --debug.\n`);
  if (debug && error instanceof Error && error.stack) context.stderr.write(error.stack + '\n');
  return EXIT.failure;
}

/**
 * The net under the places that name their own files: an OS error that gets this far still
 * names its file (`path`) or its program (`spawn git`), so it is the user's to fix (a full
 * disk, a file where a directory must be, git missing), not a bug to report.
 */
function osFailure(error: unknown, fileErrorCode: 'HF224' | 'HF422'): HotfixError | undefined {
  if (!(error instanceof Error) || error instanceof HotfixError) return undefined;
  const { code, syscall, path, dest } = error as NodeJS.ErrnoException & { dest?: string };
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code) || typeof syscall !== 'string') return undefined;
  if (syscall.startsWith('spawn')) return new HotfixError([diagnostic('HF225', startFailureWords(error, path ?? (syscall.slice('spawn '.length) || 'a program')))]);
  if (path === undefined) return undefined;
  return new HotfixError([diagnostic(fileErrorCode, `could not ${fsCallWords(syscall)} ${path}${dest !== undefined ? ` to ${dest}` : ''}: ${fsErrorWords(error)}`)]);
}

/** The findings that stopped a command, in the shape of lint's JSON report (summary, diagnostics). */
export function failureJson(diagnostics: readonly Diagnostic[]): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const body = { formatVersion: FAILURE_FORMAT_VERSION, tool: { name: 'hotfix', version: VERSION }, summary: { errors, warnings }, diagnostics };
  return JSON.stringify(body, null, 2) + '\n';
}

export function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
