import { automationLines } from '../git/automation-lines.js';
import { branchTip } from '../git/branch-tip.js';
import { boundRepo } from '../git/bound-repo.js';
import { CatFileBatch } from '../git/cat-file.js';
import { listTags, type ObjectReader, type TagRef } from '../git/read.js';
import { scanAutomation } from '../git/scan-automation.js';
import { fluxObjectsAt } from '../git/scan-flux.js';
import { remembered } from '../remembered.js';
import type { AutomationScan, FluxObject } from '../types.js';

/** What image automation the config repository holds at one commit. */
export interface AutomationAt {
  readonly flux: readonly FluxObject[];
  readonly automation: AutomationScan;
}

/**
 * What status reads of the repositories, each thing once per run however many policies and
 * environments name it: a fleet's policies share one config repository, and each would
 * otherwise check it, resolve its branches, and grep and list its whole tree again. Keyed
 * by path, so two names bound to one checkout are one repository. A failed read is kept
 * too: every environment it concerns says the same why.
 */
export class SharedRepoReads {
  private readonly checked = new Map<string, Promise<string>>();
  private readonly heads = new Map<string, Promise<string | undefined>>();
  private readonly batches = new Map<string, CatFileBatch>();
  private readonly scans = new Map<string, Promise<AutomationAt>>();
  private readonly trees = new Map<string, Promise<Buffer | undefined>>();
  private readonly tagLists = new Map<string, Promise<readonly TagRef[]>>();

  constructor(private readonly repos: Readonly<Record<string, string>>) {}

  /** The path bound to `name`, checked once per path (boundRepo: HF200, HF201, HF227). */
  repo(name: string): Promise<string> {
    const path = Object.hasOwn(this.repos, name) ? this.repos[name]! : undefined;
    if (path === undefined) return boundRepo(this.repos, name);
    return remembered(this.checked, path, () => boundRepo(this.repos, name));
  }

  /** The repository's tags, for reading image revisions back (revisionFrom: gitTag, tags naming commits). */
  tags(path: string): Promise<readonly TagRef[]> {
    return remembered(this.tagLists, path, () => listTags(path));
  }

  /** The commit `refs/heads/BRANCH` names, or undefined. */
  /** A branch's tip: the local branch, else (a CI runner's fresh clone) `remote`'s remote-tracking branch (branchTip). */
  head(path: string, branch: string, remote: string): Promise<string | undefined> {
    return remembered(this.heads, `${path}\0${branch}\0${remote}`, async () => (await branchTip(path, branch, remote))?.sha);
  }

  /** One object reader per repository, for every file any environment reads there. */
  blobs(path: string): CatFileBatch {
    let batch = this.batches.get(path);
    if (!batch) this.batches.set(path, (batch = new CatFileBatch(path)));
    return batch;
  }

  /**
   * The same reader, keeping the trees it read: the config files of a fleet's environments
   * sit side by side (`apps/<service>/overlays/<env>`), and each would read `apps` with its
   * hundreds of entries again.
   */
  objects(path: string): ObjectReader {
    const blobs = this.blobs(path);
    return {
      read: (object) => blobs.read(object),
      readRaw: (object) => blobs.readRaw(object),
      readTree: (object) => remembered(this.trees, `${path}\0${object}`, () => blobs.readTree(object)),
    };
  }

  automationAt(path: string, head: string): Promise<AutomationAt> {
    return remembered(this.scans, `${path}\0${head}`, async () => {
      const blobs = this.blobs(path);
      const lines = automationLines(path, head);
      const [flux, automation] = await Promise.all([lines.then(({ kinds }) => fluxObjectsAt(path, head, blobs, kinds)), scanAutomation(path, head, blobs, lines)]);
      return { flux, automation };
    });
  }

  close(): void {
    for (const batch of this.batches.values()) batch.close();
    this.batches.clear();
  }
}
