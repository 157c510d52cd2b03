// fast-check generators of config files as TEXT, built from a generated tree so that every
// scalar's path, value and byte span, every collection and every comment is known.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument, type ToJSOptions } from 'yaml';

export type ScalarValue = string | number | boolean | null;
export type Json = ScalarValue | Json[] | { [key: string]: Json };

// ---- the tree -------------------------------------------------------------------------

interface ScalarNode {
  readonly kind: 'scalar';
  readonly value: ScalarValue;
  /** The source text, in a style chosen among those that read back as the value. */
  readonly text: string;
}
/** A `|` block scalar; its value is the lines joined, with one final line break. */
interface LiteralNode {
  readonly kind: 'literal';
  readonly lines: readonly string[];
}
interface MapNode {
  readonly kind: 'map';
  readonly flow: boolean;
  readonly entries: readonly Entry[];
  readonly after: readonly Decoration[];
}
interface SeqNode {
  readonly kind: 'seq';
  readonly flow: boolean;
  /** Under a mapping key, `- item` at the key's own indentation. */
  readonly indentless: boolean;
  readonly items: readonly Item[];
  readonly after: readonly Decoration[];
}
type YamlNode = ScalarNode | LiteralNode | MapNode | SeqNode;
interface Item {
  readonly value: YamlNode;
  /** A trailing `# …` on the item's line (block context only). */
  readonly comment: string | null;
  /** Blank lines and full-line comments before the item. */
  readonly before: readonly Decoration[];
}
interface Entry extends Item {
  readonly key: string;
  readonly keyText: string;
}
const entryOf = (item: Item): Entry | undefined => ('key' in item ? (item as Entry) : undefined);
type Decoration = { readonly kind: 'blank' } | { readonly kind: 'comment'; readonly text: string; readonly atColumnZero: boolean };
interface YamlDocument {
  readonly root: YamlNode;
  readonly header: readonly Decoration[];
  readonly step: number;
}
interface YamlStream {
  readonly documents: readonly YamlDocument[];
  readonly explicitStart: boolean;
  readonly crlf: boolean;
  readonly finalNewline: boolean;
}

// ---- what a rendered file tells its tests --------------------------------------------

export interface ScalarSite {
  readonly document: number;
  /** JSON pointer tokens from the document's root. */
  readonly tokens: readonly string[];
  readonly value: ScalarValue;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly inFlow: boolean;
}
export interface CollectionSite {
  readonly document: number;
  readonly tokens: readonly string[];
  readonly kind: 'map' | 'seq';
  readonly flow: boolean;
  /** Starts on its parent's dash line (`- key: v`, `- - v`). */
  readonly compact: boolean;
  /** A mapping's keys; a sequence's indexes. */
  readonly keys: readonly string[];
}
export interface GeneratedFile {
  readonly text: string;
  /** Each document's value and the span of its bytes (between its `---` and the next). */
  readonly documents: readonly { readonly value: Json; readonly start: number; readonly end: number }[];
  readonly scalars: readonly ScalarSite[];
  readonly collections: readonly CollectionSite[];
  /** Every comment, in order; each is numbered, so it occurs once. */
  readonly comments: readonly string[];
  /**
   * Some value in an indented block ends in a comment: an empty `key:  # c`, or a nested block
   * whose last line is a comment indented like its entries (a known bug's trigger).
   */
  readonly nestedValueEndsInComment: boolean;
}

// ---- scalars --------------------------------------------------------------------------

/** Strings a config holds that YAML would read as something else when plain, or not at all. */
const awkwardStrings = ['yes', 'no', 'on', 'off', 'true', 'False', 'null', '~', '1.10', '010', '0x1F', '1e3', '.inf', 'a: b', '#x', 'x #y', '', ' ', ' padded', 'trail ', "it's", 'say "hi"', 'a, b', '[x]', '{y}', '- item', '*ref', '&anc', '!tag', '%dir', '@at', '`cmd`', '? q', '|', '>', '---', '...', 'end:', ':start', 'a\\b', 'tab\there', 'line\nbreak', 'café', '日本語', '🐳'];
const realisticStrings = ['v1.2.3', 'nginx', 'api', 'IfNotPresent', 'registry.example.com:5000/team/api:1.4.2', `sha256:${'ab'.repeat(32)}`, 'ghcr.io/acme/web', '1.25-alpine', 'production', 'http://api:8080/path?q=1'];

