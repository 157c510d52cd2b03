import { spawn, type ChildProcess } from 'node:child_process';
import { BatchOutput, type BatchAnswer, type ContentSink } from './batch-output.js';
import { gitArgs, gitEnv } from './run-git.js';
import { trackGit } from './running-git.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { startFailure } from '../start-failure.js';
import { programOnPath } from '../program-path.js';

/**
 * Past a streamed object's last needed byte, more than this is not read through: the
 * process is ended and another one started for the reads after it. A start costs less than
 * megabytes through the pipe and the collector.
 */
const START_OVER_BYTES = 1024 * 1024;

/**
 * One long-lived `git cat-file --batch` process: reading thousands of blobs while walking
 * history costs one process, not one per blob.
 */
export class CatFileBatch {
  /** Its streams are null when it could not be started at all (out of file descriptors); its 'error' then rejects every read. */
  private child!: ChildProcess;
  private output!: BatchOutput;
  private readonly waiting: Array<{ readonly object: string; resolve: (answer: BatchAnswer) => void; reject: (e: Error) => void; sink?: ContentSink }> = [];
  private failure: Error | undefined;
  private startOver = false;
  private closed = false;

  constructor(private readonly repo: string) {
    this.start();
  }

  private start(): void {
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    const child = spawn(programOnPath('git'), gitArgs(['cat-file', '--batch']), { cwd: this.repo, env: gitEnv() });
    this.child = child;
    // Ended by a signal, it exits; the reads still waiting then fail below.
    const untrack = trackGit(() => child.kill());
    child.on('exit', untrack);
    this.output = new BatchOutput((answer) => this.waiting.shift()?.resolve(answer), {
      sinkFor: () => this.waiting[0]?.sink,
      endsEarly: (left) => (this.startOver = left > START_OVER_BYTES),
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.output.push(chunk);
      if (this.startOver) this.restart();
    });
    // A process ended by restart says nothing more about the reads.
    child.on('error', (error) => {
      untrack();
      if (child === this.child) fail(startFailure(error, 'git', { cwd: this.repo }));
    });
    // Writing to a git that has gone fails with EPIPE; its exit below says what happened.
    child.stdin?.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (child === this.child && this.waiting.length > 0) fail(new HotfixError([diagnostic('HF204', `git cat-file failed in ${this.repo}: it exited with ${signal ?? `code ${code}`}`)]));
    });
  }

  /** Ends the process in the middle of an object nobody needs the rest of, and asks a new one for what was still to come. */
  private restart(): void {
    this.startOver = false;
    const old = this.child;
    old.stdout?.removeAllListeners('data');
    old.kill();
    this.start();
    for (const { object } of this.waiting) this.child.stdin?.write(`${object}\n`);
    if (this.closed) this.child.stdin?.end();
  }

  /** The text of `rev:path` (or any object name), or undefined when it does not exist. */
  async read(object: string): Promise<string | undefined> {
    return (await this.readObject(object))?.content.toString('utf8');
  }

  /** The raw content of a blob, or undefined when the name is not a blob. */
  async readRaw(object: string): Promise<Buffer | undefined> {
    const found = await this.readObject(object);
    return found?.type === 'blob' ? found.content : undefined;
  }

  /**
   * A blob's content handed to `sink` piece by piece, never joined (see ContentSink); false
   * when the name is not a blob.
   */
  async stream(object: string, sink: ContentSink): Promise<boolean> {
    return (await this.readObject(object, sink))?.type === 'blob';
  }

  /**
   * The commit a revision names (`refs/heads/main`), or undefined where it names none: what
   * `rev-parse --verify REV^{commit}` says, asked of this process instead of another.
   */
  async commitOf(revision: string): Promise<string | undefined> {
    // No ref name holds a line break, and none can travel on cat-file's input.
    if (/[\n\r]/.test(revision)) return undefined;
    const found = await this.readObject(`${revision}^{commit}`);
    return found?.type === 'commit' ? found.oid : undefined;
  }

  /** A tree's binary entries, or undefined when the name is not a tree (a link, a file). */
  async readTree(object: string): Promise<Buffer | undefined> {
    const found = await this.readObject(object);
    return found?.type === 'tree' ? found.content : undefined;
  }

  private readObject(object: string, sink?: ContentSink): Promise<BatchAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (/[\n\r]/.test(object)) return Promise.reject(new Error('object name contains a line break'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ object, resolve, reject, ...(sink ? { sink } : {}) });
      this.child.stdin?.write(`${object}\n`);
    });
  }

  close(): void {
    this.closed = true;
    this.child.stdin?.end();
  }
}
