import { FAILSAFE_SCHEMA, Type, loadAll, type State } from 'js-yaml';
import { nestsTooDeep } from './bounded-parse.js';

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
 * uses, not js-yaml's wider CORE_SCHEMA (which also takes `1_000`, `0b1`, ...). The
 * resolution types carry a private tag, so an explicit `!!int` is an unknown tag here and
 * falls back (tags are declined before parsing anyway). Anchors fall back too (aliases could expand without
 * bound, and `yaml` caps them), as does everything js-yaml rejects (duplicate keys, nesting
 * past 100, syntax errors) or only warns about, every construct in mayReadDifferently, and
 * text that is only comments. test/unit/quick-parse compares the two on the lint fixtures,
 * the hostile corpus, the differences found so far and generated mutations.
 */

/**
 * Text the two parsers may read differently, found by comparing them (test/unit/quick-parse
 * and reviews): each of these constructs is rare in policies, manifests and Flux objects,
 * so a file that has one is simply read the full way.
 */
function mayReadDifferently(text: string): boolean {
  return (
    // Tabs (yaml refuses them in indentation, even on blank lines; js-yaml does not), byte
    // order marks (yaml drops them anywhere, and then reads a directive after one).
    text.includes('\t') ||
    text.includes('\ufeff') ||
    // Directives (`%YAML 1.1` changes the schema) and document markers with anything
    // stuck to them (`---x` is a key to yaml, `... a` an error).
    text.startsWith('%') ||
    text.includes('\n%') ||
    text.startsWith('...') ||
    text.includes('\n...') ||
    atLineStart(text, '---', (at) => !restOfLineIsEmpty(text, at + 3)) ||
    // A carriage return alone (a line break to js-yaml, an error to yaml).
    followedBy(text, '\r', (c) => c !== '\n') ||
    // A comment stuck to a bracket, comma or quote, or to the colon after a quoted key (a
    // comment to js-yaml, an error to yaml), or at the start of a line inside a flow
    // collection that spans lines.
    precededBy(text, '#', (c) => '"\'[]{},'.includes(c)) ||
    text.includes('":#') ||
    text.includes("':#") ||
    commentInFlow(text) ||
    commentLowersIndent(text) ||
    // Tags: `!!map` on an empty value is {} to js-yaml and "" to yaml, and more such.
    precededBy(text, '!', (c) => ' \n\r[{,'.includes(c), true) ||
    // Block scalar headers with an indentation indicator or keep chomping (`|2`, `>+`), a
    // block scalar at a document's root or starting with a blank or `#` line, whose edge
    // cases differ; a `-` ending a line (an empty sequence item, which js-yaml nests
    // differently); escaped line breaks and 8-digit escapes in double quotes.
    hasOddBlockScalar(text, '|') ||
    hasOddBlockScalar(text, '>') ||
    endsLine(text, '-') ||
    text.includes('\\\n') ||
    text.includes('\\\r') ||
    text.includes('\\U') ||
    // An explicit key with nothing after it (`{?` then a line break: an error to yaml).
    endsLine(text, '?', ' \n[{,')
  );
}

/**
 * A line starting with `#` while a flow collection opened on an earlier line is still open.
 * Counting brackets outside comments over-declines a bracket inside quotes, which is fine;
 * only the text from the first bracket on is looked at, and only if a `#` line follows it.
 */
function commentInFlow(text: string): boolean {
  const brackets = [text.indexOf('['), text.indexOf('{')].filter((at) => at >= 0);
  if (brackets.length === 0) return false;
  const from = text.lastIndexOf('\n', Math.min(...brackets)) + 1;
  if (text.indexOf('\n#', from) < 0) return false;
  let depth = 0;
  for (const line of text.slice(from).split('\n')) {
    if (line.startsWith('#')) {
      if (depth > 0) return true;
      continue;
    }
    const comment = line.indexOf(' #');
    for (const c of comment >= 0 ? line.slice(0, comment) : line) {
      if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && depth > 0) depth--;
    }
  }
  return false;
}

/**
 * A comment line after which `yaml` lets a plain scalar continue onto a less indented line
 * (and so swallow the next key, an error), where js-yaml ends the scalar: a `#` followed by
 * anything but a space, or a `#` at column 0 right after a line of spaces only, lowers the
 * indentation a continuation needs to that `#`'s column (or that line's length). Declined
 * when the next line with content is indented deeper than that; this also declines some
 * files both read alike, which only costs time.
 */
function commentLowersIndent(text: string): boolean {
  // Linear in the text: only the first `#` of a line can start a comment line (any later one
  // follows content), and a run of comment lines shares the next content line.
  let content = { line: -1, indent: -1 };
  for (let at = text.indexOf('#'); at >= 0; at = text.indexOf('#', at + 1)) {
    const lowered = loweredIndent(text, at);
    if (lowered >= 0) {
      if (content.line <= at) content = nextContentLine(text, at);
      if (content.indent > lowered) return true;
    }
    at = text.indexOf('\n', at);
    if (at < 0) break;
  }
  return false;
}

