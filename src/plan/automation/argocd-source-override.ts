import { parseAllDocumentsBounded } from '../../yaml/bounded-parse.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { argocdOverrideFiles } from '../../kustomize/argocd-overrides.js';
import { parseImageRef } from '../../patch/image-ref.js';
import { formatPointer } from '../../patch/json-pointer.js';
import type { AutomationInput, RollbackEdit } from './engine.js';
import { imageNames } from './image-updater-cr.js';

/** What a write-back file sets the image to: the text as written, the tag in it, and where it is. */
interface Override {
  readonly field: string;
  readonly value: string;
  readonly tag?: string;
  /** The JSON pointer of the value in the file's first document. */
  readonly at: string;
  /** The value that sets `tag` instead, in the same form. */
  readonly withTag: (tag: string) => string;
}

/**
 * Argo CD merges an Application's `.argocd-source-<app>.yaml` into its source before it
 * renders: each `kustomize.images` entry is set over the kustomization (as `kustomize edit
 * set image` does), each `helm.parameters` entry over the values files (as `--set` does). An
 * entry for this image there is what runs, whatever the rolled-back file says, so the
 * rollback commit sets it to the rollback tag too (the entry stays, in the form the updater
 * wrote it: Argo CD reads nothing else); where the rollback tag is not known, HF356 says to.
 * Pure.
 */
export function overridingWriteBacks(input: AutomationInput, targetTag: string | undefined): { diagnostics: Diagnostic[]; edits: RollbackEdit[] } {
  const diagnostics: Diagnostic[] = [];
  const edits: RollbackEdit[] = [];
  for (const file of argocdOverrideFiles(input.config.path, input.scan.writeBackFiles, input.scan.kustomizations)) {
    const text = input.files[file]?.text;
    if (text === undefined) continue;
    const stale = overridesIn(text, input).filter((o) => targetTag === undefined || o.tag !== targetTag);
    if (stale.length === 0) continue;
    if (targetTag === undefined) {
      for (const o of stale)
        diagnostics.push(
          diagnostic(
            'HF356',
            `${file} sets ${input.image} to ${o.value} (${o.field} of an Argo CD write-back file), and Argo CD applies it over ${input.config.path} when it renders the Application: the rollback changes nothing that runs until that entry is removed or set to the rollback tag. Edit ${file} in the rollback pull request, and stop the updater writing it (automation.onRollback)`,
            { file },
          ),
        );
      continue;
    }
    edits.push({
      file,
      patches: [{ document: 0, ops: stale.flatMap((o) => [{ op: 'test' as const, path: o.at, value: o.value }, { op: 'replace' as const, path: o.at, value: o.withTag(targetTag) }]) }],
      says: stale.map((o) => `${file}: ${o.field} ${o.value} → ${o.withTag(targetTag)} (an Argo CD write-back file, which Argo CD applies over ${input.config.path})`).join('\n'),
    });
  }
  return { diagnostics, edits };
}

type Data = Record<string, any>;

/** The entries of a write-back file that set this image: `kustomize.images` (`[name=]image[:tag][@digest]`), or the Helm parameter the locator reads the tag from. */
function overridesIn(text: string, input: AutomationInput): Override[] {
  const [doc] = parseAllDocumentsBounded(text);
  if (!doc || !('errors' in doc) || doc.errors.length > 0) return [];
  const data = doc.toJS() as Data | null;
  const names = imageNames(input.image, input.env.config.locator.kustomizeImage);
  const images: unknown[] = Array.isArray(data?.kustomize?.images) ? data!.kustomize.images : [];
  const kustomize = images.flatMap((entry, index): Override[] => {
    if (typeof entry !== 'string') return [];
    const eq = entry.indexOf('=');
    const value = eq < 0 ? entry : entry.slice(eq + 1);
    const ref = parseImageRef(value);
    if (!names.has(ref.name) && !(eq > 0 && names.has(entry.slice(0, eq)))) return [];
    // A digest pins the old image whatever the tag says: the rollback tag goes without one.
    const withTag = (tag: string) => `${eq < 0 ? '' : entry.slice(0, eq + 1)}${ref.name}:${tag}`;
    return [{ field: 'kustomize.images', value: entry, at: formatPointer(['kustomize', 'images', String(index)]), withTag, ...(ref.tag !== undefined ? { tag: ref.tag } : {}) }];
  });
  const tagParameter = input.env.config.locator.helmValues?.tag;
  const parameters: unknown[] = Array.isArray(data?.helm?.parameters) ? data!.helm.parameters : [];
  const helm = parameters.flatMap((p, index): Override[] =>
    tagParameter !== undefined && typeof p === 'object' && p !== null && (p as Data).name === tagParameter && typeof (p as Data).value === 'string'
      ? [{ field: `helm.parameters ${tagParameter}`, value: (p as Data).value, tag: (p as Data).value, at: formatPointer(['helm', 'parameters', String(index), 'value']), withTag: (tag: string) => tag }]
      : [],
  );
  return [...kustomize, ...helm];
}
