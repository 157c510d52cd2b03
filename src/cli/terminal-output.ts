import { Writable } from 'node:stream';
import { printable } from '../render/printable.js';

/**
 * What every command writes to, in place of the process's stdout or stderr. All text
 * passes through printable(), whatever rendered it, so no string from outside (a registry
 * label, a cluster message, git's words, a file, a commit message) steers the terminal.
 * A reader that goes away (`hotfix … | head`: EPIPE) ends the output, never the command: an
 * apply goes on to its end with its journal and locks as they should be, and every command
 * exits with the code its work earned. Any other failed write is kept for the exit code.
 */
/** How a write says its reader is gone: a pipe or socket closed, or the stream ended after that. */
const READER_GONE = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED']);

export class TerminalOutput extends Writable {
  /**
   * Whether this output is styled as a terminal: the colour choice (color-choice.ts), made
   * once for the whole run. Named as Node's streams name it, so what styles for a terminal
   * (styleFor, clipanion) reads the choice and nothing else.
   */
  readonly isTTY: boolean;
  /** Why writing stopped, if it did; a reader that went away (EPIPE) is no failure. */
  failure: NodeJS.ErrnoException | undefined;
  private stopped = false;

  constructor(private readonly target: NodeJS.WritableStream, colors: boolean) {
    super({ decodeStrings: false });
    this.isTTY = colors;
    target.on('error', (error: NodeJS.ErrnoException) => {
      this.stopped = true;
      if (!READER_GONE.has(error.code ?? '')) this.failure ??= error;
    });
  }

  private lastWrite = Promise.resolve();

  /** Resolves once everything written so far has reached the target or failed, so `failure` is known. */
  settled(): Promise<void> {
    return this.lastWrite;
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    // Never waits for the target to drain: a reader that stopped reading must not stop hotfix.
    if (!this.stopped) {
      const text = printable(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      this.lastWrite = new Promise((resolve) => this.target.write(text, () => resolve()));
    }
    done();
  }
}
