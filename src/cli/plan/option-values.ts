import { UsageError } from 'clipanion';
import * as t from 'typanion';
import { shortRefNameProblem } from '../../policy/git-ref-name.js';
import { MAX_IMAGE_TAG } from '../../policy/template.js';

/**
 * Option values that end up in git revisions, names and commit messages are refused here,
 * as usage errors, before they reach git or a plan. Messages quote them with every control
 * character escaped, so a value cannot rewrite the terminal it is reported on.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** `--reason`, `--to`: one line of text. */
export function checkLine(option: string, value: string): string {
  if (value.trim() === '') throw new UsageError(`${option} may not be empty`);
  if (CONTROL.test(value)) throw new UsageError(`${option} ${quote(value)} contains a control character`);
  return value;
}

/** `--pick`: a commit id, or a branch or tag name; no revision syntax (`..`, `@{`, `~`, `^`, `:`). */
export function checkPick(value: string): string {
  if (/^[0-9a-f]{4,40}$/i.test(value)) return value;
  const problem = shortRefNameProblem(value);
  if (problem) throw new UsageError(`--pick ${quote(value)} is neither a commit id nor a branch or tag name: ${problem}`);
  return value;
}

/** `--version`: what `{version}` may put into an image tag, a branch and a tag name. */
export function checkVersion(value: string): string {
  const problem =
    value.length > MAX_IMAGE_TAG ? `it is ${value.length} characters long (at most ${MAX_IMAGE_TAG})`
    : !/^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/.test(value) ? 'a version is letters, digits and . _ + -, starting with a letter, digit or _'
    : value.includes('..') || value.endsWith('.') || value.endsWith('.lock') ? 'git refuses names with "..", or ending with "." or ".lock"'
    : undefined;
  if (problem) throw new UsageError(`--version ${quote(value)} is not a version: ${problem}`);
  return value;
}

/**
 * `--out`: a path, refused while the command line is parsed when empty (resolved, "" would
 * name the working directory). The message reads "Invalid value for --out: expected …".
 */
export const isFilePath = t.makeValidator<unknown, string>({
  test: (value, state): value is string => {
    if (typeof value === 'string' && value !== '') return true;
    state?.errors?.push(`.: expected a file path (got ${quote(String(value))})`);
    return false;
  },
});

/** JSON-quoted, C1 controls and DEL escaped too, cut at 80 characters. */
export function quote(value: string): string {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return JSON.stringify(shown).replace(/[\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
