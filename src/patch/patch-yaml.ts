import { isDeepStrictEqual } from 'node:util';
import { isMap } from 'yaml';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { crossCheck, crossCheckText } from './cross-check.js';
import { parsePointer } from './json-pointer.js';
import { nodeAt, pairOf, parseYamlSource, type YamlSource } from './yaml-source.js';
import { parseYamlSourceWhere } from './yaml-source-where.js';
import { addPairSplice, applySplice, removePairSplice, replaceSplice, unsupportedEdit, type Splice } from './yaml-splices.js';

/** An RFC 6902 operation; only these four are needed to change image values. */
export interface PatchOp {
  readonly op: 'test' | 'replace' | 'add' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}

/** Ops for one document of a multi-document YAML (or JSON) file, by its index (0 is the first). */
export interface DocumentPatch {
  readonly document: number;
  readonly ops: readonly PatchOp[];
}

/**
 * Applies the ops to YAML or JSON text, changing only the bytes of the values they touch:
 * comments, key order, quoting, flow or block style and line endings stay as they were.
 * Each op is spliced into the text and the text parsed again, so later ops see earlier ones;
 * the result is then cross-checked (see crossCheck) before it is returned.
 */
export function patchYamlText(text: string, patches: readonly DocumentPatch[]): string {
  // Only the documents the ops name get a node tree; the file is refused as a whole parse
  // refuses it (a YAML error anywhere, HF211), and the others are checked to keep their bytes.
  const named = new Set(patches.map((patch) => patch.document));
  const original = parseYamlSourceWhere(text, (_, index) => named.has(index));
  let source = original;
  // The text of the last splice, parsed only if another op follows: the last is checked by
  // crossCheckText, which parses the edited documents alone (a cold parse of a 28 KB file
  // costs more than the rest of a rollback plan).
  let edited: string | undefined;
  for (const patch of patches) {
    for (const op of patch.ops) {
      if (edited !== undefined) source = reparse(edited);
      edited = undefined;
      const splice = spliceFor(source, patch.document, op);
      if (splice) edited = applySplice(source.text, splice);
    }
  }
  if (edited === undefined) {
    // crossCheck compares every document's bytes, so it needs them all parsed.
    const whole = parseYamlSource(text);
    crossCheck(whole, source === original ? whole : source, patches);
    return source.text;
  }
  crossCheckText(original, edited, patches, reparse);
  return edited;
}

function spliceFor(source: YamlSource, document: number, op: PatchOp): Splice | undefined {
  const doc = source.documents[document];
  if (!doc) throw notFound(`the file has no document ${document} (it has ${source.documents.length})`);
  const tokens = parsePointer(op.path);
  const where = `${op.path} in document ${document}`;
  if (op.op === 'test' || op.op === 'replace') {
    const at = nodeAt(doc, tokens);
    if (!at) throw notFound(`no value at ${where}`);
    if (op.op === 'replace') return replaceSplice(source.text, at, op.value);
    const actual = at.node.toJS(doc);
    if (!isDeepStrictEqual(actual, op.value))
      throw new HotfixError([diagnostic('HF320', `test failed at ${where}: expected ${JSON.stringify(op.value)}, found ${JSON.stringify(actual)}`)]);
    return undefined;
  }
  const key = tokens.at(-1);
  const parent = key === undefined ? undefined : nodeAt(doc, tokens.slice(0, -1));
  if (key === undefined || !parent) throw notFound(`no mapping holds ${where}`);
  if (!isMap(parent.node)) throw unsupportedEdit(`${op.op} at ${where}: only mapping keys can be added or removed`);
  const pair = pairOf(parent.node, key);
  if (op.op === 'remove') {
    if (!pair) throw notFound(`no key at ${where}`);
    return removePairSplice(source.text, parent.node, pair);
  }
  // RFC 6902: adding an existing member replaces its value.
  const existing = pair && nodeAt(doc, tokens);
  if (existing) return replaceSplice(source.text, existing, op.value);
  return addPairSplice(source.text, doc, parent.node, key, op.value);
}

/** Text that the editor made and that YAML no longer reads is the editor's fault, not the file's. */
function reparse(text: string): YamlSource {
  try {
    return parseYamlSource(text);
  } catch (error) {
    if (error instanceof HotfixError) throw new HotfixError([diagnostic('HF322', `the edit gave invalid YAML: ${error.diagnostics[0]?.message ?? ''}`)]);
    throw error;
  }
}

function notFound(message: string): HotfixError {
  return new HotfixError([diagnostic('HF321', message)]);
}
