import { Composer, parseAllDocuments, Parser, YAMLParseError, type CST, type Document, type DocumentOptions, type EmptyStream, type LineCounter, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * How deep YAML collections may nest for hotfix to read them. `yaml` composes a document
 * recursively, one call per level: on this machine's default stack it runs out near 1,000
 * levels, at a depth that depends on how deep the stack already was (so a document read
 * alone and the same document read in its file could differ), and V8 may end the process
 * outright when the stack runs out while it compiles a regular expression. Manifests nest
 * a few dozen levels; 256 leaves room and is far from either.
 */
export const MAX_YAML_NESTING = 256;

type Options = ParseOptions & DocumentOptions & SchemaOptions & { lineCounter?: LineCounter };

/**
 * Whether a text may hold collections nested deeper than MAX_YAML_NESTING, by an upper bound
 * a single pass over its characters gives: every flow level opens with `[` or `{`, and every
 * block level starts further right than its parent, or at the same column as a block
 * sequence under a mapping key, in the run of spaces and indicators (`-`, `?`, `:`) that
 * starts its line. False is certain; true asks for a count (deepestCollection).
 */
export function mayNestTooDeep(text: string): boolean {
  let brackets = 0;
  let run = 0;
  let longestRun = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) brackets++;
    if (c === 0x0a || c === 0x0d) {
      atLineStart = true;
      run = 0;
    } else if (atLineStart && (c === 0x20 || c === 0x09 || c === 0x2d || c === 0x3f || c === 0x3a)) {
      if (++run > longestRun) longestRun = run;
    } else atLineStart = false;
  }
  return brackets + 2 * (longestRun + 1) > MAX_YAML_NESTING;
}

/** Where a document's collections first nest deeper than MAX_YAML_NESTING (the offset of that collection), by a walk that keeps its own stack. */
export function deepestCollection(document: CST.Document): number | undefined {
  const stack: Array<[CST.Token | undefined, number]> = [[document.value, 0]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (!token || (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection')) continue;
    if (depth + 1 > MAX_YAML_NESTING) return token.offset;
    for (const item of token.items) {
      if ('key' in item) stack.push([item.key ?? undefined, depth + 1]);
      stack.push([item.value, depth + 1]);
    }
  }
  return undefined;
}

/** Whether some document of the text nests deeper than MAX_YAML_NESTING: counted only where the bound says it may. */
export function nestsTooDeep(text: string): boolean {
  if (!mayNestTooDeep(text)) return false;
  for (const token of new Parser().parse(text)) if (token.type === 'document' && deepestCollection(token) !== undefined) return true;
  return false;
}

/**
 * parseAllDocuments, except that a document whose collections nest deeper than
 * MAX_YAML_NESTING is not composed: it comes out empty, with one RESOURCE_EXHAUSTION error
 * (the code `yaml` gives a stack overflow) at the collection that goes too deep, so every
 * reader refuses or skips it as it does any broken document, whatever the stack. The
 * other documents come out as parseAllDocuments gives them. Texts the bound clears, nearly
 * all, go straight to parseAllDocuments.
 */
export function parseAllDocumentsBounded(source: string, options: Options = {}): Document.Parsed[] | EmptyStream {
  if (!mayNestTooDeep(source)) return parseAllDocuments(source, options);
  const parser = new Parser(options.lineCounter?.addNewLine);
  const composer = new Composer(options);
  const deep = new Map<number, number>();
  let index = 0;
  function* checked(): Generator<CST.Token> {
    for (const token of parser.parse(source)) {
      if (token.type !== 'document') {
        yield token;
        continue;
      }
      const at = deepestCollection(token);
      if (at !== undefined) deep.set(index, at);
      index++;
      yield at === undefined ? token : { ...token, value: undefined };
    }
  }
  const docs = Array.from(composer.compose(checked())) as Array<Document.Parsed>;
  for (const [i, at] of deep) docs[i]?.errors.unshift(new YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', `nesting deeper than ${MAX_YAML_NESTING} levels, more than hotfix reads`));
  if (docs.length > 0) return docs;
  return Object.assign([] as Document.Parsed[], { empty: true as const }, composer.streamInfo());
}
