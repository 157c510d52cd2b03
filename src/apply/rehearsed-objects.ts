import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { holdsObject, putLooseFile } from '../state/git/loose-object.js';
import { commonGitDir } from '../state/git/read.js';
import { fileSystemError } from './file-system-error.js';

/** What the rehearsal made for one action: the object its ref moves to, and the loose object files git wrote for it. */
interface Made {
  readonly to: string;
  readonly objects: string;
  readonly files: readonly string[];
}

/**
 * The objects the rehearsal made, action by action, kept (in its scratch directory) until
 * apply has run. Making a commit costs git processes (reading blobs, merge-tree,
 * commit-tree, hash-object) that the rehearsal already ran and checked against the plan, in
 * stand-ins that hold only the new objects (everything else they read from the real
 * repository through alternates). So the real run places those files into the repository,
 * as `git clone --local` copies loose objects, where it would make them a second time; an
 * object's file name is its id, checked again before it is placed (its inflated bytes hash
 * to it), and the ref then moves to the id the plan names. An action
 * the rehearsal did not make with the same result (made again on a moved branch, or with a
 * tag decided at the gate) is made by the real run as before.
 */
export class RehearsedObjects {
  private readonly made = new Map<string, Made>();

  constructor(private readonly scratch: string) {}

  /** The loose object files of an object directory, as `xx/yyyy…`. */
  static async looseFiles(objects: string): Promise<Set<string>> {
    const out = new Set<string>();
    for (const fanOut of await readdir(objects)) {
      if (!/^[0-9a-f]{2}$/.test(fanOut)) continue;
      for (const name of await readdir(join(objects, fanOut))) if (/^[0-9a-f]{38,62}$/.test(name)) out.add(`${fanOut}/${name}`);
    }
    return out;
  }

  /** After the rehearsal made `actionId` in the stand-in whose object directory is `objects`: what appeared there. */
  record(actionId: string, to: string, objects: string, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    this.made.set(actionId, { to, objects, files: [...after].filter((file) => !before.has(file)) });
  }

  /**
   * Places what the rehearsal made for the action into the repository; false when it did
   * not make this action with this result, or its files are no longer whole (the scratch
   * directory outlives a gate's wait): the caller then makes the objects itself.
   */
  async place(actionId: string, to: string, repo: string): Promise<boolean> {
    const made = this.made.get(actionId);
    if (made === undefined || made.to !== to) return false;
    // Each file must still hold the object its name is the id of, before any is placed.
    const files: [string, Buffer][] = [];
    for (const file of made.files) {
      const bytes = await readFile(join(made.objects, file)).catch(() => undefined);
      if (bytes === undefined || !holdsObject(bytes, file.replace('/', ''))) return false;
      files.push([file, bytes]);
    }
    const objects = join(await commonGitDir(repo), 'objects');
    for (const [file, bytes] of files) await putLooseFile(objects, file, bytes).catch((error: unknown) => fileSystemError(error, 'write the object', join(objects, file)));
    return true;
  }

  async dispose(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
  }
}

