import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic.js';
import type { DiagnosticCode } from '../diagnostics/codes.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';

/**
 * A fresh directory under TMPDIR for throwaway work (scratch objects, a render, a
 * rehearsal). TMPDIR is the user's to set, and may be full, read-only or not a directory:
 * that is a coded error naming it, not an internal one.
 */
export async function scratchDir(prefix: string, purpose: string, code: DiagnosticCode): Promise<string> {
  const parent = tmpdir();
  try {
    return await mkdtemp(join(parent, prefix));
  } catch (error) {
    throw new HotfixError([diagnostic(code, `could not create a scratch directory for ${purpose} in ${parent} (TMPDIR): ${fsErrorWords(error)}`)]);
  }
}
