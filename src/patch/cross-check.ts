import { isDeepStrictEqual } from 'node:util';
import jsonpatch from 'jsonpatch';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { DocumentPatch } from './patch-yaml.js';
import { documentChunks, parseAlone } from './yaml-documents-where.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

/**
 * The format-preserving edit must mean exactly what the ops mean: each patched document
 * must read as an independent RFC 6902 implementation (the jsonpatch library) says the ops
 * make it, and every other document must keep its bytes.
 */
export function crossCheck(original: YamlSource, patched: YamlSource, patches: readonly DocumentPatch[]): void {
  if (patched.documents.length !== original.documents.length)
    throw checkFailed(`the file has ${patched.documents.length} documents after the edit, ${original.documents.length} before`);
  original.documents.forEach((before, index) => {
    const ops = opsOf(patches, index);
    if (ops.length === 0) {
      if (sourceOf(original, index) !== sourceOf(patched, index)) throw checkFailed(`document ${index} changed although no op names it`);
      return;
    }
    checkDocument(before.toJS(), patched.documents[index]!.toJS(), ops, index);
  });
}

/**
 * The same check of an edited text without parsing it whole (a file of two dozen
 * HelmReleases where the rollback edits one): split as yaml splits it, every document no op
 * names keeps its bytes, and each one an op names parses alone and reads as intended. Where
 * the split is not sure, or a document does not parse alone, `reparse` parses the text
 * whole and the check is crossCheck's, with its findings.
 */
export function crossCheckText(original: YamlSource, text: string, patches: readonly DocumentPatch[], reparse: (text: string) => YamlSource): void {
  const before = documentChunks(original.text);
  const after = documentChunks(text);
  // The original may have only the named documents parsed (parseYamlSourceWhere); crossCheck reads them all.
  const whole = () => crossCheck(parseYamlSource(original.text), reparse(text), patches);
  if (!before || !after || after.length !== before.length || before.length !== original.documents.length) return whole();
  // Comments before the first `---` are no document, and no op edits them.
  if (text.slice(0, after[0]!.start) !== original.text.slice(0, before[0]!.start)) throw checkFailed('the comments before the first document changed');
  const edited = new Map<number, unknown>();
  for (const [index, chunk] of after.entries()) {
    const was = before[index]!;
    if (opsOf(patches, index).length === 0) {
      if (text.slice(chunk.start, chunk.end) !== original.text.slice(was.start, was.end)) throw checkFailed(`document ${index} changed although no op names it`);
      continue;
    }
    const doc = parseAlone(text.slice(chunk.start, chunk.end));
    if (!doc) return whole();
    edited.set(index, doc.toJS());
  }
  for (const [index, value] of edited) checkDocument(original.documents[index]!.toJS(), value, opsOf(patches, index), index);
}

function opsOf(patches: readonly DocumentPatch[], index: number) {
  return patches.filter((patch) => patch.document === index).flatMap((patch) => patch.ops);
}

function checkDocument(before: unknown, after: unknown, ops: readonly DocumentPatch['ops'][number][], index: number): void {
  let intended: unknown;
  try {
    intended = jsonpatch.apply_patch(before, [...ops]);
  } catch (error) {
    throw checkFailed(`jsonpatch refused the ops on document ${index}: ${(error as Error).message}`);
  }
  if (!isDeepStrictEqual(after, intended)) throw checkFailed(`document ${index} does not read as the ops intend`);
}

function sourceOf(source: YamlSource, index: number): string {
  const range = source.documents[index]!.range;
  return source.text.slice(range[0], range[2]);
}

function checkFailed(message: string): HotfixError {
  return new HotfixError([diagnostic('HF322', `patch cross-check failed: ${message}`)]);
}
