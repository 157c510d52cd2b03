/**
 * The rules of `git check-ref-format`, as a pure function, so names from policies and
 * command lines are refused before they reach git. Also refuses names that start with
 * `-`, which git would read as an option, and names too long for git to store.
 * Returns what is wrong, or undefined for a valid full ref name (`refs/heads/x`).
 */
export function refNameProblem(ref: string): string | undefined {
  return refSyntaxProblem(ref) ?? refLengthProblem(ref);
}

function refSyntaxProblem(ref: string): string | undefined {
  if (ref.length === 0) return 'it is empty';
  if (ref.startsWith('-') || ref.split('/').some((c) => c.startsWith('-'))) return 'a part starts with "-" (it would read as an option)';
  if (ref === '@') return 'it is "@"';
  if (ref.startsWith('/') || ref.endsWith('/')) return 'it starts or ends with "/"';
  if (ref.includes('//')) return 'it contains "//"';
  if (ref.includes('..')) return 'it contains ".."';
  if (ref.includes('@{')) return 'it contains "@{"';
  if (ref.endsWith('.')) return 'it ends with "."';
  // eslint-disable-next-line no-control-regex
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(ref);
  if (bad) return `it contains ${describeChar(bad[0])}`;
  for (const component of ref.split('/')) {
    if (component.startsWith('.')) return `the part "${component}" starts with "."`;
    if (component.endsWith('.lock')) return `the part "${component}" ends with ".lock"`;
  }
  return undefined;
}

/**
 * Git creates a ref as a file named by its last part, written first as `<part>.lock`, inside
 * directories named by the others; a file name has at most 255 bytes on common file systems
 * (ext4, XFS, APFS, NTFS), so git fails to create a longer one ("File name too long").
 */
const MAX_LAST_PART_BYTES = 255 - '.lock'.length;
const MAX_PART_BYTES = 255;
/** Not git's limit but hotfix's: far beyond any name a person reads, well inside PATH_MAX. */
export const MAX_REF_BYTES = 1024;

/** Whether git can store a ref of this name on disk: each part and the whole within bounds, in UTF-8 bytes. */
export function refLengthProblem(ref: string): string | undefined {
  const bytes = Buffer.byteLength(ref);
  if (bytes > MAX_REF_BYTES) return `it is ${bytes} bytes long (at most ${MAX_REF_BYTES})`;
  const parts = ref.split('/');
  for (const [i, part] of parts.entries()) {
    const limit = i === parts.length - 1 ? MAX_LAST_PART_BYTES : MAX_PART_BYTES;
    const size = Buffer.byteLength(part);
    if (size > limit) return `the part "${Array.from(part).slice(0, 16).join('')}…" is ${size} bytes long (at most ${limit}: git stores it as a file name, with ".lock" while it writes)`;
  }
  return undefined;
}

/** A short branch or tag name, as written after `refs/heads/` or `refs/tags/`. */
export function shortRefNameProblem(name: string): string | undefined {
  return shortRefSyntaxProblem(name) ?? refLengthProblem(name);
}

/**
 * The characters and shape of a short name, not its length: a template's sample rendering
 * is as long as its sample values, so its length says nothing (lint checks that apart).
 */
export function shortRefSyntaxProblem(name: string): string | undefined {
  if (name === 'HEAD') return 'it is "HEAD"';
  return refSyntaxProblem(name);
}

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `a control character (0x${code.toString(16).padStart(2, '0')})` : `"${ch}"`;
}
