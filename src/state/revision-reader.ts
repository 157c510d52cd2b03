import type { ImageField } from '../patch/image-field.js';
import type { Locator } from '../policy/types.js';
import { declaredRevision, type DeclaredRevision } from './declared-revision.js';
import { declaresSame } from './same-declaration.js';

/** What each revision of the config file declares, parsing only where that can differ. */
export interface RevisionReader {
  at(sha: string, newer?: readonly ImageField[]): Promise<DeclaredRevision>;
  /** What a text read already declares (the file at head): the walk's first revision is that text again. */
  of(text: string): DeclaredRevision;
  /** Revisions parsed so far; the others were seen to declare what a parsed one did. */
  parsed(): number;
  /** Where the revision read at `sha` declares the image, as findImage finds it (null: it finds none); undefined if not read. */
  fieldsAt(sha: string): readonly ImageField[] | null | undefined;
}

/**
 * Reads revisions of the config file (`readText`: its text at a commit) for a history walk. A
 * revision that differs from the last one parsed only where `declaresSame` allows declares
 * the same image at the same fields, so it is not parsed again: in a file of many images
 * the walk parses this image's changes and the file's restructurings, not every bump.
 */
export function revisionReader(readText: (sha: string) => Promise<string | undefined>, locator: Locator, image: string): RevisionReader {
  let parsed = 0;
  // A revision read by path (byPath) or unreadable is one findImage finds nothing in.
  const read = new Map<string, readonly ImageField[] | null>();
  const remember = (sha: string, revision: DeclaredRevision) => (read.set(sha, revision.kind === 'image' && !revision.byPath ? revision.fields : null), revision);
  let known: { text: string; lines: ReadonlySet<number>; revision: DeclaredRevision } | undefined;
  const parse = (text: string | undefined, newer?: readonly ImageField[]): DeclaredRevision => {
    parsed++;
    const revision = declaredRevision(text, locator, image, newer);
    // Read by a later revision's fields, it holds only for those fields.
    if (text !== undefined && revision.kind === 'image' && !revision.byPath) known = { text, lines: new Set(revision.fields.map((f) => f.line)), revision };
    return revision;
  };
  return {
    parsed: () => parsed,
    fieldsAt: (sha) => read.get(sha),
    of: (text) => parse(text),
    async at(sha, newer) {
      const text = await readText(sha);
      if (text !== undefined && known && declaresSame(known.text, known.lines, text, locator)) return remember(sha, known.revision);
      return remember(sha, parse(text, newer));
    },
  };
}
