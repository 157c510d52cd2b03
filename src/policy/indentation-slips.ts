import type { SourceRange } from '../diagnostics/diagnostic.js';
import { lineStart, scan, type Carry, type Kind } from './yaml-line-start.js';

/**
 * A block indented unlike the block it belongs to, or lines indented with tabs, told once
 * for the whole block: yaml reports such a slip on every line after it that it can no
 * longer place ("All mapping items must start at the same column" six times, "Implicit
 * keys need to be on a single line"), which says neither where the slip is nor what it is.
 */
export interface IndentationSlip {
  readonly message: string;
  readonly range: SourceRange;
}


/** An open block: its entries start at `col` (0-based), the first of them on `line`. */
interface Level {
  readonly col: number;
  readonly kind: Kind;
  readonly line: number;
  /** The first entry starts its line (not the key after `- `), so its indentation is its column. */
  readonly lead: boolean;
  /** Entries placed in the block so far, and the line of the latest. */
  count: number;
  latest: number;
}

/**
 * Reads the block structure of YAML text from its indentation alone, the way a reader
 * does, and finds the lines whose indentation matches no open block. Only worth asking
 * when yaml has reported errors: valid YAML may be laid out in ways this does not model.
 * Pure and linear in the text.
 */
export function indentationSlips(text: string): IndentationSlip[] {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  const out: IndentationSlip[] = [];
  const carry: Carry = { quote: undefined, flowDepth: 0 };
  let main: Blocks = { stack: [] };
  let blockScalarParent: number | undefined;
  let tabs: number[] = [];
  let slip: Slip | undefined;
  // Told when their document ends: how many entries the blocks around a slip get decides which side slipped.
  let slips: Slip[] = [];

  const flushTabs = () => {
    if (tabs.length > 0) out.push(tabMessage(tabs, lines));
    tabs = [];
  };
  const endSlip = () => {
    if (slip) slips.push(slip);
    slip = undefined;
  };
  const endDocument = () => {
    endSlip();
    for (const told of oncePerLine(slips.map((s) => depthMessage(s, lines)))) out.push(told.slip);
    slips = [];
    flushTabs();
  };

  lines.forEach((raw, index) => {
    const line = index + 1;
    if (carry.quote !== undefined || carry.flowDepth > 0) return scan(raw, 0, carry);
    const indent = raw.length - raw.trimStart().length;
    const content = raw.slice(indent);
    if (blockScalarParent !== undefined) {
      if (content === '' || (!raw.slice(0, indent).includes('\t') && indent > blockScalarParent)) return;
      blockScalarParent = undefined;
    }
    if (content === '' || content.startsWith('#')) return;
    if (indent === 0 && (/^(---|\.\.\.)(\s|$)/.test(content) || content.startsWith('%'))) {
      endDocument();
      main = { stack: [] };
      return;
    }
    const start = lineStart(content, indent, carry);
    if (start.blockScalar) blockScalarParent = start.entries.at(-1)!.col;
    if (raw.slice(0, indent).includes('\t')) return void tabs.push(line);
    const [first] = start.entries;
    if (!first || first.kind === 'scalar') {
      // A value on a line of its own, or a plain scalar going on: it opens no block.
      (slip?.local ?? main).pending = undefined;
      return;
    }
    const entries = start.entries as ReadonlyArray<{ col: number; kind: Kind }>;
    // Lines laid out consistently with the slipped one belong to its block: its children, its siblings.
    if (slip && first.col >= slip.col && place(slip.local, entries, start.opens, line) === undefined) {
      slip.last = line;
      if (first.col === slip.col && first.kind === slip.kind) {
        slip.siblingsLast = line;
        slip.siblings++;
      }
      return;
    }
    endSlip();
    const misfit = place(main, entries, start.opens, line);
    if (misfit) {
      const local: Blocks = { stack: levelsOf(entries, 0, line), ...(start.opens && { pending: entries.at(-1) }) };
      const latest = new Map([misfit.below, misfit.above].filter((l): l is Level => l !== undefined).map((l) => [l, l.latest]));
      slip = { local, col: first.col, kind: first.kind, first: line, last: line, siblingsLast: line, siblings: 1, ...misfit, latest };
    }
  });
  endDocument();
  return out;
}

/** The blocks open at a line, and the entry of the line before when it opens a deeper one. */
interface Blocks {
  stack: Level[];
  pending?: { col: number; kind: Kind } | undefined;
}

interface Slip {
  /** The blocks the slipped line opens, to tell the lines that follow it from those that resume the blocks around it. */
  readonly local: Blocks;
  readonly col: number;
  readonly kind: Kind;
  readonly first: number;
  last: number;
  siblingsLast: number;
  siblings: number;
  /** The open blocks just shallower and just deeper than the slipped line, and their latest lines then. */
  readonly below: Level | undefined;
  readonly above: Level | undefined;
  readonly latest: ReadonlyMap<Level, number>;
}

/**
 * Places a line's entries among the open blocks: a deeper block after an entry that opens
 * one, or a sibling of an open block's entries (leaving the deeper ones). When they fit
 * nowhere, the blocks are left as they were and the ones around the line are returned.
 */
