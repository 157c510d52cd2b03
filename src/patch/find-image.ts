import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { Locator } from '../policy/types.js';
import { dotPathTokens } from './dot-path.js';
import { findFluxMarkers } from './find-flux-markers.js';
import { findHelmValues } from './find-helm-values.js';
import { findKustomizeImage } from './find-kustomize-image.js';
import { findManifestImage } from './find-manifest-image.js';
import { readField, type FoundField, type ImageField, type ImageLocation } from './image-field.js';
import { formatImageRef } from './image-ref.js';
import { carriedParts, imageOfFields } from './image-of-fields.js';
import { findTypeScriptImage } from './typescript/find-typescript-image.js';
import { parseYamlDocumentsWhere } from './yaml-documents-where.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';
import { parseYamlSourceWhere } from './yaml-source-where.js';

export type { ImageField, ImageLocation } from './image-field.js';

/** One place a locator matched: the fields that hold the image, and its name where no field holds it. */
export interface ImageMatch {
  readonly fields: readonly FoundField[];
  readonly name?: string;
}

/**
 * Finds where a config file declares the image, as the policy's locator says. Exactly one
 * place must match: none is HF207, several are HF209 (naming their lines). `imageName` (the
 * app's image) is the image's name where the file holds only its tag.
 */
export function findImage(text: string, locator: Locator, imageName: string): ImageLocation {
  const mayHold = documentFilter(locator);
  // Refused as a whole parse refuses; only the documents that can name the image get a node tree.
  return locate(text, locator, imageName, mayHold ? (t) => parseYamlSourceWhere(t, mayHold) : parseYamlSource);
}

/**
 * findImage for a revision that is only read, never edited (the history walk): of a
 * multi-document file only the documents that can name the image are parsed, and the others
 * are not read at all, not even checked. The same answer as findImage wherever the file
 * parses.
 */
export function findImageInRevision(text: string, locator: Locator, imageName: string): ImageLocation {
  const mayHold = documentFilter(locator);
  return locate(text, locator, imageName, mayHold ? (t) => parseYamlDocumentsWhere(t, mayHold) : parseYamlSource);
}

/**
 * What a document's text must contain to hold a match: the name the locator looks for, as
 * written, unless an escape (`\x61`, `\u0061`) might spell it otherwise. None for the
 * locators that read one document by index.
 */
function documentFilter(locator: Locator): ((documentText: string) => boolean) | undefined {
  const needle = locator.fluxImagePolicy ?? locator.kustomizeImage ?? locator.manifest?.container;
  return needle === undefined ? undefined : (documentText) => documentText.includes(needle) || documentText.includes('\\');
}

function locate(text: string, locator: Locator, imageName: string, parse: (text: string) => YamlSource): ImageLocation {
  const matches = locator.typescript ? [{ fields: [findTypeScriptImage(text, locator.typescript)] }] : matchesOf(parse(text), locator);
  const described = describe(locator);
  const [match, ...others] = matches;
  if (!match) throw new HotfixError([diagnostic('HF207', `no image in the config file matches the locator ${described}`)]);
  if (others.length > 0) {
    const lines = matches.map((m) => m.fields[0]!.line).sort((a, b) => a - b);
    throw new HotfixError([diagnostic('HF209', `the locator ${described} matches ${matches.length} images, at lines ${lines.join(', ')}`)]);
  }
  const holds = match.fields.map((f) => f.holds);
  const fields = [...match.fields]
    .sort((a, b) => a.document - b.document || a.line - b.line)
    .map((field) => {
      const carries = carriedParts(field.holds, field.value, holds.filter((h) => h !== field.holds));
      return carries.length > 0 ? { ...field, carries } : field;
    });
  return { fields: fields.map(({ value: _, ...field }): ImageField => field), current: imageOfFields(fields, match.name ?? imageName) };
}

function matchesOf(source: YamlSource, locator: Locator): readonly ImageMatch[] {
  if (locator.kustomizeImage !== undefined) return findKustomizeImage(source, locator.kustomizeImage);
  if (locator.fluxImagePolicy !== undefined) return findFluxMarkers(source, locator.fluxImagePolicy);
  if (locator.helmValues) return findHelmValues(source, locator.helmValues);
  if (locator.manifest) return findManifestImage(source, locator.manifest);
  if (locator.yamlPath) {
    const field = readField(source, locator.yamlPath.document, dotPathTokens(locator.yamlPath.path), locator.yamlPath.holds);
    return field ? [{ fields: [field] }] : [];
  }
  throw new Error(`unknown locator ${JSON.stringify(locator)}`);
}

function describe(locator: Locator): string {
  return Object.entries(locator)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(', ');
}

/** The image a config file declares through a locator, as `name:tag@digest`, or undefined when it declares none. */
export function declaredImage(text: string | undefined, locator: Locator, imageName: string): string | undefined {
  if (text === undefined) return undefined;
  try {
    return formatImageRef(findImage(text, locator, imageName).current);
  } catch {
    return undefined; // not declared (yet, or not in this form)
  }
}
