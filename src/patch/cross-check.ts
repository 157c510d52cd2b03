import { isDeepStrictEqual } from 'node:util';
import jsonpatch from 'jsonpatch';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { DocumentPatch } from './patch-yaml.js';
import type { YamlSource } from './yaml-source.js';

/**
 * The format-preserving edit must mean exactly what the ops mean: each patched document
 * must read as an independent RFC 6902 implementation (the jsonpatch library) says the ops
 * make it, and every other document must keep its bytes.
 */
export function crossCheck(original: YamlSource, patched: YamlSource, patches: readonly DocumentPatch[]): void {
  if (patched.documents.length !== original.documents.length)
    throw checkFailed(`the file has ${patched.documents.length} documents after the edit, ${original.documents.length} before`);
  original.documents.forEach((before, index) => {
    const after = patched.documents[index]!;
    const ops = patches.filter((patch) => patch.document === index).flatMap((patch) => patch.ops);
    if (ops.length === 0) {
      if (sourceOf(original, index) !== sourceOf(patched, index)) throw checkFailed(`document ${index} changed although no op names it`);
      return;
    }
    let intended: unknown;
    try {
      intended = jsonpatch.apply_patch(before.toJS(), [...ops]);
    } catch (error) {
      throw checkFailed(`jsonpatch refused the ops on document ${index}: ${(error as Error).message}`);
    }
    if (!isDeepStrictEqual(after.toJS(), intended)) throw checkFailed(`document ${index} does not read as the ops intend`);
  });
}

function sourceOf(source: YamlSource, index: number): string {
  const range = source.documents[index]!.range;
  return source.text.slice(range[0], range[2]);
}

function checkFailed(message: string): HotfixError {
  return new HotfixError([diagnostic('HF322', `patch cross-check failed: ${message}`)]);
}