/** The indentation the comment at `at` lowers a continuation to (see above), or -1 if it lowers none. */
function loweredIndent(text: string, at: number): number {
  const start = lineStart(text, at);
  if (!onlySpaces(text, start, at)) return -1; // a comment after content, or `#` inside a scalar
  const next = text[at + 1];
  if (next !== undefined && next !== ' ' && next !== '\r' && next !== '\n') return at - start;
  if (at !== start || start === 0) return -1;
  const previous = lineStart(text, start - 1);
  return onlySpaces(text, previous, start - 1) ? start - 1 - previous : -1;
}

function onlySpaces(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text[i] !== ' ') return false;
  return true;
}

/**
 * The first line after the one holding `at` that is neither blank nor a comment: its start
 * and indentation; indentation -1, and a start past the end, if there is none.
 */
function nextContentLine(text: string, at: number): { line: number; indent: number } {
  for (let end = text.indexOf('\n', at); end >= 0; end = text.indexOf('\n', end + 1)) {
    let first = end + 1;
    while (text[first] === ' ') first++;
    const c = text[first];
    if (c === undefined) break;
    if (c !== '\n' && c !== '\r' && c !== '#') return { line: end + 1, indent: first - end - 1 };
  }
  return { line: text.length + 1, indent: -1 };
}

/** A block scalar's indentation indicator: 1 to 9. */
const isIndentIndicator = (c: string | undefined) => c !== undefined && c >= '1' && c <= '9';

/** Some occurrence of `what` is followed by a character (or the end, as undefined) that `test` accepts. */
function followedBy(text: string, what: string, test: (c: string | undefined) => boolean): boolean {
  for (let at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) if (test(text[at + what.length])) return true;
  return false;
}

/** Some occurrence of `what` is preceded by a character that `test` accepts (or starts the text, if `atStart`). */
function precededBy(text: string, what: string, test: (c: string) => boolean, atStart = false): boolean {
  for (let at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) if (at === 0 ? atStart : test(text[at - 1]!)) return true;
  return false;
}

/** Some occurrence of `what` starting a line makes `test` true (given its offset). */
function atLineStart(text: string, what: string, test: (at: number) => boolean): boolean {
  if (text.startsWith(what) && test(0)) return true;
  for (let at = text.indexOf(`\n${what}`); at >= 0; at = text.indexOf(`\n${what}`, at + 1)) if (test(at + 1)) return true;
  return false;
}

/** From `from` to the end of its line there are only spaces, perhaps then a comment. */
function restOfLineIsEmpty(text: string, from: number): boolean {
  let at = from;
  while (text[at] === ' ') at++;
  const c = text[at];
  // A `#` right after the token is no comment (and reads differently: see above).
  return c === undefined || c === '\n' || c === '\r' || (c === '#' && at > from);
}

const lineStart = (text: string, at: number) => (at <= 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1);

/** Some occurrence of `what` ends a line (spaces and a comment at most after it), after the line's start or one of `after`. */
function endsLine(text: string, what: string, after = ' \n'): boolean {
  for (let at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
    const before = at === 0 ? '\n' : text[at - 1]!;
    if (after.includes(before) && restOfLineIsEmpty(text, at + what.length)) return true;
  }
  return false;
}

/**
 * `|` or `>` followed by keep chomping or an indentation indicator (`|+`, `>2`, `|-1`),
 * anywhere; or a block scalar header (`|` or `>`, perhaps with `-`, ending its line) that
 * is the first thing on its line (after `---` at most: the scalar is a document's root), or
 * whose next line is blank or starts with `#`.
 */
function hasOddBlockScalar(text: string, indicator: '|' | '>'): boolean {
  for (let at = text.indexOf(indicator); at >= 0; at = text.indexOf(indicator, at + 1)) {
    const c = text[at + 1];
    if (c === '+' || isIndentIndicator(c) || (c === '-' && isIndentIndicator(text[at + 2]))) return true;
    const end = c === '-' ? at + 2 : at + 1;
    if ((at > 0 && text[at - 1] !== ' ' && text[at - 1] !== '\n') || !restOfLineIsEmpty(text, end)) continue;
    const before = text.slice(lineStart(text, at), at);
    if (/^(?:--- +| *)$/.test(before)) return true;
    const next = text.indexOf('\n', end);
    if (next < 0) continue;
    let first = next + 1;
    while (text[first] === ' ') first++;
    if (text[first] === undefined || text[first] === '\n' || text[first] === '\r' || text[first] === '#') return true;
  }
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
  // Where `yaml` refuses a document as nested too deep, js-yaml may still read it.
  if (mayReadDifferently(text) || hasLongLine(text) || nestsTooDeep(text)) return undefined;
  try {
    const documents = loadAll(text, undefined, { schema: SCHEMA, listener: refuseAnchors, onWarning: notSure }) as unknown[];
    // Comments alone are one empty document to js-yaml and none to yaml.
    return documents.every((d) => d === null) ? undefined : documents;
  } catch {
    // A syntax error, a duplicate key, deep nesting, an anchor, or a stack overflow: the
    // full parse will say which, with a position.
    return undefined;
  }
}
