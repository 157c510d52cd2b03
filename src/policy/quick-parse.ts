import { FAILSAFE_SCHEMA, Type, loadAll, type State } from 'js-yaml';

/**
 * Reading policies fast, without positions. `yaml` builds a node tree with source ranges,
 * which every finding needs, but which costs about seven times what js-yaml's loader does;
 * most policies in CI have no findings, so they never need a position. This parser answers
 * only for text where it is sure to read exactly what `yaml` reads; for anything else it
 * returns `undefined` and the caller reads the file the full way.
 *
 * The same values as `yaml` (YAML 1.2, core schema), but for keys that are not strings: a
 * null key is "null" to js-yaml and "" to `yaml`, `[a, b]` is "a,b" and "[ a, b ]". Every
 * object in a policy is closed and has no such property, so these are findings either way,
 * and a file with findings is read in full.
 * Plain scalars resolve by the YAML 1.2.2
 * core schema table (spec §10.3.2), the one `yaml` uses, not js-yaml's wider CORE_SCHEMA
 * (which also takes `1_000`, `0b1`, ...). The resolution types carry a private tag, so an
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

/** Text the two parsers may read differently: directives, a carriage return alone, a comment stuck to a token. */
const NOT_SURE = /^%|\r(?!\n)|["'\]}]#/m;

/** YAML 1.2 limits an implicit key to 1024 characters; js-yaml does not check it. */
const MAX_IMPLICIT_KEY = 1024;

function hasLongLine(text: string): boolean {
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) if (end - start > MAX_IMPLICIT_KEY) return true;
  return text.length - start > MAX_IMPLICIT_KEY;
}

const PRIVATE = 'tag:hotfix.dev,2026:';

/** A plain-scalar resolution of the core schema: the spec's regular expression, then a value. */
function coreScalar(name: string, test: RegExp, construct: (text: string) => unknown): Type {
  return new Type(PRIVATE + name, { kind: 'scalar', resolve: (text: string) => test.test(text), construct });
}

// In the order `yaml` tries them (its schema/core/schema.js).
const CORE_SCALARS = [
  coreScalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
  coreScalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
  coreScalar('int-oct', /^0o[0-7]+$/, (text) => parseInt(text.slice(2), 8)),
  coreScalar('int', /^[-+]?[0-9]+$/, (text) => parseInt(text, 10)),
  coreScalar('int-hex', /^0x[0-9a-fA-F]+$/, (text) => parseInt(text.slice(2), 16)),
  coreScalar('float-nan', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) =>
    text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
  ),
  coreScalar('float-exp', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, parseFloat),
  coreScalar('float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, parseFloat),
];

const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: CORE_SCALARS });

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
  if (NOT_SURE.test(text) || text.includes('\ufeff', 1) || hasLongLine(text)) return undefined;
  try {
    return loadAll(text, undefined, { schema: SCHEMA, listener: refuseAnchors, onWarning: notSure }) as unknown[];
  } catch {
    // A syntax error, a duplicate key, deep nesting, an anchor, or a stack overflow: the
    // full parse will say which, with a position.
    return undefined;
  }
}