export const stringValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...realisticStrings), weight: 3 },
  { arbitrary: fc.constantFrom(...awkwardStrings), weight: 3 },
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 6, unit: 'grapheme' }),
);
/** Values that read as themselves written plain anywhere, flow collections included: image tags. */
export const plainTag: fc.Arbitrary<string> = fc.stringMatching(/^(v[0-9]{1,2}(\.[0-9]{1,2}){0,2}|[a-z]{2,6}-[0-9a-f]{7})$/);
// -0 and non-finite numbers have no YAML spelling that reads back as them.
export const numberValue: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)));
export const scalarValue: fc.Arbitrary<ScalarValue> = fc.oneof({ arbitrary: stringValue, weight: 5 }, numberValue, fc.boolean(), fc.constant(null));

type Context = 'block' | 'flow';

const unreadable = Symbol('unreadable');

/** The value of a small YAML text, or `unreadable` when it has errors, warnings or an unset alias. */
function read(text: string, options: ToJSOptions = {}): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return unreadable;
  try {
    return doc.toJS(options);
  } catch {
    return unreadable;
  }
}

/** Whether the text, standing as a value in the context, reads as exactly this value. */
function readsAs(text: string, value: unknown, context: Context): boolean {
  if (context === 'block') return isDeepStrictEqual(read(`k: ${text}\n`), { k: value });
  return isDeepStrictEqual(read(`[${text}]`), [value]) && isDeepStrictEqual(read(`{k: ${text}}`), { k: value });
}

/** The ways a value can be spelled: canonical first, then other styles YAML also reads as it. */
function spellings(value: ScalarValue): string[] {
  if (typeof value === 'string') return [value, `'${value.replace(/'/g, "''")}'`, JSON.stringify(value)];
  if (typeof value === 'number') return Number.isInteger(value) ? [String(value), `${value}.0`, value >= 0 ? `0x${value.toString(16)}` : String(value)] : [String(value)];
  if (typeof value === 'boolean') return [String(value), String(value).toUpperCase(), value ? 'True' : 'False'];
  return ['null', '~', 'Null', ''];
}

function scalarNode(context: Context): fc.Arbitrary<ScalarNode> {
  return fc.tuple(scalarValue, fc.nat()).map(([value, pick]) => {
    // Empty reads as null in a block, but in a flow collection it is no item at all.
    const texts = spellings(value).filter((text) => text !== '' || context === 'block').filter((text) => readsAs(text, value, context));
    return { kind: 'scalar', value, text: texts[pick % texts.length]! };
  });
}

