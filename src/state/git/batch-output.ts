/** One answer of `git cat-file --batch`: the object and its id, or undefined when the name is missing. */
export type BatchAnswer = { readonly oid: string; readonly type: string; readonly content: Buffer } | undefined;

/**
 * Takes an object's content piece by piece, as the pipe delivers it, instead of whole: it
 * says when it has what it needs, and the rest of the object is then dropped unread. A
 * 16 MiB file whose first lines are all that matters is never joined or decoded.
 */
export interface ContentSink {
  /** `piece` is a view of the pipe's buffer, valid until the next call; true means "enough". */
  take(piece: Buffer): boolean;
}

const NOTHING = Buffer.alloc(0);

/**
 * The output of `git cat-file --batch` cut into answers: `SHA TYPE SIZE\n`, SIZE bytes of
 * content and a newline, or `NAME missing\n`. A pipe delivers a 16 MiB blob in thousands
 * of chunks; they are kept as they come and joined once, when the whole object is there, so
 * each byte is copied at most once (joining the buffer with every chunk copied the bytes
 * received so far again each time: a 16 MiB file took 20 s). An object whose reader gave a
 * sink (`sinkFor`) is handed to it unjoined, and answered with empty content. Pure: no
 * process, no I/O.
 */
export class BatchOutput {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  /** Bytes at the front already searched for the header's newline. */
  private searched = 0;
  private expected: { readonly oid: string; readonly type: string; readonly size: number; readonly sink: ContentSink | undefined; given: number; enough: boolean } | undefined;

  /** Set once the owner stopped reading this output (endsEarly): nothing more is taken. */
  private ended = false;

  constructor(
    private readonly answer: (answer: BatchAnswer) => void,
    private readonly streaming: {
      /** The sink of the object whose header has just come, if its reader streams it. */
      readonly sinkFor: () => ContentSink | undefined;
      /**
       * Asked when a sink has had enough with `left` bytes of its object still to come: true
       * when the owner stops reading this output there (and asks another process for what
       * follows), so the object is answered at once.
       */
      readonly endsEarly: (left: number) => boolean;
    } = { sinkFor: () => undefined, endsEarly: () => false },
  ) {}

  push(chunk: Buffer): void {
    if (this.ended) return;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    for (;;) {
      if (!this.expected) {
        const newline = this.newlineAt();
        if (newline < 0) return;
        const header = this.take(newline).toString('utf8');
        this.take(1);
        if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
          this.answer(undefined);
          continue;
        }
        const [oid, type, size] = header.split(' ');
        this.expected = { oid: oid!, type: type!, size: Number(size), sink: this.streaming.sinkFor(), given: 0, enough: false };
      }
      const expected = this.expected;
      if (expected.sink) {
        const pieces = this.drain(Math.min(expected.size - expected.given, this.queued));
        for (const piece of pieces) {
          expected.given += piece.length;
          if (!expected.enough) expected.enough = expected.sink.take(piece);
        }
        if (expected.enough && expected.given < expected.size && this.streaming.endsEarly(expected.size - expected.given)) {
          this.ended = true;
          this.chunks.length = 0;
          this.answer({ oid: expected.oid, type: expected.type, content: NOTHING });
          return;
        }
        if (expected.given < expected.size || this.queued < 1) return;
        this.take(1);
        this.expected = undefined;
        this.answer({ oid: expected.oid, type: expected.type, content: NOTHING });
        continue;
      }
      if (this.queued < expected.size + 1) return;
      const content = this.take(expected.size);
      this.take(1);
      this.expected = undefined;
      this.answer({ oid: expected.oid, type: expected.type, content });
    }
  }

  /** Where the first newline is in the queued bytes, or -1; bytes searched once are not searched again. */
  private newlineAt(): number {
    let start = 0;
    for (const chunk of this.chunks) {
      if (start + chunk.length > this.searched) {
        const found = chunk.indexOf(10, Math.max(0, this.searched - start));
        if (found >= 0) return start + found;
      }
      start += chunk.length;
    }
    this.searched = start;
    return -1;
  }

  /** The next `n` queued bytes, copied out of the chunks (so a small answer does not hold a large chunk). */
  private take(n: number): Buffer {
    return Buffer.concat(this.drain(n), n);
  }

  /** The next `n` queued bytes as views of the chunks they are in, removed from the queue without a copy. */
  private drain(n: number): Buffer[] {
    const parts: Buffer[] = [];
    let used = 0;
    for (let left = n; left > 0; used++) {
      const chunk = this.chunks[used]!;
      const part = chunk.subarray(0, left);
      parts.push(part);
      left -= part.length;
      if (part.length < chunk.length) {
        this.chunks[used] = chunk.subarray(part.length);
        break;
      }
    }
    // One splice per answer, not a shift per chunk: thousands of chunks make one large blob.
    this.chunks.splice(0, used);
    this.queued -= n;
    this.searched = 0;
    return parts;
  }
}
