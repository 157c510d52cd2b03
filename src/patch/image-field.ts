import { isScalar } from 'yaml';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ImageRef } from './image-ref.js';
import { formatPointer } from './json-pointer.js';
import { nodeAt, type YamlSource } from './yaml-source.js';

/** A scalar in a config file that holds an image, or one part of it. */
export interface ImageField {
  readonly document: number;
  /** JSON pointer to the scalar within its document. */
  readonly path: string;
  readonly holds: 'image' | 'tag' | 'name' | 'digest';
  /** 1-based line of the scalar. */
  readonly line: number;
  /**
   * Parts written inside this field's text besides what it holds, as Renovate writes them:
   * a tag holding `tag@sha256:…` (pinDigests), a kustomize newName holding `repo:tag`.
   */
  readonly carries?: readonly ('tag' | 'digest')[];
}

/** Where a config file declares an image, and the image it declares now. */
export interface ImageLocation {
  readonly fields: readonly ImageField[];
  readonly current: ImageRef;
  /**
   * The target's digest goes inline though the file pins none now: a revert putting back the
   * pin the deploying commit took off (see `shapedAsBefore`).
   */
  readonly pinInline?: boolean;
}

/** A field as found, with the string it holds. */
export interface FoundField extends ImageField {
  readonly value: string;
}

/**
 * The string at a path, or undefined where the path is missing or empty (`key:`). A number
 * or boolean is refused: YAML has already changed it (`1.10` reads as 1.1), so the file
 * cannot say which image it means.
 */
export function readField(source: YamlSource, document: number, tokens: readonly (string | number)[], holds: ImageField['holds']): FoundField | undefined {
  const doc = source.documents[document];
  const node = doc && nodeAt(doc, tokens.map(String))?.node;
  if (!node || (isScalar(node) && node.value === null)) return undefined;
  const line = source.lineOf(node.range![0]);
  if (!isScalar(node) || typeof node.value !== 'string') {
    const field = holds === 'image' ? 'image' : `image ${holds}`;
    const problem = isScalar(node)
      ? `is the ${typeof node.value} ${source.text.slice(node.range![0], node.range![1])}, not a string; quote it in the file`
      : 'is not a single value';
    throw new HotfixError([diagnostic('HF207', `the ${field} at line ${line} ${problem}`)]);
  }
  return { document, path: formatPointer(tokens), holds, line, value: node.value };
}
