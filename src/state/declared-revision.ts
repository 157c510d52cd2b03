import { HotfixError } from '../diagnostics/errors.js';
import { findImageInRevision, type ImageField } from '../patch/find-image.js';
import { readField } from '../patch/image-field.js';
import { imageOfFields } from '../patch/image-of-fields.js';
import { formatImageRef } from '../patch/image-ref.js';
import { parsePointer } from '../patch/json-pointer.js';
import { parseYamlSource } from '../patch/yaml-source.js';
import type { Locator } from '../policy/types.js';

/** What one revision of the config file says about the image. */
export type DeclaredRevision =
  /** `byPath`: read at the fields of a later revision, the locator finding nothing here. */
  | { readonly kind: 'image'; readonly image: string; readonly fields: readonly ImageField[]; readonly byPath?: true }
  /** The file is missing, or declares no such image: before the history of this image in the file. */
  | { readonly kind: 'absent' }
  /** The file does not parse, or the locator matches twice: says nothing, so it is stepped over. */
  | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * The image a revision declares. Where the locator finds nothing, the fields where a later
 * revision declared the image (`newer`) are read by path: a marker comment rewritten
 * (`$imagepolicy` renamed, or added to a line Flux v1 used to write) leaves the value where
 * it was, and the commit that rewrote only the comment deployed nothing. The caller takes
 * such a value only for an image of the same name. Pure.
 */
export function declaredRevision(text: string | undefined, locator: Locator, imageName: string, newer?: readonly ImageField[]): DeclaredRevision {
  if (text === undefined) return { kind: 'absent' };
  try {
    const location = findImageInRevision(text, locator, imageName);
    return { kind: 'image', image: formatImageRef(location.current), fields: location.fields };
  } catch (error) {
    if (!(error instanceof HotfixError)) throw error;
    const [first] = error.diagnostics;
    if (first?.code !== 'HF207') return { kind: 'unreadable', reason: first?.message ?? 'unreadable' };
    const byPath = newer && !locator.typescript ? atFields(text, newer, imageName) : undefined;
    return byPath ?? { kind: 'absent' };
  }
}

/** The image at the same fields, when they all hold strings. */
function atFields(text: string, fields: readonly ImageField[], imageName: string): DeclaredRevision | undefined {
  try {
    const source = parseYamlSource(text);
    const found = fields.map((f) => readField(source, f.document, parsePointer(f.path), f.holds));
    if (found.some((f) => f === undefined)) return undefined;
    const image = imageOfFields(found.map((f, i) => ({ ...f!, ...(fields[i]!.carries && { carries: fields[i]!.carries }) })), imageName);
    return { kind: 'image', image: formatImageRef(image), fields, byPath: true };
  } catch {
    return undefined; // not there in this form either
  }
}