const literalNode: fc.Arbitrary<LiteralNode> = fc
  .array(fc.stringMatching(/^[a-z0-9][a-z0-9=:#.\-]{0,8}( [a-z0-9=:#.\-]{1,8}){0,3}$/), { minLength: 1, maxLength: 3 })
  .map((lines) => ({ kind: 'literal', lines }));

// ---- keys, comments, layout -----------------------------------------------------------

const keyNames = ['image', 'tag', 'name', 'newTag', 'digest', 'repository', 'replicas', 'enabled', 'port', 'env', 'value', 'labels', 'spec', 'containers', 'app.kubernetes.io/name', 'a/b', 'x~y', '~1', 'yes', 'on', '1', 'true', 'null', 'with space', 'a: b', '#x', ''];
export const keyName: fc.Arbitrary<string> = fc.oneof({ arbitrary: fc.constantFrom(...keyNames), weight: 6 }, fc.string({ maxLength: 8 }));

/**
 * One of the spellings of the key that read back as this very string (double quotes always
 * do): a plain `1`, `true` or empty key would be a number, a boolean or null.
 */
function keyText(key: string, context: Context, pick: number): string {
  const texts = [key, `'${key.replace(/'/g, "''")}'`, JSON.stringify(key)].filter((text) => isDeepStrictEqual(read(context === 'block' ? `${text}: x\n` : `{${text}: x}`, { mapAsMap: true }), new Map([[key, 'x']])));
  return texts[pick % texts.length] ?? JSON.stringify(key);
}

const commentText = fc.oneof(
  { arbitrary: fc.constantFrom('TODO: bump', '{"$imagepolicy": "flux-system:api"}', 'pinned', 'see #123', "don't touch", 'x: y', '- not an item', '"quoted"'), weight: 3 },
  fc.string({ maxLength: 10 }),
  fc.string({ maxLength: 5, unit: 'grapheme' }).filter((text) => !/[\r\n\x85\u2028\u2029]/.test(text)),
);
const decoration: fc.Arbitrary<Decoration> = fc.oneof(
  fc.constant({ kind: 'blank' } as const),
  fc.record({ kind: fc.constant('comment' as const), text: commentText, atColumnZero: fc.boolean() }),
);
// Most entries stand alone; some have a blank line or a comment above them.
const decorations = fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, fc.array(decoration, { minLength: 1, maxLength: 2 }));
const trailingComment = fc.option(commentText, { freq: 4 });

/** Comments and blank lines go around block items only: flow collections stay on one line. */
function item(value: fc.Arbitrary<YamlNode>, context: Context): fc.Arbitrary<Item> {
  if (context === 'flow') return fc.record({ value, comment: fc.constant(null), before: fc.constant([]) });
  return fc.record({ value, comment: trailingComment, before: decorations });
}

function entries(value: fc.Arbitrary<YamlNode>, context: Context, minLength: number, maxLength: number): fc.Arbitrary<Entry[]> {
  const entry = fc.tuple(keyName, fc.nat(), item(value, context)).map(([key, pick, rest]) => ({ ...rest, key, keyText: keyText(key, context, pick) }));
  return fc.uniqueArray(entry, { minLength, maxLength, selector: (e) => e.key });
}

// ---- nodes ----------------------------------------------------------------------------

function flowNode(depth: number): fc.Arbitrary<YamlNode> {
  if (depth === 0) return scalarNode('flow');
  const child = flowNode(depth - 1);
  return fc.oneof(
    { arbitrary: scalarNode('flow'), weight: 3 },
    fc.record({ kind: fc.constant('map' as const), flow: fc.constant(true), entries: entries(child, 'flow', 0, 3), after: fc.constant([]) }),
    fc.record({ kind: fc.constant('seq' as const), flow: fc.constant(true), indentless: fc.constant(false), items: fc.array(item(child, 'flow'), { maxLength: 3 }), after: fc.constant([]) }),
  );
}

function blockNode(depth: number): fc.Arbitrary<YamlNode> {
  const leaves = [{ arbitrary: scalarNode('block'), weight: 6 }, { arbitrary: flowNode(2), weight: 1 }, { arbitrary: literalNode as fc.Arbitrary<YamlNode>, weight: 1 }];
  if (depth === 0) return fc.oneof(...leaves);
  return fc.oneof(...leaves, { arbitrary: blockMap(depth - 1), weight: 3 }, { arbitrary: blockSeq(depth - 1), weight: 2 });
}

function blockMap(depth: number): fc.Arbitrary<MapNode> {
  return fc.record({ kind: fc.constant('map' as const), flow: fc.constant(false), entries: entries(blockNode(depth), 'block', 1, 4), after: decorations });
}

function blockSeq(depth: number): fc.Arbitrary<SeqNode> {
  return fc.record({ kind: fc.constant('seq' as const), flow: fc.constant(false), indentless: fc.boolean(), items: fc.array(item(blockNode(depth), 'block'), { minLength: 1, maxLength: 3 }), after: decorations });
}

const yamlDocument: fc.Arbitrary<YamlDocument> = fc.record({
  root: fc.oneof({ arbitrary: blockMap(3), weight: 6 }, { arbitrary: blockSeq(2), weight: 1 }, { arbitrary: flowNode(2).filter((node) => node.kind !== 'scalar'), weight: 1 }),
  header: decorations,
  step: fc.constantFrom(2, 4),
});

const yamlStream: fc.Arbitrary<YamlStream> = fc.record({
  documents: fc.oneof({ arbitrary: fc.array(yamlDocument, { minLength: 1, maxLength: 1 }), weight: 3 }, fc.array(yamlDocument, { minLength: 2, maxLength: 3 })),
  explicitStart: fc.boolean(),
  crlf: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, fc.constant(true)),
  finalNewline: fc.oneof({ arbitrary: fc.constant(true), weight: 6 }, fc.constant(false)),
});

/** A YAML config file: block and flow collections, every scalar style, comments, CRLF, `---`. */
export const yamlFile: fc.Arbitrary<GeneratedFile> = yamlStream.map(render);

// ---- rendering ------------------------------------------------------------------------

function valueOf(node: YamlNode): Json {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'literal') return `${node.lines.join('\n')}\n`;
  if (node.kind === 'seq') return node.items.map((i) => valueOf(i.value));
  return Object.fromEntries(node.entries.map((e) => [e.key, valueOf(e.value)]));
}

