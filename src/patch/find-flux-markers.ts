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
 * them together; a part marked twice makes the locator ambiguous, so each marker then counts
 * as a match of its own.
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
  const parts = new Set(fields.map((f) => f.holds));
  return parts.size === fields.length ? [{ fields }] : fields.map((field) => ({ fields: [field] }));
}

function markedPart(text: string, node: Scalar, policy: string): FoundField['holds'] | undefined {
  const end = node.range![1];
  const lineEnd = text.indexOf('\n', end);
  const comment = MARKER.exec(text.slice(end, lineEnd < 0 ? undefined : lineEnd))?.[1];
  if (comment === undefined) return undefined;
  let marker: unknown;
  try {
    marker = (JSON.parse(comment) as Record<string, unknown>)['$imagepolicy'];
  } catch {
    return undefined;
  }
  if (typeof marker !== 'string' || !marker.startsWith(policy)) return undefined;
  return PARTS.get(marker.slice(policy.length));
}

/** Every scalar that is a value (not a key), with its path. */
function valueScalars(node: unknown, tokens: readonly string[]): { node: Scalar; tokens: readonly string[] }[] {
  if (isScalar(node)) return [{ node, tokens }];
  if (isSeq(node)) return node.items.flatMap((item, index) => valueScalars(item, [...tokens, String(index)]));
  if (isMap(node))
    return node.items.flatMap((pair) => (isPair(pair) && isScalar(pair.key) ? valueScalars(pair.value as Node | null, [...tokens, String(pair.key.value)]) : []));
  return [];
}
