import type { Locator } from '../policy/types.js';
import { dotPathTokens } from './dot-path.js';
import type { ImageMatch } from './find-image.js';
import { readField } from './image-field.js';
import type { YamlSource } from './yaml-source.js';

/**
 * The tag, repository and digest keys of a Helm values file. Where the chart splits the
 * registry from the repository, the name is read from both but no field holds it: a name
 * change would have to be split the chart's way, which hotfix does not guess.
 */
export function findHelmValues(source: YamlSource, keys: NonNullable<Locator['helmValues']>): readonly ImageMatch[] {
  const read = (path: string | undefined, holds: 'tag' | 'name' | 'digest') => (path === undefined ? undefined : readField(source, 0, dotPathTokens(path), holds));
  const tag = read(keys.tag, 'tag');
  if (!tag) return [];
  const repository = read(keys.repository, 'name');
  const registry = read(keys.registry, 'name');
  const digest = read(keys.digest, 'digest');
  const fields = [tag, registry ? undefined : repository, digest].filter((f) => f !== undefined);
  const name = registry && repository ? [registry.value, repository.value].filter((part) => part !== '').join('/') : undefined;
  return [{ fields, ...(name !== undefined && { name }) }];
}
