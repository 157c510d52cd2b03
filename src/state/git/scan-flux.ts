import { parseAllDocumentsBounded } from '../../yaml/bounded-parse.js';
import { plainData, valueOr } from '../../yaml/plain-data.js';
import { quickParse } from '../../yaml/quick-parse.js';
import type { FluxObject, TagSelection } from '../types.js';
import { fluxCandidateDocuments } from './flux-documents.js';
import type { CatFileBatch } from './cat-file.js';
import { FluxFilePrefix } from './flux-file-prefix.js';
import { readFileAt } from './read.js';
import { git } from './run-git.js';

const KINDS = new Set(['ImageUpdateAutomation', 'ImagePolicy', 'ImageRepository']);

/**
 * A line that may give a Flux kind, for git grep (POSIX ERE): `kind: ImagePolicy`, also
 * with quotes (`"kind": "ImagePolicy"`, as JSON-style YAML writes it) and the `!!str` tag.
 * flux-documents.ts looks for the same lines in JavaScript.
 */
export const KIND_LINE = `kind["']?[[:space:]]*:[[:space:]]*(!!str[[:space:]]+)?["']?Image(UpdateAutomation|Policy|Repository)`;

export interface FluxFile {
  readonly path: string;
  /** The last line (1-based) that may give a Flux kind: no document after the one holding it holds a Flux object. */
  readonly lastMatch: number;
}

export interface GrepMatch {
  readonly path: string;
  readonly line: number;
  readonly match: string;
}

/**
 * How git grep reads the patterns. They are POSIX EREs written to mean the same to PCRE (no
 * back-references, no alternatives where leftmost-longest and leftmost-first differ, and
 * LC_ALL=C makes both byte-wise), so git grep is asked for PCRE first: JIT-compiled, it scans
 * a 16 MiB file in half the time glibc's ERE engine takes. A git built without PCRE, or PCRE
 * giving up on a line, exits 128 saying so; from then on this process asks for ERE.
 */
let syntax: '-P' | '-E' = '-P';

/** The matches of the patterns (POSIX EREs, see `syntax`) in the YAML files at `rev` (always a resolved commit id). */
export async function grepYaml(repo: string, rev: string, ...patterns: string[]): Promise<GrepMatch[]> {
  // -o: only the match is printed, which holds no NUL and no newline whatever the line holds;
  // -a: a file git takes for binary still gives line numbers. Fixed against user config:
  // a column would be one more field, and submodules' files are not in this tree.
  const args = (as: typeof syntax) => ['grep', '-n', '-o', '-a', '-z', '--no-column', '--no-recurse-submodules', as, ...patterns.flatMap((p) => ['-e', p]), rev, '--', '*.yaml', '*.yml'];
  let stdout: string | undefined;
  if (syntax === '-P') {
    const perl = await git(repo, args('-P'), { okCodes: [1, 128] });
    if (perl.code !== 128) stdout = perl.stdout;
    else if (/Perl-compatible|pcre/i.test(perl.stderr)) syntax = '-E';
  }
  // ERE answers what PCRE could not; any other failure fails again here, reported as git's.
  stdout ??= (await git(repo, args('-E'), { okCodes: [1] })).stdout;
  const out: GrepMatch[] = [];
  // Each match is `REV:PATH\0LINE\0MATCH\n`; a path may hold a newline, so it ends at the NUL.
  for (let at = 0; at < stdout.length; ) {
    const pathEnd = stdout.indexOf('\0', at);
    const lineEnd = stdout.indexOf('\0', pathEnd + 1);
    const matchEnd = stdout.indexOf('\n', lineEnd + 1);
    if (pathEnd < 0 || lineEnd < 0 || matchEnd < 0) break;
    out.push({ path: stdout.slice(at + rev.length + 1, pathEnd), line: Number(stdout.slice(pathEnd + 1, lineEnd)), match: stdout.slice(lineEnd + 1, matchEnd) });
    at = matchEnd + 1;
  }
  return out;
}

/** Files at `rev` with a line matching `pattern`, each with the last such line. */
export async function filesMatching(repo: string, rev: string, pattern: string): Promise<FluxFile[]> {
  return lastMatches(await grepYaml(repo, rev, pattern));
}

/** The files of some matches, each with its last matched line. */
export function lastMatches(matches: readonly GrepMatch[]): FluxFile[] {
  const last = new Map<string, number>();
  for (const { path, line } of matches) last.set(path, Math.max(last.get(path) ?? 0, line));
  return [...last].map(([path, lastMatch]) => ({ path, lastMatch }));
}

/**
 * The Flux image automation objects at `rev` (in `files`, those git grep found by a kind
 * line), each file read only through its last document that may hold one
 * (FluxFilePrefix): a 16 MiB ConfigMap after them is streamed past, never joined, decoded
 * or parsed. With `keep`, only the documents it keeps are parsed (see imagePoliciesNamed).
 */
export async function fluxObjectsAt(repo: string, rev: string, blobs: CatFileBatch, files?: readonly FluxFile[], keep?: (document: string) => boolean): Promise<FluxObject[]> {
  const objects: FluxObject[] = [];
  const found = files ?? (await filesMatching(repo, rev, KIND_LINE));
  // Asked for at once: cat-file answers in order, without a round trip per file.
  const texts = await Promise.all(found.map((file) => textThroughLastMatch(repo, rev, file, blobs)));
  found.forEach((file, i) => {
    const text = texts[i];
    if (text !== undefined) for (const object of fluxObjectsIn(file.path, text, keep)) objects.push(object); // not push(...): a file may hold more objects than a call takes arguments
  });
  return objects;
}

