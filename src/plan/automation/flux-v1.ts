import { diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import { formatPointer } from '../../patch/json-pointer.js';
import type { AnnotatedObject } from '../../state/types.js';
import { NO_COUNTER, type AutomationInput, type Counter, type FoundAutomation } from './engine.js';
import { combinedFiles, kustomizedNamespace, patchesOf } from './kustomize-graph.js';
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
  readonly filter?: string;
  readonly active: boolean;
}

/**
 * The workloads and HelmReleases that run this image and that Flux v1 automates, found in
 * the config file and every file kustomize combines with it (bases, overlays, patches). A
 * patch's annotation wins over its base's; `locked: "true"` or `automated: "false"` turns
 * automation off. Pure.
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
    if (automated?.value !== 'true') continue;
    const locked = last('locked')?.value === 'true';
    const filter = all.flatMap((d) => [d.annotations[`fluxcd.io/tag.${container}`], d.annotations[`flux.weave.works/tag.${container}`], d.annotations[`filter.fluxcd.io/${container}`]]).filter((f) => f !== undefined).at(-1);
    const namespace = doc.namespace ?? kustomizedNamespace(doc.file, input.scan.kustomizations) ?? 'default';
    const object = `${namespace}:${doc.kind.toLowerCase()}/${doc.name}`;
    if (input.setting.engine === 'flux-v1' && input.setting.object !== undefined && input.setting.object !== object) continue;
    out.push({ object, source: automated.d, prefix: automated.p, container, ...(filter !== undefined ? { filter } : {}), active: !locked });
  }
  return out;
}

export function findFluxV1(input: AutomationInput): FoundAutomation[] {
  return fluxV1Automations(input).map((a) => ({ engine: 'flux-v1', name: a.object, file: a.source.file, writesBack: true, active: a.active }));
}

/** Locks each automated workload as `fluxctl lock` does, or warns (HF350). */
export function counterFluxV1(input: AutomationInput, targetTag: string | undefined): Counter {
  const active = fluxV1Automations(input).filter((a) => a.active);
  if (active.length === 0) return NO_COUNTER;
  const describe = (a: Automated) => `${a.object} (${a.prefix}/automated in ${a.source.file}${a.filter ? `, tag filter ${a.filter}` : ''})`;
  if (input.setting.onRollback === 'warn')
    return { ...NO_COUNTER, diagnostics: active.map((a) => diagnostic('HF350', `Flux v1 automates ${describe(a)} and will release the newer ${input.image} tag straight back; lock it (fluxctl lock --workload=${a.object}) or set automation.onRollback to suspend`)) };
  const diagnostics = active
    .filter((a) => !input.files[a.source.file])
    .map((a) => diagnostic('HF350', `Flux v1 automates ${describe(a)}, whose file was not read, so the plan cannot lock it; run fluxctl lock --workload=${a.object}`));
  const patches = active
    .filter((a) => input.files[a.source.file])
    .map((a) => ({
      file: a.source.file,
      purpose: 'suspend-automation' as const,
      patches: [{
        document: a.source.document,
        ops: [
          { op: 'add' as const, path: formatPointer(['metadata', 'annotations', `${a.prefix}/locked`]), value: 'true' },
          { op: 'add' as const, path: formatPointer(['metadata', 'annotations', `${a.prefix}/locked_msg`]), value: `Rolled back to ${targetTag ?? 'the previous image'}; unlock once a fixed image is released` },
        ],
      }],
      message: `Lock ${a.object} against Flux automation\n\nFlux v1 would release the newer ${input.image} tag straight back after the rollback (${a.prefix}/automated${a.filter ? `, tag filter ${a.filter}` : ''}).\nThis is what fluxctl lock --workload=${a.object} commits.\nUnlock it (fluxctl unlock) once a fixed image is released.`,
    }));
  return { diagnostics, patches, notes: [] };
}
