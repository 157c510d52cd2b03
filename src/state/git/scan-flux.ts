import { parseAllDocuments } from 'yaml';
import { plainData, valueOr } from '../../yaml/plain-data.js';
import { quickParse } from '../../yaml/quick-parse.js';
import type { FluxObject } from '../types.js';
import { fluxCandidateDocuments } from './flux-documents.js';
import { git } from './run-git.js';

const KINDS = new Set(['ImageUpdateAutomation', 'ImagePolicy', 'ImageRepository']);

/** Files at `rev` (always a resolved commit id) that may hold Flux image automation objects. */
export async function fluxFiles(repo: string, rev: string): Promise<string[]> {
  const { stdout } = await git(repo, ['grep', '-l', '-z', '-E', '-e', 'kind:[[:space:]]*Image(UpdateAutomation|Policy|Repository)', rev, '--', '*.yaml', '*.yml'], { okCodes: [1] });
  return stdout.split('\0').filter(Boolean).map((line) => line.slice(rev.length + 1));
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
