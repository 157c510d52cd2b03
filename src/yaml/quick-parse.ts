import { FAILSAFE_SCHEMA, Type, loadAll, type State } from 'js-yaml';

/**
 * Reading YAML values fast, without positions. `yaml` builds a node tree with source
 * ranges, which every finding and every edit needs, but which costs about seven times what
 * js-yaml's loader does; a clean policy, a Flux object or kubectl's output only needs its
 * values. This parser answers only for text where it is sure to read exactly what `yaml`
 * reads; for anything else it returns `undefined` and the caller reads the text with `yaml`.
 *
 * The same values as `yaml` (YAML 1.2, core schema), but for keys that are not strings: a
 * null key is "null" to js-yaml and "" to `yaml`, `[a, b]` is "a,b" and "[ a, b ]". Every
 * object in a policy is closed and has no such property, so these are findings either way,
 * and a file with findings is read in full; a Flux object or a manifest has no such keys
 * among the ones read.
 *
 * Plain scalars resolve by the YAML 1.2.2 core schema table (spec §10.3.2), the one `yaml`
 * uses, not js-yaml's wider CORE_SCHEMA (which also takes `1_000`, `0b1`, ...). The resolution types carry a private tag, so an
 * explicit `!!int`, whose meaning differs between the two libraries in corner cases, is an
 * unknown tag here and falls back. Anchors fall back too (aliases could expand without
 * bound, and `yaml` caps them), as do `%` directives (`%YAML 1.1` changes the schema), a
 * carriage return alone (a line break to js-yaml, an error to `yaml`), a `#` right after a
 * closing bracket or quote (a comment to js-yaml, an error to `yaml`), a byte order mark
 * other than the first character (`yaml` drops it, js-yaml reads it), lines longer than
 * an implicit key may be (1024 characters, which `yaml` enforces), and everything
 * js-yaml rejects (duplicate keys, nesting past 100, syntax errors). test/unit/quick-parse
 * compares the two on the lint fixtures, the hostile corpus and generated mutations.
 */

/**
 * Text the two parsers may read differently: a directive (`%` starting a line), a carriage
 * return alone, a comment stuck to a closing bracket or quote, a byte order mark after the
 * start. Plain searches for the rare characters first: a regular expression over every
 * file costs more than the rest of these checks together.
 */
function mayReadDifferently(text: string): boolean {
  if (text.startsWith('%') || text.includes('\n%') || text.includes('\ufeff', 1)) return true;
  for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) if (text[at + 1] !== '\n') return true;
  for (let at = text.indexOf('#', 1); at >= 0; at = text.indexOf('#', at + 1)) if ('"\']}'.includes(text[at - 1]!)) return true;
  return false;
}

/** YAML 1.2 limits an implicit key to 1024 characters; js-yaml does not check it. */
const MAX_IMPLICIT_KEY = 1024;

function hasLongLine(text: string): boolean {
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) if (end - start > MAX_IMPLICIT_KEY) return true;
  return text.length - start > MAX_IMPLICIT_KEY;
}

/** The core schema's plain-scalar resolutions: the spec's regular expression, then a value. */
type Resolution = readonly [test: RegExp, construct: (text: string) => unknown];

// In the order `yaml` tries them (its schema/core/schema.js).
const CORE_SCALARS: readonly Resolution[] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'],
  [/^0o[0-7]+$/, (text) => parseInt(text.slice(2), 8)],
  [/^[-+]?[0-9]+$/, (text) => parseInt(text, 10)],
  [/^0x[0-9a-fA-F]+$/, (text) => parseInt(text.slice(2), 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) => (text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat],
];

/** Every pattern above starts with one of these (or matches the empty string): most plain scalars are names, and stop here. */
const MAY_RESOLVE = /^[-+.0-9~nNtTfF]|^$/;

const resolution = (text: string) => (MAY_RESOLVE.test(text) ? CORE_SCALARS.find(([test]) => test.test(text)) : undefined);

/** One type for all of them, under a private tag (see above). */
const CORE_SCALAR = new Type('tag:hotfix.dev,2026:core-scalar', {
  kind: 'scalar',
  resolve: (text: string) => resolution(text) !== undefined,
  construct: (text: string) => resolution(text)![1](text),
});

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [CORE_SCALAR] });

/** Thrown from the parse listener to stop at the first anchor. */
class NotSure extends Error {}

function refuseAnchors(event: string, state: State): void {
  if (event === 'close' && (state as State & { anchor: string | null }).anchor !== null) throw new NotSure();
}

/**
 * js-yaml warns, and reads on, where `yaml` stops with an error: a flow scalar indented
 * less than its parent (`deficient indentation`), Unicode line breaks, unknown directives.
 */
function notSure(): never {
  throw new NotSure();
}

/** Every document of the text, as `yaml`'s `toJS` would give them; `undefined` when unsure. */
export function quickParse(text: string): unknown[] | undefined {
  if (mayReadDifferently(text) || hasLongLine(text)) return undefined;
  try {
    return loadAll(text, undefined, { schema: SCHEMA, listener: refuseAnchors, onWarning: notSure }) as unknown[];
  } catch {
    // A syntax error, a duplicate key, deep nesting, an anchor, or a stack overflow: the
    // full parse will say which, with a position.
    return undefined;
  }
}