function place(blocks: Blocks, entries: ReadonlyArray<{ col: number; kind: Kind }>, opens: boolean, line: number): { below: Level | undefined; above: Level | undefined } | undefined {
  const [first] = entries as [{ col: number; kind: Kind }];
  const { stack, pending } = blocks;
  const opened = pending && (first.col > pending.col || (first.col === pending.col && pending.kind === 'map' && first.kind === 'seq'));
  if (opened || stack.length === 0) stack.push(...levelsOf(entries, 0, line));
  else {
    let k = stack.length - 1;
    while (k >= 0 && stack[k]!.col > first.col) k--;
    // A list written in the column of its key (`key:` then `- item`) ends where the next key is.
    if (k > 0 && stack[k]!.kind === 'seq' && first.kind === 'map' && stack[k - 1]!.col === first.col && stack[k - 1]!.kind === 'map') k--;
    const sibling = stack[k];
    if (!sibling || sibling.col !== first.col || sibling.kind !== first.kind) return { below: sibling, above: stack[k + 1] };
    sibling.count++;
    sibling.latest = line;
    stack.length = k + 1;
    stack.push(...levelsOf(entries, 1, line));
  }
  blocks.pending = opens ? entries.at(-1) : undefined;
  return undefined;
}

function levelsOf(entries: ReadonlyArray<{ col: number; kind: Kind }>, from: number, line: number): Level[] {
  return entries.slice(from).map((e, i) => ({ ...e, line, lead: from + i === 0, count: 1, latest: line }));
}

/** A slip in words, with the line it is told against, and whether that line's own indentation is the other side. */
interface Told {
  readonly slip: IndentationSlip;
  readonly against: number;
  readonly lead: boolean;
}

/**
 * One finding per line told against: the first item of a list moved takes its inline keys
 * with it, and both the keys under it and the items after it then disagree with it. The
 * finding about the line's own indentation says what moved.
 */
function oncePerLine(told: readonly Told[]): Told[] {
  const kept = new Map<number, Told>();
  for (const t of told) {
    const earlier = kept.get(t.against);
    if (!earlier || (!earlier.lead && t.lead)) kept.set(t.against, t);
  }
  return told.filter((t) => kept.get(t.against) === t);
}

function depthMessage(slip: Slip, lines: readonly string[]): Told {
  const ref = nearestBlock(slip);
  const lineEnd = (line: number) => lines[line - 1]!.length + 1;
  const near = (level: Level) => slip.latest.get(level) ?? level.line;
  const rule = 'the entries of one block start in the same column';
  // One entry against several that agree with each other: the one is what moved.
  if (ref?.kind === 'level' && ref.level.lead && ref.level.count === 1 && slip.siblings >= 2 && ref.level.kind === slip.kind) {
    const { line, col, kind } = ref.level;
    const message = `line ${line} is indented ${spaces(col)}, but the other ${entriesOf(kind, 'its')} are indented ${slip.col} (lines ${slip.first}–${slip.siblingsLast}); ${rule}`;
    return { slip: { message, range: { start: { line, col: col + 1 }, end: { line, col: lineEnd(line) } } }, against: line, lead: true };
  }
  const plural = slip.siblingsLast > slip.first;
  const which = plural ? `lines ${slip.first}–${slip.siblingsLast} are` : `line ${slip.first} is`;
  const where =
    ref === undefined ? 'matching no block above'
    : ref.kind === 'column' ? `in the column of the ${ref.level.kind === 'seq' ? 'list items' : 'mapping keys'} of line ${near(ref.level)}`
    : ref.kind === 'between' ? `between the blocks indented ${ref.below.col} (line ${near(ref.below)}) and ${ref.above.col} (line ${near(ref.above)})`
    : `but the other ${entriesOf(ref.level.kind, plural ? 'their' : 'its')} are indented ${ref.level.col} (line ${near(ref.level)})`;
  const message = `${which} indented ${spaces(slip.col)}, ${where}; ${rule}`;
  const range = { start: { line: slip.first, col: slip.col + 1 }, end: { line: slip.last, col: lineEnd(slip.last) } };
  const against = ref === undefined ? slip.first : ref.kind === 'between' ? near(ref.below) : near(ref.level);
  return { slip: { message, range }, against, lead: ref !== undefined && ref.kind !== 'between' && ref.level.lead };
}

type Nearest = { kind: 'level' | 'column'; level: Level } | { kind: 'between'; below: Level; above: Level };

/** The block the slipped line was most likely meant to be part of: the nearest of its kind. */
function nearestBlock(slip: Slip): Nearest | undefined {
  const { below, above } = slip;
  if (below && below.col === slip.col) return { kind: 'column', level: below };
  const around = [below, above].filter((l): l is Level => l !== undefined);
  const sameKind = around.filter((l) => l.kind === slip.kind);
  const [nearest, other] = (sameKind.length > 0 ? sameKind : around).sort((a, b) => Math.abs(a.col - slip.col) - Math.abs(b.col - slip.col));
  if (!nearest) return undefined;
  if (other && below && above && Math.abs(other.col - slip.col) === Math.abs(nearest.col - slip.col)) return { kind: 'between', below, above };
  return { kind: 'level', level: nearest };
}

function entriesOf(kind: Kind, whose: 'its' | 'their'): string {
  return kind === 'seq' ? `items of ${whose} list` : `keys of ${whose} mapping`;
}

function spaces(n: number): string {
  return n === 1 ? '1 space' : `${n} spaces`;
}

function tabMessage(tabs: readonly number[], lines: readonly string[]): IndentationSlip {
  const first = tabs[0]!;
  const last = tabs.at(-1)!;
  const which = tabs.length === 1 ? `line ${first} is` : `${tabs.length} lines (${first} to ${last}) are`;
  return {
    message: `${which} indented with tabs; YAML indents with spaces only (set the editor to insert spaces)`,
    range: { start: { line: first, col: 1 }, end: { line: last, col: lines[last - 1]!.length + 1 } },
  };
}
