import type { ContentSink } from './batch-output.js';

/** `\n---`: a line starting with a document marker, found with one native search. */
const MARKER = Buffer.from('\n---');
/** What may follow `---` for it to be a document marker: a space, a tab or a line break. */
const AFTER_MARKER = new Set([0x20, 0x09, 0x0d, 0x0a]);

/**
 * The start of a file of Flux objects, as far as its last document that may hold one: up to
 * the first line after `lastMatch` (the last line `git grep` matched, 1-based) that starts
 * with a document marker. In YAML, `---` at the start of a line followed by a space, a tab
 * or a line break always begins a new document, even inside a block scalar or a quoted
 * string (where it is an error either way), so the documents before it, and their indexes,
 * are those of the whole file, and no document after it has a line that matched. The rest,
 * a 16 MiB ConfigMap say, is never joined or decoded. Without a line number, the whole file.
 * Pure: it only sees the bytes it is given.
 */
export class FluxFilePrefix implements ContentSink {
  private bytes = Buffer.alloc(0);
  private length = 0;
  /** Lines ended so far (newlines counted), and where counting goes on. */
  private lines = 0;
  private counted = 0;
  /** Where to look for the next marker line, once past `lastMatch`. */
  private from: number | undefined;
  private cut: number | undefined;

  constructor(private readonly lastMatch: number | undefined) {}

  take(piece: Buffer): boolean {
    this.append(piece);
    return this.lastMatch !== undefined && this.findCut(this.lastMatch);
  }

  /** The bytes kept, as text: through the end of the last document that may hold a Flux object. */
  text(): string {
    return this.bytes.subarray(0, this.cut ?? this.length).toString('utf8');
  }

  private findCut(lastMatch: number): boolean {
    const data = this.bytes.subarray(0, this.length);
    while (this.lines < lastMatch) {
      const newline = data.indexOf(0x0a, this.counted);
      if (newline < 0) {
        this.counted = this.length;
        return false;
      }
      this.lines++;
      this.counted = newline + 1;
    }
    // From the newline ending the last matched line: the line after it may be a marker too.
    let from = this.from ?? this.counted - 1;
    for (;;) {
      const at: number = data.indexOf(MARKER, from);
      if (at < 0) {
        // A marker cut between two pieces starts within the last three bytes.
        this.from = Math.max(from, this.length - (MARKER.length - 1));
        return false;
      }
      if (at + MARKER.length >= this.length) {
        this.from = at; // what follows `---` has not come yet
        return false;
      }
      if (AFTER_MARKER.has(data[at + MARKER.length]!)) {
        this.cut = at + 1;
        return true;
      }
      from = at + 1;
    }
  }

  /** Kept in one buffer that doubles when full: each byte is copied at most twice. */
  private append(piece: Buffer): void {
    if (this.length + piece.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.length + piece.length, 64 * 1024));
      this.bytes.copy(grown, 0, 0, this.length);
      this.bytes = grown;
    }
    piece.copy(this.bytes, this.length);
    this.length += piece.length;
  }
}
