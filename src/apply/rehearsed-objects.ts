import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { looseObjectType, putLooseFile } from '../state/git/loose-object.js';
import { commonGitDir } from '../state/git/read.js';
import { fileSystemError } from './file-system-error.js';
import { WRITE_ORDER } from './git-write.js';

/**
 * What the rehearsal made up to one action: the object its ref moves to, and every loose
 * object file git wrote in the stand-in so far (what this action made, and what it may
 * share with earlier ones, whose objects the real run may have made otherwise); `packed`
 * when git wrote a pack there instead (core.bigFileThreshold), whose objects are not placed.
 */
interface Made {
  readonly to: string;
  readonly objects: string;
  readonly files: readonly string[];
  readonly packed: boolean;
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

  /** After the rehearsal made `actionId` in the stand-in whose object directory is `objects` (one that holds only what the rehearsal made). */
  async record(actionId: string, to: string, objects: string): Promise<void> {
    const files: string[] = [];
    for (const fanOut of await readdir(objects)) {
      if (!/^[0-9a-f]{2}$/.test(fanOut)) continue;
      for (const name of await readdir(join(objects, fanOut))) if (/^[0-9a-f]{38,62}$/.test(name)) files.push(`${fanOut}/${name}`);
    }
    const packed = (await readdir(join(objects, 'pack')).catch(() => [] as string[])).some((name) => name.endsWith('.pack'));
    this.made.set(actionId, { to, objects, files, packed });
  }

  /**
   * Places what the rehearsal made for the action into the repository; false when it did
   * not make this action with this result, or its files are no longer whole (the scratch
   * directory outlives a gate's wait): the caller then makes the objects itself.
   */
  async place(actionId: string, to: string, repo: string): Promise<boolean> {
    const made = this.made.get(actionId);
    if (made === undefined || made.to !== to || made.packed) return false;
    // Each file must still hold the object its name is the id of, before any is placed.
    const files: { file: string; bytes: Buffer; order: number }[] = [];
    for (const file of made.files) {
      const bytes = await readFile(join(made.objects, file)).catch(() => undefined);
      const type = bytes && looseObjectType(bytes, file.replace('/', ''));
      if (bytes === undefined || type === undefined) return false;
      files.push({ file, bytes, order: (WRITE_ORDER as readonly string[]).indexOf(type) });
    }
    // As git writes them: what an object names is in place first, so a write that fails
    // half-way leaves objects unused, never one that names a missing one.
    files.sort((a, b) => a.order - b.order);
    const objects = join(await commonGitDir(repo), 'objects');
    for (const { file, bytes } of files) await putLooseFile(objects, file, bytes).catch((error: unknown) => fileSystemError(error, 'write the object', join(objects, file)));
    return true;
  }

  async dispose(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
  }
}
