import { HotfixError } from '../../src/diagnostics/errors.js';

/** `HF207 message` lines: what a HotfixError says, as tests compare it. */
const described = (error: HotfixError) => error.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');

/** The codes and messages of the HotfixError `run` throws; another error is rethrown, none at all fails. */
export function hotfixFailure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof HotfixError) return described(error);
    throw error;
  }
  throw new Error('expected a HotfixError');
}

/** The same for a promise that should reject. */
export async function hotfixRejection(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (error) {
    if (error instanceof HotfixError) return described(error);
    throw error;
  }
  throw new Error('expected a HotfixError');
}
