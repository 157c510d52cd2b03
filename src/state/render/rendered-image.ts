import { parseAllDocumentsBounded } from '../../yaml/bounded-parse.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { plainData } from '../../yaml/plain-data.js';
import { quickParse } from '../../yaml/quick-parse.js';
import { parseImageRef } from '../../patch/image-ref.js';

type PodSpec = { containers?: unknown; initContainers?: unknown };
type Manifest = { kind?: unknown; metadata?: { name?: unknown }; spec?: PodSpec & { template?: { spec?: PodSpec }; jobTemplate?: { spec?: { template?: { spec?: PodSpec } } } } };

/**
 * The image of `container` in `workload` (`kind/name`, kind in any case) in the output of
 * `kubectl kustomize`, or undefined when the render has no such workload or container.
 * Every workload kind a policy can name keeps its pod template at spec.template.
 */
export function renderedImage(output: string, workload: string, container: string, renderDir: string): string | undefined {
  const slash = workload.indexOf('/');
  const kind = workload.slice(0, slash).toLowerCase();
  const name = workload.slice(slash + 1);
  const found = manifests(output, renderDir).find((m) => typeof m.kind === 'string' && m.kind.toLowerCase() === kind && m.metadata?.name === name);
  const containers = found?.spec?.template?.spec?.containers;
  if (!Array.isArray(containers)) return undefined;
  const image = (containers as Array<{ name?: unknown; image?: unknown } | null>).find((c) => c?.name === container)?.image;
  return typeof image === 'string' ? image : undefined;
}

/**
 * The images of every container (and init container) in the render whose image has this
 * name, wherever a pod template sits: a Pod's spec, a workload's spec.template, a CronJob's
 * spec.jobTemplate. What the render check reads where the policy names no workload.
 */
export function renderedImagesNamed(output: string, name: string, renderDir: string): string[] {
  const images: string[] = [];
  for (const manifest of manifests(output, renderDir)) {
    const pod = manifest.kind === 'Pod' ? manifest.spec : (manifest.spec?.template?.spec ?? manifest.spec?.jobTemplate?.spec?.template?.spec);
    for (const list of [pod?.containers, pod?.initContainers]) {
      if (!Array.isArray(list)) continue;
      for (const container of list as Array<{ image?: unknown } | null>) {
        const image = container?.image;
        if (typeof image === 'string' && sameName(image, name)) images.push(image);
      }
    }
  }
  return images;
}

function sameName(image: string, name: string): boolean {
  try {
    return parseImageRef(image).name === name;
  } catch {
    return false; // not an image reference hotfix reads: not this image
  }
}

function manifests(output: string, renderDir: string): Manifest[] {
  return (quickParse(output) ?? documentValues(output, renderDir)).filter((m): m is Manifest => typeof m === 'object' && m !== null);
}

function documentValues(output: string, renderDir: string): unknown[] {
  const docs = parseAllDocumentsBounded(output, { logLevel: 'error' });
  const error = docs.flatMap((d) => d.errors)[0];
  // The first line of yaml's message says what is wrong; the rest is a source excerpt.
  if (error) throw new HotfixError([diagnostic('HF216', `kubectl kustomize ${renderDir || '.'} printed output that is not YAML: ${error.message.split('\n')[0]}`)]);
  return docs.map((doc) => {
    const data = plainData(doc);
    if ('value' in data) return data.value;
    throw new HotfixError([diagnostic('HF216', `kubectl kustomize ${renderDir || '.'} printed output that cannot be read safely: ${data.why}`)]);
  });
}
