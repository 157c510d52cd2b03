import { isMap, isScalar, isSeq } from 'yaml';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ImageMatch } from './find-image.js';
import { readField, type FoundField } from './image-field.js';
import { carriedParts } from './image-of-fields.js';
import { nodeAt, pairOf, type YamlSource } from './yaml-source.js';

/**
 * Kustomize's `images:` entries whose `name` is the one given: their newTag, newName and
 * digest. The name may be a placeholder the manifests use (`name: api`, `newName:` the real image).
 */
export function findKustomizeImage(source: YamlSource, name: string): readonly ImageMatch[] {
  return source.documents.flatMap((doc, document) => {
    const images = nodeAt(doc, ['images'])?.node;
    if (!isSeq(images)) return [];
    return images.items.flatMap((entry, index): ImageMatch[] => {
      const entryName = isMap(entry) ? pairOf(entry, 'name')?.value : undefined;
      if (!isScalar(entryName) || entryName.value !== name) return [];
      const read = (key: string, holds: FoundField['holds']) => readField(source, document, ['images', index, key], holds);
      const fields = [read('newTag', 'tag'), read('newName', 'name'), read('digest', 'digest')].filter((f) => f !== undefined);
      // `newName: repo:tag` (or `repo@sha256:…`) says the version as well: kustomize appends the name whole.
      if (!fields.some((f) => f.holds !== 'name' || carriedParts('name', f.value, []).length > 0)) {
        const line = source.lineOf(entryName.range![0]);
        throw new HotfixError([diagnostic('HF207', `the images entry "${name}" at line ${line} sets neither newTag nor digest, nor a tag in newName, so the file does not say which version runs`)]);
      }
      return [{ fields, name }];
    });
  });
}
