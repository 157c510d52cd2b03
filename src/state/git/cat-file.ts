import { spawn, type ChildProcess } from 'node:child_process';
import { BatchOutput, type BatchAnswer } from './batch-output.js';
import { gitArgs, gitEnv } from './run-git.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { startFailure } from '../start-failure.js';

/**
 * One long-lived `git cat-file --batch` process: reading thousands of blobs while walking
 * history costs one process, not one per blob.
 */
export class CatFileBatch {
  /** Its streams are null when it could not be started at all (out of file descriptors); its 'error' then rejects every read. */
  private readonly child: ChildProcess;
  private readonly waiting: Array<{ resolve: (answer: BatchAnswer) => void; reject: (e: Error) => void }> = [];
  private readonly output = new BatchOutput((answer) => this.waiting.shift()?.resolve(answer));
  private failure: Error | undefined;

  constructor(repo: string) {
    const fail = (error: Error) => {
      this.failure ??= error;
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    this.child = spawn('git', gitArgs(['cat-file', '--batch']), { cwd: repo, env: gitEnv() });
    this.child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.child.on('error', (error) => fail(startFailure(error, 'git', { cwd: repo })));
    // Writing to a git that has gone fails with EPIPE; its exit below says what happened.
    this.child.stdin?.on('error', () => undefined);
    this.child.on('exit', (code, signal) => {
      if (this.waiting.length > 0) fail(new HotfixError([diagnostic('HF204', `git cat-file failed in ${repo}: it exited with ${signal ?? `code ${code}`}`)]));
    });
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

  /** A tree's binary entries, or undefined when the name is not a tree (a link, a file). */
  async readTree(object: string): Promise<Buffer | undefined> {
    const found = await this.readObject(object);
    return found?.type === 'tree' ? found.content : undefined;
  }

  private readObject(object: string): Promise<BatchAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (/[\n\r]/.test(object)) return Promise.reject(new Error('object name contains a line break'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin?.write(`${object}\n`);
    });
  }

  close(): void {
    this.child.stdin?.end();
  }
}
