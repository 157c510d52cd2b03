import { runInNewContext } from 'node:vm';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';

/**
 * Lint refuses patterns with nested repetition, but an alternation that overlaps itself
 * (`(a|a)*`) backtracks exponentially too, on a tag name anyone who can push a tag picks.
 * A script in its own context is the one place V8 lets a running match be cut off.
 */
const MATCH_TIMEOUT_MS = 2000;

/** The `version` group of `gitTagPattern` in each tag name (undefined where it does not match). */
export function tagVersions(gitTagPattern: string, tagNames: readonly string[]): Map<string, string | undefined> {
  let versions: Array<string | undefined>;
  try {
    versions = runInNewContext('const re = new RegExp(pattern); names.map((name) => re.exec(name)?.groups?.version)', { pattern: gitTagPattern, names: [...tagNames] }, { timeout: MATCH_TIMEOUT_MS });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
    throw new HotfixError([diagnostic('HF134', `app.gitTagPattern did not finish matching the ${tagNames.length} tags of the app repository within ${MATCH_TIMEOUT_MS / 1000} s: it backtracks catastrophically on some tag name`)]);
  }
  return new Map(tagNames.map((name, i) => [name, versions[i]]));
}
