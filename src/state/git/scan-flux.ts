import { parseAllDocuments } from 'yaml';
import { plainData, valueOr } from '../../yaml/plain-data.js';
import { quickParse } from '../../yaml/quick-parse.js';
import type { FluxObject } from '../types.js';
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
const KIND_LINE = `kind["']?[[:space:]]*:[[:space:]]*(!!str[[:space:]]+)?["']?Image(UpdateAutomation|Policy|Repository)`;

export interface FluxFile {
  readonly path: string;
  /** The last line (1-based) that may give a Flux kind: no document after the one holding it holds a Flux object. */
  readonly lastMatch: number;
}

/** Files at `rev` (always a resolved commit id) that may hold Flux image automation objects. */
async function fluxFiles(repo: string, rev: string): Promise<FluxFile[]> {
  // -o: only the match is printed, which holds no NUL and no newline whatever the line holds;
  // -a: a file git takes for binary still gives line numbers. Fixed against user config:
  // a column would be one more field, and submodules' files are not in this tree.
  const args = ['grep', '-n', '-o', '-a', '-z', '--no-column', '--no-recurse-submodules', '-E', '-e', KIND_LINE, rev, '--', '*.yaml', '*.yml'];
  const { stdout } = await git(repo, args, { okCodes: [1] });
  const last = new Map<string, number>();
  // Each match is `REV:PATH\0LINE\0MATCH\n`; a path may hold a newline, so it ends at the NUL.
  for (let at = 0; at < stdout.length; ) {
    const pathEnd = stdout.indexOf('\0', at);
    const lineEnd = stdout.indexOf('\0', pathEnd + 1);
    const matchEnd = stdout.indexOf('\n', lineEnd + 1);
    if (pathEnd < 0 || lineEnd < 0 || matchEnd < 0) break;
    const path = stdout.slice(at + rev.length + 1, pathEnd);
    last.set(path, Math.max(last.get(path) ?? 0, Number(stdout.slice(pathEnd + 1, lineEnd))));
    at = matchEnd + 1;
  }
  return [...last].map(([path, lastMatch]) => ({ path, lastMatch }));
}

/**
 * The Flux image automation objects at `rev`, each file read only through its last
 * document that may hold one (FluxFilePrefix): a 16 MiB ConfigMap after them is streamed
 * past, never joined, decoded or parsed.
 */
export async function fluxObjectsAt(repo: string, rev: string, blobs: CatFileBatch): Promise<FluxObject[]> {
  const objects: FluxObject[] = [];
  for (const { path, lastMatch } of await fluxFiles(repo, rev)) {
    // `REV:PATH` names an object on one line; a path with a line break is found through its trees.
    const text = /[\n\r]/.test(path) ? (await readFileAt(repo, rev, path, blobs)).text : await prefixOf(blobs, `${rev}:${path}`, lastMatch);
    if (text === undefined) continue;
    for (const object of fluxObjectsIn(path, text)) objects.push(object); // not push(...): a file may hold more objects than a call takes arguments
  }
  return objects;
}

async function prefixOf(blobs: CatFileBatch, object: string, lastMatch: number): Promise<string | undefined> {
  const prefix = new FluxFilePrefix(lastMatch);
  return (await blobs.stream(object, prefix)) ? prefix.text() : undefined;
}

/** Pure: the Flux image automation objects in one file's text. */
export function fluxObjectsIn(file: string, text: string): FluxObject[] {
  const out: FluxObject[] = [];
  for (const [data, document] of candidateValues(text)) {
    const value = data as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string }; spec?: any } | null;
    if (!value || !KINDS.has(value.kind ?? '') || !value.apiVersion?.startsWith('image.toolkit.fluxcd.io/') || !value.metadata?.name) continue;
    const spec = value.spec ?? {};
    const kind = value.kind as FluxObject['kind'];
    const target = kind === 'ImageUpdateAutomation' ? spec.update?.path : kind === 'ImagePolicy' ? spec.imageRepositoryRef?.name : spec.image;
    const branch = kind === 'ImageUpdateAutomation' ? (spec.git?.push?.branch ?? spec.git?.checkout?.ref?.branch) : undefined;
    out.push({
      kind,
      namespace: value.metadata.namespace ?? 'default',
      name: value.metadata.name,
      file,
      document,
      suspended: spec.suspend === true,
      ...(typeof target === 'string' ? { target } : {}),
      ...(typeof branch === 'string' ? { branch } : {}),
    });
  }
  return out;
}

/**
 * The values of the documents that may hold a Flux object, with their indexes: only those
 * documents are parsed, unless the text cannot be split safely without parsing it.
 */
function candidateValues(text: string): Array<[value: unknown, document: number]> {
  const all = (whole: string) => (quickParse(whole) ?? documentValues(whole)).map((value, document): [unknown, number] => [value, document]);
  const candidates = fluxCandidateDocuments(text);
  if (!candidates) return all(text);
  const out: Array<[unknown, number]> = [];
  for (const { text: piece, document } of candidates) {
    const values = quickParse(piece) ?? documentValues(piece);
    // One document alone is one value; anything else means the split was not what the parser sees.
    if (values.length !== 1) return all(text);
    out.push([values[0], document]);
  }
  return out;
}

/** Each document's value, read with `yaml`; a broken one, or one too expensive to read (an alias bomb, nesting too deep, keys in keys), is null. */
function documentValues(text: string): unknown[] {
  return parseAllDocuments(text, { logLevel: 'error' }).map((doc) => (doc.errors.length > 0 ? null : valueOr(plainData(doc), null)));
}
