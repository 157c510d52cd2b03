import { isCollection, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { scalarText } from './scalar-text.js';
import type { NodeAt } from './yaml-source.js';

/** Text to put in place of `text.slice(start, end)`. Every edit is one splice into the original bytes. */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type KeyedPair = Pair<Node, Node | null>;

export function applySplice(text: string, splice: Splice): string {
  return text.slice(0, splice.start) + splice.text + text.slice(splice.end);
}

/** Writes the value over the node's own characters; comments and everything else on the line stay. */
export function replaceSplice(text: string, at: NodeAt, value: unknown): Splice {
  const [start, end] = at.node.range!;
  const original = isScalar(at.node) ? at.node : undefined;
  // A number, boolean or null becoming a string inside a flow collection is quoted: plain
  // would be valid YAML but not JSON, and JSON files are flow collections.
  const style = at.inFlow && original?.type === 'PLAIN' && typeof value === 'string' && typeof original.value !== 'string' ? 'QUOTE_DOUBLE' : original?.type;
  const written = scalarText(value, style, at.inFlow);
  if (start === end) {
    // An empty value (`key:`): keep the value apart from the colon and from a comment after it.
    const before = /\s/.test(text[start - 1] ?? ' ') ? '' : ' ';
    const after = text[end] === '#' ? ' ' : '';
    return { start, end, text: `${before}${written}${after}` };
  }
  // Block scalars and block collections end with their line break: keep it.
  const lineBreak = /\r?\n$/.exec(text.slice(start, end))?.[0] ?? '';
  return { start, end, text: written + lineBreak };
}

/** A new `key: value` after the mapping's last entry, in the mapping's own layout. */
export function addPairSplice(text: string, doc: Document.Parsed, map: YAMLMap, key: string, value: unknown): Splice {
  const pairs = map.items as KeyedPair[];
  const last = pairs.at(-1);
  const lastKey = last && isScalar(last.key) ? last.key : undefined;
  // JSON documents are flow collections with double-quoted keys; keep them JSON.
  const jsonLike = isCollection(doc.contents) && doc.contents.flow === true;
  const keyStyle = lastKey?.type ?? (jsonLike ? 'QUOTE_DOUBLE' : 'PLAIN');
  const valueStyle = keyStyle === 'QUOTE_DOUBLE' ? 'QUOTE_DOUBLE' : 'PLAIN';
  const flow = map.flow === true;
  const entry = `${scalarText(key, keyStyle, flow)}: ${scalarText(value, valueStyle, flow)}`;
  // Only a flow mapping can be empty (`{}`): a block mapping has at least one entry.
  if (!last) return insertAt(map.range![0] + 1, entry);
  const eol = lineBreakOf(text);
  if (flow) {
    const previousEnd = pairs.length > 1 ? valueEnd(pairs.at(-2)!) : map.range![0] + 1;
    const onOwnLines = text.slice(previousEnd, last.key.range![0]).includes('\n');
    const separator = onOwnLines ? `,${eol}${indentOf(text, last.key.range![0])}` : ', ';
    return insertAt(valueEnd(last), separator + entry);
  }
  const end = pairEnd(text, last);
  const line = `${indentOf(text, pairs[0]!.key.range![0])}${entry}`;
  return end === text.length && !text.endsWith('\n') ? insertAt(end, eol + line) : insertAt(end, line + eol);
}

/** Deletes a pair: in a block mapping its whole lines, in a flow mapping the pair and one comma. */
export function removePairSplice(text: string, map: YAMLMap, pair: KeyedPair): Splice {
  const pairs = map.items as KeyedPair[];
  const index = pairs.indexOf(pair);
  const next = pairs[index + 1];
  const previous = pairs[index - 1];
  const keyStart = pair.key.range![0];
  if (map.flow === true) {
    if (next) return { start: keyStart, end: next.key.range![0], text: '' };
    return { start: previous ? valueEnd(previous) : keyStart, end: valueEnd(pair), text: '' };
  }
  if (pairs.length === 1) throw unsupportedEdit(`cannot remove "${String(isScalar(pair.key) ? pair.key.value : '')}": it is the only key of its mapping, which would be left empty`);
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const end = pairEnd(text, pair);
  if (/^[ \t]*$/.test(text.slice(lineStart, keyStart))) {
    // The last line of a file without a final line break: take the break before it instead.
    const unterminated = end === text.length && !text.endsWith('\n') && lineStart > 0;
    return { start: unterminated ? lineStart - lineBreakOf(text).length : lineStart, end, text: '' };
  }
  // The first key of a sequence item (`- key: v`): the next key moves up behind the dash.
  if (next) return { start: keyStart, end: next.key.range![0], text: '' };
  throw unsupportedEdit(`cannot remove "${String(isScalar(pair.key) ? pair.key.value : '')}": it is the only key of its sequence item`);
}

function insertAt(offset: number, text: string): Splice {
  return { start: offset, end: offset, text };
}

function valueEnd(pair: KeyedPair): number {
  return (pair.value ?? pair.key).range![1];
}

/**
 * Where the line after a block pair starts: past its value, its comment and its line break.
 * A node's range can run past a trailing comment into the next line's indentation; then
 * the pair ends at that line break, not at the end of the next line.
 */
function pairEnd(text: string, pair: KeyedPair): number {
  const end = (pair.value ?? pair.key).range![2];
  const lastBreak = text.lastIndexOf('\n', end - 1);
  if (lastBreak >= 0 && /^[ \t]*$/.test(text.slice(lastBreak + 1, end))) return lastBreak + 1;
  const lineBreak = text.indexOf('\n', end);
  return lineBreak < 0 ? text.length : lineBreak + 1;
}

/** Blanks as wide as the text before the offset on its line (`  - ` gives four spaces); tabs stay tabs. */
function indentOf(text: string, offset: number): string {
  return text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset).replace(/[^\t]/g, ' ');
}

/** New lines follow the file's line endings (CRLF where it has them). */
function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function unsupportedEdit(message: string): HotfixError {
  return new HotfixError([diagnostic('HF322', `${message}; the format-preserving editor does not do this`)]);
}
