import { isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { ImageMatch } from './find-image.js';
import { readField, type FoundField } from './image-field.js';
import type { YamlSource } from './yaml-source.js';

/** A line comment that is a JSON object: Flux's setter marker `# {"$imagepolicy": "ns:name"}`. */
const MARKER = /^[ \t]*#[ \t]*(\{.*\})[ \t]*\r?$/;

const PARTS = new Map<string, FoundField['holds']>([['', 'image'], [':tag', 'tag'], [':name', 'name'], [':digest', 'digest']]);

/**
 * The scalars whose line ends with the marker of the image policy `ns:name` (a whole image)
 * or of its `:tag`, `:name` and `:digest` parts. All of them make one image, as Flux writes
 * them together, even a part marked on several lines (Flux sets every one of them); only
 * lines of one part that disagree make the locator ambiguous, each marker then a match of
 * its own.
 */
export function findFluxMarkers(source: YamlSource, policy: string): readonly ImageMatch[] {
  const fields = source.documents.flatMap((doc, document) =>
    valueScalars(doc.contents, []).flatMap(({ node, tokens }) => {
      const holds = markedPart(source.text, node, policy);
      const field = holds && readField(source, document, tokens, holds);
      return field ? [field] : [];
    }),
  );
  if (fields.length === 0) return [];
  const agree = fields.every((f) => fields.every((g) => g.holds !== f.holds || g.value === f.value));
  return agree ? [{ fields }] : fields.map((field) => ({ fields: [field] }));
}

function markedPart(text: string, node: Scalar, policy: string): FoundField['holds'] | undefined {
  const end = node.range![1];
  const lineEnd = text.indexOf('\n', end);
  const marker = markerIn(text.slice(end, lineEnd < 0 ? undefined : lineEnd));
  if (marker === undefined || !marker.startsWith(policy)) return undefined;
  return PARTS.get(marker.slice(policy.length));
}

/** The `$imagepolicy` reference of the marker ending a line (1-based), as written: `ns:name` or `ns:name:tag`… */
export function markerOnLine(text: string, line: number): string | undefined {
  const content = text.split('\n')[line - 1] ?? '';
  // The comment starts at some ` #` (one inside a quoted value fails the marker's pattern).
  for (const at of content.matchAll(/[ \t]#/g)) {
    const marker = markerIn(content.slice(at.index));
    if (marker !== undefined) return marker;
  }
  return undefined;
}

function markerIn(rest: string): string | undefined {
  const comment = MARKER.exec(rest)?.[1];
  if (comment === undefined) return undefined;
  try {
    const marker = (JSON.parse(comment) as Record<string, unknown>)['$imagepolicy'];
    return typeof marker === 'string' ? marker : undefined;
  } catch {
    return undefined;
  }
}

/** Every scalar that is a value (not a key), with its path. */
function valueScalars(node: unknown, tokens: readonly string[]): { node: Scalar; tokens: readonly string[] }[] {
  if (isScalar(node)) return [{ node, tokens }];
  if (isSeq(node)) return node.items.flatMap((item, index) => valueScalars(item, [...tokens, String(index)]));
  if (isMap(node))
    return node.items.flatMap((pair) => (isPair(pair) && isScalar(pair.key) ? valueScalars(pair.value as Node | null, [...tokens, String(pair.key.value)]) : []));
  return [];
}