/**
 * Keeps the documents that may hold an ImageUpdateAutomation or an ImagePolicy of one of
 * `names`, by their text alone. A scalar's value is its source text but where YAML escapes
 * it (a backslash in double quotes), folds it (a space) or doubles a quote (`''`), and a
 * scalar of name characters has none of them beside it; an alias repeats an anchor's text
 * from the same document. So a document whose text holds neither `ImageUpdateAutomation`,
 * a backslash nor a name standing alone cannot hold such an object, unless a name has a
 * character that can be written otherwise, which keeps every document.
 */
export function imagePoliciesNamed(names: readonly string[]): ((document: string) => boolean) | undefined {
  if (names.some((n) => !/^[A-Za-z0-9._-]+$/.test(n))) return undefined;
  const named = names.length === 0 ? undefined : new RegExp(`(?<![A-Za-z0-9._-])(?:${names.map((n) => n.replaceAll('.', '\\.')).join('|')})(?![A-Za-z0-9._-])`);
  return (document) => document.includes('ImageUpdateAutomation') || document.includes('\\') || (named !== undefined && named.test(document));
}

/** A file's text through the document holding its last matched line. */
export async function textThroughLastMatch(repo: string, rev: string, { path, lastMatch }: FluxFile, blobs: CatFileBatch): Promise<string | undefined> {
  // `REV:PATH` names an object on one line; a path with a line break is found through its trees.
  if (/[\n\r]/.test(path)) return (await readFileAt(repo, rev, path, blobs)).text;
  const prefix = new FluxFilePrefix(lastMatch);
  return (await blobs.stream(`${rev}:${path}`, prefix)) ? prefix.text() : undefined;
}

/** Pure: the Flux image automation objects in one file's text. */
export function fluxObjectsIn(file: string, text: string, keep?: (document: string) => boolean): FluxObject[] {
  const out: FluxObject[] = [];
  for (const [data, document] of candidateValues(text, undefined, keep)) {
    const value = data as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string }; spec?: any } | null;
    if (!value || !KINDS.has(value.kind ?? '') || !value.apiVersion?.startsWith('image.toolkit.fluxcd.io/') || !value.metadata?.name) continue;
    const spec = value.spec ?? {};
    const kind = value.kind as FluxObject['kind'];
    const target = kind === 'ImageUpdateAutomation' ? spec.update?.path : kind === 'ImagePolicy' ? spec.imageRepositoryRef?.name : spec.image;
    const branch = kind === 'ImageUpdateAutomation' ? (spec.git?.push?.branch ?? spec.git?.checkout?.ref?.branch) : undefined;
    const strategy = kind === 'ImageUpdateAutomation' ? spec.update?.strategy : undefined;
    const selection = kind === 'ImagePolicy' ? tagSelection(spec) : undefined;
    out.push({
      kind,
      namespace: value.metadata.namespace ?? 'default',
      name: value.metadata.name,
      file,
      document,
      suspended: spec.suspend === true,
      namespaced: typeof value.metadata.namespace === 'string',
      ...(typeof target === 'string' ? { target } : {}),
      ...(typeof branch === 'string' ? { branch } : {}),
      ...(typeof strategy === 'string' ? { strategy } : {}),
      ...(selection ? { selection } : {}),
    });
  }
  return out;
}

/** An ImagePolicy's filterTags and policy, keeping only the values of the types Flux reads. */
function tagSelection(spec: any): TagSelection {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const order = (v: any) => (v && typeof v === 'object' ? (v.order === 'desc' ? 'desc' : 'asc') : undefined);
  const found = {
    pattern: text(spec.filterTags?.pattern),
    extract: text(spec.filterTags?.extract),
    semverRange: text(spec.policy?.semver?.range),
    numerical: order(spec.policy?.numerical),
    alphabetical: order(spec.policy?.alphabetical),
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v !== undefined)) as TagSelection;
}

/**
 * The values of the documents that may hold a Flux object, with their indexes: only those
 * documents are parsed, unless the text cannot be split safely without parsing it.
 */
export function candidateValues(text: string, lines?: RegExp, keep: (document: string) => boolean = () => true): Array<[value: unknown, document: number]> {
  const all = (whole: string) => yamlValues(whole).map((value, document): [unknown, number] => [value, document]);
  const candidates = fluxCandidateDocuments(text, lines);
  if (!candidates) return all(text);
  const out: Array<[unknown, number]> = [];
  for (const { text: piece, document } of candidates) {
    if (!keep(piece)) continue;
    const values = yamlValues(piece);
    // One document alone is one value; anything else means the split was not what the parser sees.
    if (values.length !== 1) return all(text);
    out.push([values[0], document]);
  }
  return out;
}

/** Each document's value; a broken one, or one too expensive to read (an alias bomb, nesting too deep, keys in keys), is null. */
export function yamlValues(text: string): unknown[] {
  return quickParse(text) ?? documentValues(text);
}

function documentValues(text: string): unknown[] {
  return parseAllDocumentsBounded(text, { logLevel: 'error' }).map((doc) => (doc.errors.length > 0 ? null : valueOr(plainData(doc), null)));
}
