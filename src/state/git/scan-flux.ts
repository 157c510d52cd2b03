import { parseAllDocuments } from 'yaml';
import { plainData, valueOr } from '../../yaml/plain-data.js';
import { quickParse } from '../../yaml/quick-parse.js';
import type { FluxObject } from '../types.js';
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
  (quickParse(text) ?? documentValues(text)).forEach((data, document) => {
    const value = data as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string }; spec?: any } | null;
    if (!value || !KINDS.has(value.kind ?? '') || !value.apiVersion?.startsWith('image.toolkit.fluxcd.io/') || !value.metadata?.name) return;
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
  });
  return out;
}

/** Each document's value, read with `yaml`; a broken one, or one too expensive to read (an alias bomb, nesting too deep, keys in keys), is null. */
function documentValues(text: string): unknown[] {
  return parseAllDocuments(text, { logLevel: 'error' }).map((doc) => (doc.errors.length > 0 ? null : valueOr(plainData(doc), null)));
}
