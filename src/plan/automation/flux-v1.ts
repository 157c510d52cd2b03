import { diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import { formatPointer } from '../../patch/json-pointer.js';
import type { PatchOp } from '../../patch/patch-yaml.js';
import type { AnnotatedObject } from '../../state/types.js';
import { NO_COUNTER, type AutomationInput, type Counter, type FoundAutomation } from './engine.js';
import { combinedFiles, kustomizedNamespace, patchesOf } from '../../kustomize/kustomize-graph.js';
import { considers } from './setting.js';

/** Flux v1 read its annotations under both prefixes; the older one first. */
const PREFIXES = ['flux.weave.works', 'fluxcd.io'] as const;

/** A workload or HelmRelease Flux v1 automates, as kustomize combines its documents. */
interface Automated {
  /** fluxctl's name: `namespace:kind/name`. */
  readonly object: string;
  /** The document whose `automated: "true"` wins, and the prefix it uses. */
  readonly source: AnnotatedObject;
  readonly prefix: (typeof PREFIXES)[number];
  readonly container: string;
  /** The tag filter that wins: its value, the document that sets it, and the annotation's key there. */
  readonly filter?: { readonly value: string; readonly source: AnnotatedObject; readonly key: string };
  readonly active: boolean;
}

/**
 * The workloads and HelmReleases that run this image and that Flux v1 automates, found in
 * the config file and every file kustomize combines with it (bases, overlays, patches). A
 * patch's annotation wins over its base's; `locked: "true"` or `automated: "false"` turns
 * automation off (listed, not active). Pure.
 */
export function fluxV1Automations(input: AutomationInput): Automated[] {
  if (!considers(input.setting, 'flux-v1')) return [];
  const files = combinedFiles(input.config.path, input.scan.kustomizations);
  const patchFiles = new Set(input.scan.kustomizations.flatMap(patchesOf));
  const names = new Set([parseImageRef(input.image).name, ...(input.env.config.locator.kustomizeImage ? [input.env.config.locator.kustomizeImage] : [])]);
  const docs = input.scan.annotated.filter((o) => files.has(o.file) && o.kind !== 'Application' && o.kind !== 'ImageUpdater');
  const out: Automated[] = [];
  const seen = new Set<string>();
  for (const doc of docs) {
    const container = Object.entries(doc.containers).find(([, image]) => names.has(parseImageRef(image).name))?.[0];
    if (container === undefined || seen.has(`${doc.kind}/${doc.name}`)) continue;
    seen.add(`${doc.kind}/${doc.name}`);
    // Resources first, then patches: what kustomize applies last wins.
    const all = docs.filter((d) => d.kind === doc.kind && d.name === doc.name).sort((a, b) => Number(patchFiles.has(a.file)) - Number(patchFiles.has(b.file)));
    const last = (key: string) => all.flatMap((d) => PREFIXES.filter((p) => d.annotations[`${p}/${key}`] !== undefined).map((p) => ({ d, p, value: d.annotations[`${p}/${key}`]! }))).at(-1);
    const automated = last('automated');
    // `automated: "false"` is listed too, as off: it is what suspend commits.
    if (automated === undefined) continue;
    const on = automated.value === 'true' && last('locked')?.value !== 'true';
    const filter = all.flatMap((d) => filterKeys(container).filter((key) => d.annotations[key] !== undefined).map((key) => ({ value: d.annotations[key]!, source: d, key }))).at(-1);
    const namespace = doc.namespace ?? kustomizedNamespace(doc.file, input.scan.kustomizations) ?? 'default';
    const object = `${namespace}:${doc.kind.toLowerCase()}/${doc.name}`;
    if (input.setting.engine === 'flux-v1' && input.setting.object !== undefined && input.setting.object !== object) continue;
    out.push({ object, source: automated.d, prefix: automated.p, container, ...(filter !== undefined ? { filter } : {}), active: on });
  }
  return out;
}

export function findFluxV1(input: AutomationInput): FoundAutomation[] {
  return fluxV1Automations(input).map((a) => ({ engine: 'flux-v1', name: a.object, file: a.source.file, writesBack: true, active: a.active }));
}

/**
 * Stops Flux v1 from releasing the newer tag, in git, or warns (HF350). `suspend` turns
 * automation off (`automated: "false"`, what `fluxctl deautomate` commits) rather than
 * locking: a lock also refuses `fluxctl release`, the way the fixed image would be
 * released by hand. `pin` sets the container's tag filter to `glob:<tag>`: Flux v1's glob
 * has no wildcard but `*`, which no tag holds, so it matches that tag alone, and the other
 * containers of the workload stay automated. Each edit is made where the annotation wins.
 */
export function counterFluxV1(input: AutomationInput, targetTag: string | undefined): Counter {
  const active = fluxV1Automations(input).filter((a) => a.active);
  if (active.length === 0) return NO_COUNTER;
  const { onRollback } = input.setting;
  const pin = onRollback === 'pin' && targetTag !== undefined;
  if (onRollback === 'warn' || (onRollback === 'pin' && targetTag === undefined))
    return { ...NO_COUNTER, diagnostics: active.map((a) => diagnostic('HF350', `Flux v1 automates ${describe(a)} and will release the newer ${input.image} tag straight back; set automation.onRollback to suspend (automated: "false") or pin (a tag filter of the rollback tag), or run fluxctl deautomate --workload=${a.object}`)) };
  const edits = active.map((a) => ({ a, edit: pin ? pinEdit(a, targetTag) : suspendEdit(a) }));
  const diagnostics = edits
    .filter(({ edit }) => !input.files[edit.doc.file])
    .map(({ a, edit }) => diagnostic('HF350', `Flux v1 automates ${describe(a)}, but ${edit.doc.file} was not read, so the plan cannot change it; run ${edit.command}`));
  const patches = edits
    .filter(({ edit }) => input.files[edit.doc.file])
    .map(({ a, edit }) => ({
      file: edit.doc.file,
      purpose: pin ? ('pin-policy' as const) : ('suspend-automation' as const),
      patches: [{ document: edit.doc.document, ops: edit.ops }],
      message: `${edit.title}\n\nFlux v1 would release the newer ${input.image} tag straight back after the rollback (${a.prefix}/automated${a.filter ? `, tag filter ${a.filter.value}` : ''}).\nThis is what ${edit.command} commits.\n${edit.undo}`,
    }));
  return { ...NO_COUNTER, diagnostics, patches };
}

interface Edit {
  readonly doc: AnnotatedObject;
  readonly ops: PatchOp[];
  readonly title: string;
  readonly command: string;
  readonly undo: string;
}

function suspendEdit(a: Automated): Edit {
  const key = annotation(`${a.prefix}/automated`);
  return {
    doc: a.source,
    ops: [{ op: 'test', path: key, value: 'true' }, { op: 'replace', path: key, value: 'false' }],
    title: `Turn Flux automation off for ${a.object}`,
    command: `fluxctl deautomate --workload=${a.object}`,
    undo: `Turn it back on (fluxctl automate --workload=${a.object}) once a fixed image is released.`,
  };
}

function pinEdit(a: Automated, tag: string): Edit {
  const value = `glob:${tag}`;
  const key = a.filter?.key ?? (a.source.kind === 'HelmRelease' ? `filter.fluxcd.io/${a.container}` : `${a.prefix}/tag.${a.container}`);
  const path = annotation(key);
  return {
    doc: a.filter?.source ?? a.source,
    ops: a.filter ? [{ op: 'test', path, value: a.filter.value }, { op: 'replace', path, value }] : [{ op: 'add', path, value }],
    title: `Release only ${tag} to ${a.container} of ${a.object}`,
    command: `fluxctl policy --workload=${a.object} --tag='${a.container}=${tag}'`,
    undo: `Set the filter back (${a.filter?.value ?? 'remove it'}) once a fixed image is released.`,
  };
}

function describe(a: Automated): string {
  return `${a.object} (${a.prefix}/automated in ${a.source.file}${a.filter ? `, tag filter ${a.filter.value}` : ''})`;
}

/** The keys Flux v1 reads a container's tag filter from. */
function filterKeys(container: string): string[] {
  return [...PREFIXES.map((p) => `${p}/tag.${container}`), `filter.fluxcd.io/${container}`];
}

function annotation(key: string): string {
  return formatPointer(['metadata', 'annotations', key]);
}
