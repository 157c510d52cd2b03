import { isMap, isScalar, isSeq } from 'yaml';
import type { Locator } from '../policy/types.js';
import type { ImageMatch } from './find-image.js';
import { readField } from './image-field.js';
import { nodeAt, pairOf, type YamlSource } from './yaml-source.js';

/** Where Kubernetes workloads keep their pod's containers: Deployment-like, CronJob, Pod. */
const POD_SPECS = [['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec'], ['spec']];

/** The `image` of each container with the given name, in workloads of the given kind and name. */
export function findManifestImage(source: YamlSource, wanted: NonNullable<Locator['manifest']>): readonly ImageMatch[] {
  return source.documents.flatMap((doc, document) => {
    const text = (path: string[]) => {
      const node = nodeAt(doc, path)?.node;
      return isScalar(node) ? node.value : undefined;
    };
    if (wanted.kind !== undefined && text(['kind']) !== wanted.kind) return [];
    if (wanted.name !== undefined && text(['metadata', 'name']) !== wanted.name) return [];
    return POD_SPECS.flatMap((spec) =>
      ['containers', 'initContainers'].flatMap((list) => {
        const containers = nodeAt(doc, [...spec, list])?.node;
        if (!isSeq(containers)) return [];
        return containers.items.flatMap((container, index): ImageMatch[] => {
          const name = isMap(container) ? pairOf(container, 'name')?.value : undefined;
          if (!isScalar(name) || name.value !== wanted.container) return [];
          const field = readField(source, document, [...spec, list, index, 'image'], 'image');
          return field ? [{ fields: [field] }] : [];
        });
      }),
    );
  });
}
