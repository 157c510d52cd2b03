import { isScalar, isSeq, type Scalar } from 'yaml';
import { parseAllDocumentsBounded } from '../yaml/bounded-parse.js';

/**
 * The source text for a new value written where a scalar of the given style stood: the same
 * style where it can hold the value (a plain scalar stays plain unless the value would read
 * back as something else), else double quotes, which hold any string and are also JSON.
 * Collections are written as JSON, which every YAML context accepts.
 */
export function scalarText(value: unknown, style: Scalar.Type | undefined, inFlow: boolean): string {
  if (typeof value !== 'string') return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (style === 'PLAIN' && readsAsPlain(value, inFlow)) return value;
  if (style === 'QUOTE_SINGLE' && !/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

/** Whether the text, written plain, parses back as this very string (not a number, a key, a comment, a fold). */
function readsAsPlain(value: string, inFlow: boolean): boolean {
  const parsed = parseAllDocumentsBounded(inFlow ? `[${value}]` : value);
  if (!Array.isArray(parsed) || parsed.length !== 1) return false;
  const doc = parsed[0]!;
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const contents = doc.contents;
  const node = inFlow ? (isSeq(contents) && contents.items.length === 1 ? contents.items[0] : undefined) : contents;
  return isScalar(node) && node.type === 'PLAIN' && node.value === value;
}
