/**
 * What each line of YAML text starts, read from the text alone for the indentation check
 * (indentation-slips.ts): the list items and mapping keys a line opens at which columns,
 * and the quotes or flow brackets it leaves open for the lines after it.
 */
export type Kind = 'map' | 'seq';

/** What starts on a line: `- name: x` is a list item at its column and a mapping key two further. */
export interface LineStart {
  readonly entries: ReadonlyArray<{ col: number; kind: Kind | 'scalar' }>;
  /** The last entry has no value on the line, so a deeper block may follow. */
  readonly opens: boolean;
  /** A block scalar (`|`, `>`) starts: deeper lines are its text. */
  readonly blockScalar: boolean;
}

/** Quotes and flow brackets still open at the end of the lines read so far. */
export interface Carry {
  quote: '"' | "'" | undefined;
  flowDepth: number;
}

/** The entries a line starts, and the quotes or brackets it leaves open for the next line. */
export function lineStart(content: string, indent: number, carry: Carry): LineStart {
  const entries: Array<{ col: number; kind: Kind | 'scalar' }> = [];
  let at = 0;
  for (;;) {
    const col = indent + at;
    if (content[at] === '-' && (at + 1 === content.length || content[at + 1] === ' ')) {
      entries.push({ col, kind: 'seq' });
      at += 1;
      while (content[at] === ' ') at++;
      if (at >= content.length || content[at] === '#') return { entries, opens: true, blockScalar: false };
      continue;
    }
    const valueAt = keyEnd(content, at);
    if (valueAt === undefined) {
      entries.push({ col, kind: 'scalar' });
      return { entries, opens: false, blockScalar: value(content, at, carry) };
    }
    entries.push({ col, kind: 'map' });
    let v = valueAt;
    while (content[v] === ' ') v++;
    if (v >= content.length || content[v] === '#' || /^[&!]\S*(\s+[&!]\S*)*\s*(#.*)?$/.test(content.slice(v))) return { entries, opens: true, blockScalar: false };
    // `- key: value` on one line: a `- ` after the key would be a new item of a compact list, which yaml refuses anyway.
    return { entries, opens: false, blockScalar: value(content, v, carry) };
  }
}

/** Where the value of a mapping key starting at `from` begins, or undefined when no key starts there. */
function keyEnd(content: string, from: number): number | undefined {
  const first = content[from];
  if (first === '"' || first === "'") {
    let i = from + 1;
    while (i < content.length) {
      if (first === '"' && content[i] === '\\') i += 2;
      else if (content[i] === first && first === "'" && content[i + 1] === "'") i += 2;
      else if (content[i] === first) break;
      else i++;
    }
    let j = i + 1;
    while (content[j] === ' ') j++;
    return content[j] === ':' && (j + 1 === content.length || content[j + 1] === ' ') ? j + 1 : undefined;
  }
  if (first === '[' || first === '{' || first === '?' || first === '#' || first === '|' || first === '>') return undefined;
  for (let i = from; i < content.length; i++) {
    if (content[i] === '#' && content[i - 1] === ' ') return undefined;
    if (content[i] === ':' && (i + 1 === content.length || content[i + 1] === ' ')) return i + 1;
  }
  return undefined;
}

/** Scans a value from `from`: quotes and brackets left open carry to the next lines. True for a block scalar header. */
function value(content: string, from: number, carry: Carry): boolean {
  const rest = content.slice(from);
  if (/^([&!][^\s]*\s+)*[|>][-+0-9]*\s*(#.*)?$/.test(rest)) return true;
  const at = from + (rest.length - rest.replace(/^([&!][^\s]*\s+)*/, '').length);
  const first = content[at];
  if (first === '"' || first === "'") {
    carry.quote = first;
    scan(content, at + 1, carry);
  } else if (first === '[' || first === '{') scan(content, at, carry);
  return false;
}

/** Follows quotes and flow brackets through text, up to a comment. */
export function scan(text: string, from: number, carry: Carry): void {
  // The last character outside whitespace: a quote opens a scalar only where a value can start.
  let before = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (carry.quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') carry.quote = undefined;
    } else if (carry.quote === "'") {
      if (c === "'" && text[i + 1] === "'") i++;
      else if (c === "'") carry.quote = undefined;
    } else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t')) return;
    else if ((c === '"' || c === "'") && (before === '' || '[{,:'.includes(before))) carry.quote = c;
    else if (c === '[' || c === '{') carry.flowDepth++;
    else if ((c === ']' || c === '}') && carry.flowDepth > 0) carry.flowDepth--;
    if (c !== ' ' && c !== '\t') before = c;
  }
}
