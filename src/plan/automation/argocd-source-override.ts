import { parseAllDocuments } from 'yaml';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { argocdOverrideFiles } from '../../kustomize/argocd-overrides.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { AutomationInput } from './engine.js';

/**
 * Argo CD merges an Application's `.argocd-source-<app>.yaml` into its source and sets each
 * of its `kustomize.images` over the kustomization before it renders (as `kustomize edit set
 * image` does), so an entry for this image there is what runs, whatever the rolled-back
 * kustomization says: HF356 for each such entry whose tag is not the rollback tag. Pure.
 */
export function overridingWriteBacks(input: AutomationInput, targetTag: string | undefined): Diagnostic[] {
  const names = new Set([parseImageRef(input.image).name, ...(input.env.config.locator.kustomizeImage ? [input.env.config.locator.kustomizeImage] : [])]);
  return argocdOverrideFiles(input.config.path, input.scan.writeBackFiles, input.scan.kustomizations).flatMap((file) => {
    const text = input.files[file]?.text;
    if (text === undefined) return [];
    return kustomizeImages(text)
        .filter((entry) => entry.names.some((n) => names.has(n)) && (targetTag === undefined || entry.tag !== targetTag))
      .map((entry) =>
        diagnostic(
          'HF356',
          `${file} sets ${input.image} to ${entry.value} (kustomize.images of an Argo CD write-back file), and Argo CD applies it over ${input.config.path} when it renders the Application: the rollback changes nothing that runs until that entry is removed or set to ${targetTag === undefined ? 'the rollback image' : `${parseImageRef(entry.value).name}:${targetTag}`}. Edit ${file} in the rollback pull request, and stop the updater writing it (automation.onRollback)`,
          { file },
        ),
      );
  });
}

/** The `kustomize.images` entries of a write-back file: `[name=]image[:tag][@digest]`, as `kustomize edit set image` takes them. */
function kustomizeImages(text: string): Array<{ names: string[]; tag?: string; value: string }> {
  const [doc] = parseAllDocuments(text);
  if (!doc || !('errors' in doc) || doc.errors.length > 0) return [];
  const images = (doc.toJS() as any)?.kustomize?.images;
  if (!Array.isArray(images)) return [];
  return images.flatMap((entry) => {
    if (typeof entry !== 'string') return [];
    const eq = entry.indexOf('=');
    const value = eq < 0 ? entry : entry.slice(eq + 1);
    const ref = parseImageRef(value);
    return [{ names: eq < 0 ? [ref.name] : [entry.slice(0, eq), ref.name], ...(ref.tag !== undefined ? { tag: ref.tag } : {}), value }];
  });
}
