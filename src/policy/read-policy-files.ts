import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { diagnostic, type Diagnostic, type SourceRange } from '../diagnostics/diagnostic.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';
import type { SourceText } from './lint.js';
import { looksLikePolicy } from './policy-document.js';

/** Policies are small; this keeps a stray 20 MB file from stalling CI. */
export const MAX_POLICY_BYTES = 1024 * 1024;

export interface ReadResult {
  readonly sources: readonly SourceText[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Expands the paths given to `hotfix lint` into policy texts: directories are walked for
 * `*.yaml`/`*.yml` (skipping dot-directories and node_modules, following symlinks once),
 * files named explicitly are read whatever their extension. The only I/O of linting.
 * Synchronous on purpose: a thousand small files read in turn on the event loop spend
 * most of their time waiting for their turn.
 */
export function readPolicyFiles(paths: readonly string[], cwd: string): ReadResult {
  // `real` (symlinks resolved) tells one file reached by two paths; a plain entry of a
  // directory is its directory's real path plus its name, a symlink needs a look.
  const found: Array<{ absolute: string; real: string | undefined; explicit: boolean }> = [];
  const diagnostics: Diagnostic[] = [];
  const visitedDirs = new Set<string>();
  const seenFiles = new Set<string>();

  const walk = (dir: string): void => {
    const real = attempt(() => realpathSync.native(dir));
    if (real === undefined || visitedDirs.has(real)) return; // a symlink loop, or a dir seen by another path
    visitedDirs.add(real);
    const entries = attempt(() => readdirSync(dir, { withFileTypes: true })) ?? [];
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      const info = entry.isSymbolicLink() ? attempt(() => statSync(full)) : entry;
      if (!info) continue; // broken link
      if (info.isDirectory()) walk(full);
      else if (info.isFile() && /\.ya?ml$/i.test(entry.name)) found.push({ absolute: full, real: entry.isSymbolicLink() ? undefined : join(real, entry.name), explicit: false });
    }
  };

  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = statOrError(absolute);
    if (info instanceof Error) diagnostics.push(diagnostic('HF100', `cannot read ${path}: ${fsErrorWords(info)}`, { file: path }));
    else if (info.isDirectory()) walk(absolute);
    else if (info.isFile()) found.push({ absolute, real: undefined, explicit: true });
    else diagnostics.push(diagnostic('HF100', `cannot read ${path}: not a regular file or directory`, { file: path }));
  }

  const sources: SourceText[] = [];
  for (const { absolute, explicit, ...known } of found) {
    const real = known.real ?? attempt(() => realpathSync.native(absolute)) ?? absolute;
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    const file = shownPath(absolute, cwd);
    const read = readText(absolute);
    if (typeof read === 'string') sources.push({ file, text: read, explicit });
    else if (explicit || read.mentionsPolicy) diagnostics.push(diagnostic(read.code, read.message, { file, range: read.range }));
  }
  return { sources, diagnostics };
}

/**
 * The one file a plan works from: a regular file, read whatever its extension. A directory
 * is refused rather than walked, since a plan needs exactly one policy.
 */
export function readPolicyFile(path: string, cwd: string): SourceText | Diagnostic {
  const absolute = resolve(cwd, path);
  const refuse = (why: string) => diagnostic('HF100', `${path} is not a policy file: ${why}`, { file: path });
  const info = statOrError(absolute);
  if (info instanceof Error) return refuse(fsErrorWords(info));
  if (info.isDirectory()) return refuse('it is a directory');
  if (!info.isFile()) return refuse('it is not a regular file');
  const file = shownPath(absolute, cwd);
  const read = readText(absolute);
  return typeof read === 'string' ? { file, text: read, explicit: true } : diagnostic(read.code, read.message, { file, range: read.range });
}

/** Relative to the working directory where the file is under it, else absolute. */
function shownPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absolute;
}

type Unreadable = { code: 'HF100' | 'HF101' | 'HF104'; message: string; mentionsPolicy: boolean; range?: SourceRange };

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Reads a file as strict UTF-8 text, refusing what is too large or not text. */
function readText(path: string): string | Unreadable {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const { size } = fstatSync(fd);
    if (size > MAX_POLICY_BYTES) {
      const head = Buffer.alloc(64 * 1024);
      const bytesRead = readSync(fd, head, 0, head.length, 0);
      return { code: 'HF104', message: `file is ${size.toLocaleString('en-US')} bytes; policy files are limited to 1 MiB (${MAX_POLICY_BYTES.toLocaleString('en-US')} bytes)`, mentionsPolicy: looksLikePolicy(head.subarray(0, bytesRead).toString('latin1')) };
    }
    const bytes = readFileSync(fd);
    const mentionsPolicy = () => looksLikePolicy(bytes.toString('latin1'));
    if (bytes.includes(0)) return { code: 'HF101', message: 'file is binary (it contains NUL bytes), not YAML text', mentionsPolicy: mentionsPolicy() };
    try {
      return STRICT_UTF8.decode(bytes);
    } catch {
      return { code: 'HF101', message: 'file is not valid UTF-8 text', mentionsPolicy: mentionsPolicy(), range: firstInvalidByte(bytes) };
    }
  } catch (error) {
    return { code: 'HF100', message: `cannot read file: ${fsErrorWords(error)}`, mentionsPolicy: false };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The result of a file-system call, or undefined when it fails (a broken link, a race). */
function attempt<T>(call: () => T): T | undefined {
  try {
    return call();
  } catch {
    return undefined;
  }
}

function statOrError(path: string): Stats | NodeJS.ErrnoException {
  try {
    return statSync(path);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

/** Where decoding first fails, found as the first replacement character of a lenient decode. */
function firstInvalidByte(bytes: Buffer): SourceRange | undefined {
  const text = new TextDecoder('utf-8').decode(bytes);
  const at = text.indexOf('\uFFFD');
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const col = at - before.lastIndexOf('\n');
  return { start: { line, col }, end: { line, col: col + 1 } };
}