/** Writes the tree out, noting where each scalar, collection and comment lands. */
class Writer {
  text = '';
  document = 0;
  literalEnd = -1;
  nestedValueEndsInComment = false;
  readonly scalars: ScalarSite[] = [];
  readonly collections: CollectionSite[] = [];
  readonly comments: string[] = [];

  constructor(
    readonly eol: string,
    public step = 2,
  ) {}

  write(text: string): void {
    this.text += text;
  }

  decorations(lines: readonly Decoration[], indent: number): void {
    for (const line of lines) {
      if (line.kind === 'comment') this.write(`${line.atColumnZero ? '' : ' '.repeat(indent)}${this.comment(line.text)}`);
      this.write(this.eol);
    }
  }

  comment(text: string): string {
    const numbered = `# ${text} [c${this.comments.length}]`;
    this.comments.push(numbered);
    return numbered;
  }

  collection(node: MapNode | SeqNode, tokens: readonly string[], compact: boolean): void {
    const keys = node.kind === 'map' ? node.entries.map((e) => e.key) : node.items.map((_, index) => String(index));
    this.collections.push({ document: this.document, tokens, kind: node.kind, flow: node.flow, compact, keys });
  }

  flow(node: YamlNode, tokens: readonly string[]): void {
    if (node.kind === 'scalar') {
      this.scalar(node, tokens, true);
    } else if (node.kind === 'map' || node.kind === 'seq') {
      this.collection(node, tokens, false);
      this.write(node.kind === 'map' ? '{' : '[');
      const items: readonly Item[] = node.kind === 'map' ? node.entries : node.items;
      items.forEach((item, index) => {
        if (index > 0) this.write(', ');
        const entry = entryOf(item);
        if (entry) this.write(`${entry.keyText}: `);
        this.flow(item.value, [...tokens, entry ? entry.key : String(index)]);
      });
      this.write(node.kind === 'map' ? '}' : ']');
    }
  }

  scalar(node: ScalarNode, tokens: readonly string[], inFlow: boolean): void {
    const start = this.text.length;
    this.write(node.text);
    this.scalars.push({ document: this.document, tokens, value: node.value, text: node.text, start, end: this.text.length, inFlow });
  }

  /** The value after `key:` or `- `, then its line break. */
  blockValue(item: Item, indent: number, tokens: readonly string[], afterDash: boolean): void {
    const node = item.value;
    const space = afterDash ? '' : ' ';
    // Numbered only when written: a literal's header and a `- key:` line take no comment here.
    const comment = () => (item.comment === null ? '' : `  ${this.comment(item.comment)}`);
    if (node.kind === 'literal') {
      this.write(space);
      const start = this.text.length;
      this.write(`|${this.eol}`);
      for (const line of node.lines) this.write(`${' '.repeat(indent + 2)}${line}${this.eol}`);
      this.scalars.push({ document: this.document, tokens, value: valueOf(node) as string, text: this.text.slice(start), start, end: this.text.length, inFlow: false });
      this.literalEnd = this.text.length;
    } else if (node.kind === 'scalar' || node.flow) {
      const empty = node.kind === 'scalar' && node.text === '';
      this.write(empty ? '' : space);
      if (empty && item.comment !== null && indent > 0) this.nestedValueEndsInComment = true;
      if (node.kind === 'scalar') this.scalar(node, tokens, false);
      else this.flow(node, tokens);
      this.write(`${comment()}${this.eol}`);
    } else if (afterDash) {
      // `- key: v` and `- - v`: the collection starts on the dash's line.
      this.block(node, indent + 2, tokens, true);
    } else {
      this.write(`${comment()}${this.eol}`);
      this.block(node, node.kind === 'seq' && node.indentless ? indent : indent + this.step, tokens, false);
    }
  }

