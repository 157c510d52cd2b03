import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { commonGitDir } from '../state/git/read.js';
import { fileSystemError } from './file-system-error.js';

/**
 * Which actions of a plan are finished, kept in the git directory of the plan's first
 * repository (never in the work tree), so a second `hotfix apply` of the same plan goes on
 * where the first stopped.
 */
export class Journal {
  private constructor(
    private readonly file: string,
    private readonly finished: Set<string>,
  ) {}

  static async open(repo: string, planId: string): Promise<Journal> {
    // Only read here: the directory is made when the first action is recorded, so a refused
    // apply leaves the repository exactly as it was.
    const dir = join(await commonGitDir(repo), 'hotfix', 'journal');
    const file = join(dir, `${planId.replace(/^sha256:/, '')}.json`);
    // No journal yet (nothing there, or a file where its directory goes, which taking the
    // lock reports) is a fresh start; one that cannot be read must not pass for one.
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? undefined : fileSystemError(error, 'read the journal', file)));
    const saved = text === undefined ? { done: [] } : parseJournal(text);
    return new Journal(file, new Set(Array.isArray(saved.done) ? saved.done.filter((d): d is string => typeof d === 'string') : []));
  }

  get done(): ReadonlySet<string> {
    return this.finished;
  }

  async finish(actionId: string): Promise<void> {
    this.finished.add(actionId);
    try {
      await mkdir(dirname(this.file), { recursive: true });
      // Write then rename: a crash leaves the old journal or the new one, never half of one.
      await writeFile(`${this.file}.tmp`, JSON.stringify({ done: [...this.finished] }) + '\n');
      await rename(`${this.file}.tmp`, this.file);
    } catch (error) {
      fileSystemError(error, 'record the finished action in the journal', this.file);
    }
  }
}

function parseJournal(text: string): { done?: unknown } {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : { done: [] };
  } catch {
    return { done: [] };
  }
}
