import { parseAllDocuments } from 'yaml';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { argocdOverrideFiles } from '../../kustomize/argocd-overrides.js';
import { parseImageRef } from '../../patch/image-ref.js';
import type { AutomationInput } from './engine.js';
import { imageNames } from './image-updater-cr.js';

/** What a write-back file sets the image to: the text as written, and the tag in it. */
interface Override {
  readonly field: string;
  readonly value: string;
  readonly tag?: string;
}

/**
 * Argo CD merges an Application's `.argocd-source-<app>.yaml` into its source before it
 * renders: each `kustomize.images` entry is set over the kustomization (as `kustomize edit
 * set image` does), each `helm.parameters` entry over the values files (as `--set` does). An
 * entry for this image there is what runs, whatever the rolled-back file says: HF356 for
 * each whose tag is not the rollback tag. Pure.
 */
export function overridingWriteBacks(input: AutomationInput, targetTag: string | undefined): Diagnostic[] {
  return argocdOverrideFiles(input.config.path, input.scan.writeBackFiles, input.scan.kustomizations).flatMap((file) => {
    const text = input.files[file]?.text;
    if (text === undefined) return [];
    return overridesIn(text, input)
      .filter((o) => targetTag === undefined || o.tag !== targetTag)
      .map((o) =>
        diagnostic(
          'HF356',
          `${file} sets ${input.image} to ${o.value} (${o.field} of an Argo CD write-back file), and Argo CD applies it over ${input.config.path} when it renders the Application: the rollback changes nothing that runs until that entry is removed or set to ${targetTag ?? 'the rollback tag'}. Edit ${file} in the rollback pull request, and stop the updater writing it (automation.onRollback)`,
          { file },
        ),
      );
  });
}

type Data = Record<string, any>;

/** The entries of a write-back file that set this image: `kustomize.images` (`[name=]image[:tag][@digest]`), or the Helm parameter the locator reads the tag from. */
function overridesIn(text: string, input: AutomationInput): Override[] {
  const [doc] = parseAllDocuments(text);
  if (!doc || !('errors' in doc) || doc.errors.length > 0) return [];
  const data = doc.toJS() as Data | null;
  const names = imageNames(input.image, input.env.config.locator.kustomizeImage);
  const images: unknown[] = Array.isArray(data?.kustomize?.images) ? data!.kustomize.images : [];
  const kustomize = images.flatMap((entry): Override[] => {
    if (typeof entry !== 'string') return [];
    const eq = entry.indexOf('=');
    const value = eq < 0 ? entry : entry.slice(eq + 1);
    const ref = parseImageRef(value);
    if (!names.has(ref.name) && !(eq > 0 && names.has(entry.slice(0, eq)))) return [];
    return [{ field: 'kustomize.images', value, ...(ref.tag !== undefined ? { tag: ref.tag } : {}) }];
  });
  const tagParameter = input.env.config.locator.helmValues?.tag;
  const parameters: unknown[] = Array.isArray(data?.helm?.parameters) ? data!.helm.parameters : [];
  const helm = parameters.flatMap((p): Override[] =>
    tagParameter !== undefined && typeof p === 'object' && p !== null && (p as Data).name === tagParameter && typeof (p as Data).value === 'string'
      ? [{ field: `helm.parameters ${tagParameter}`, value: (p as Data).value, tag: (p as Data).value }]
      : [],
  );
  return [...kustomize, ...helm];
}