  block(node: MapNode | SeqNode, indent: number, tokens: readonly string[], inline: boolean): void {
    this.collection(node, tokens, inline);
    const items: readonly Item[] = node.kind === 'map' ? node.entries : node.items;
    items.forEach((item, index) => {
      if (!(inline && index === 0)) {
        this.decorations(item.before, indent);
        this.write(' '.repeat(indent));
      }
      const entry = entryOf(item);
      this.write(entry ? `${entry.keyText}:` : '- ');
      this.blockValue(item, indent, [...tokens, entry ? entry.key : String(index)], !entry);
    });
    this.decorations(node.after, indent);
    if (indent > 0 && node.after.some((line) => line.kind === 'comment' && !line.atColumnZero)) this.nestedValueEndsInComment = true;
  }
}

function render(stream: YamlStream): GeneratedFile {
  const writer = new Writer(stream.crlf ? '\r\n' : '\n');
  const documents: { value: Json; start: number; end: number }[] = [];
  stream.documents.forEach((doc, index) => {
    writer.document = index;
    writer.step = doc.step;
    if (index > 0) documents.at(-1)!.end = writer.text.length;
    if (index > 0 || stream.explicitStart) writer.write(`---${writer.eol}`);
    const start = writer.text.length;
    writer.decorations(doc.header, 0);
    const root = doc.root;
    if (root.kind === 'map' || root.kind === 'seq') {
      if (root.flow) {
        writer.flow(root, []);
        writer.write(writer.eol);
      } else {
        writer.block(root, 0, [], false);
      }
    }
    documents.push({ value: valueOf(root), start, end: writer.text.length });
  });
  let text = writer.text;
  // Without a final line break, a literal block scalar would lose its own; keep those.
  if (!stream.finalNewline && writer.literalEnd !== text.length) text = text.slice(0, -writer.eol.length);
  documents.at(-1)!.end = text.length;
  return withText({ text, documents, scalars: writer.scalars, collections: writer.collections, comments: writer.comments, nestedValueEndsInComment: writer.nestedValueEndsInComment });
}

/** A counterexample shows the file as its text, not as the whole record. */
function withText<T extends { readonly text: string }>(file: T): T {
  return Object.assign(file, { [fc.toStringMethod]: () => `file ${JSON.stringify(file.text)}` });
}

// ---- JSON -----------------------------------------------------------------------------

const jsonKey = fc.oneof(fc.constantFrom(...keyNames), fc.string({ maxLength: 6, unit: 'grapheme' })).filter((key) => key !== '__proto__');

function jsonValue(depth: number): fc.Arbitrary<Json> {
  const leaf: fc.Arbitrary<Json> = scalarValue;
  if (depth === 0) return leaf;
  const child = jsonValue(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    fc.array(child, { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(jsonKey, child), { maxLength: 4, selector: ([key]) => key }).map((pairs) => Object.fromEntries(pairs)),
  );
}

export interface JsonScalarSite {
  readonly tokens: readonly string[];
  readonly value: ScalarValue;
}

function jsonScalars(value: Json, tokens: readonly string[]): JsonScalarSite[] {
  if (value === null || typeof value !== 'object') return [{ tokens, value }];
  const children: [string, Json][] = Array.isArray(value) ? value.map((v, index) => [String(index), v]) : Object.entries(value);
  return children.flatMap(([token, child]) => jsonScalars(child, [...tokens, token]));
}

export interface GeneratedJson {
  readonly text: string;
  readonly scalars: readonly JsonScalarSite[];
}

/** A JSON config: an object serialised with JSON.stringify, with random indentation and line endings. */
export const jsonFile: fc.Arbitrary<GeneratedJson> = fc
  .record({
    value: fc.uniqueArray(fc.tuple(jsonKey, jsonValue(3)), { minLength: 1, maxLength: 5, selector: ([key]) => key }).map((pairs): Json => Object.fromEntries(pairs)),
    indent: fc.constantFrom<number | string>(0, 1, 2, 4, '\t'),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ value, indent, crlf, finalNewline }) => {
    const text = `${JSON.stringify(value, null, indent)}${finalNewline ? '\n' : ''}`;
    return withText({ text: crlf ? text.replace(/\n/g, '\r\n') : text, scalars: jsonScalars(value, []) });
  })
  .filter((file) => file.scalars.length > 0);
