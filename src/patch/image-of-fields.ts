import type { ImageField } from './image-field.js';
import { formatImageRef, parseImageRef, type ImageRef } from './image-ref.js';

type Part = NonNullable<ImageField['carries']>[number];

/**
 * The parts a field's text carries besides the one it holds: a tag written `tag@sha256:…`
 * (Renovate's pinDigests in Helm values, `newTag: tag@digest` in kustomize) carries the
 * digest; a kustomize `newName: repo:tag` carries the tag (kustomize appends it to the
 * name). A part that another field of the same image holds is that field's, not carried.
 */
export function carriedParts(holds: ImageField['holds'], value: string, others: readonly ImageField['holds'][]): Part[] {
  const free = (part: Part) => !others.includes(part);
  if (holds === 'tag') return value.includes('@') && free('digest') ? ['digest'] : [];
  if (holds !== 'name') return [];
  const ref = parseImageRef(value);
  return (['tag', 'digest'] as const).filter((part) => ref[part] !== undefined && free(part));
}

/** The text a field holds for an image: the inverse of `imageOfFields` for that field. */
export function fieldText(field: Pick<ImageField, 'holds' | 'carries'>, ref: ImageRef): string {
  const carries = (part: Part) => field.carries?.includes(part) === true;
  switch (field.holds) {
    case 'image':
      return formatImageRef(ref);
    case 'tag':
      return `${ref.tag ?? ''}${carries('digest') && ref.digest !== undefined ? `@${ref.digest}` : ''}`;
    case 'name':
      return formatImageRef({ name: ref.name, ...(carries('tag') && ref.tag !== undefined && { tag: ref.tag }), ...(carries('digest') && ref.digest !== undefined && { digest: ref.digest }) });
    case 'digest':
      return ref.digest ?? '';
  }
}

/**
 * The image fields declare together: a whole reference, then the name (and what a name
 * carries), then tag and digest fields, each overriding what came before. `name` is the
 * image's name where no field holds it. An empty tag or digest (`digest: ""`) declares none.
 */
export function imageOfFields(fields: readonly (Pick<ImageField, 'holds' | 'carries'> & { readonly value: string })[], name: string): ImageRef {
  const whole = fields.find((f) => f.holds === 'image');
  let ref: ImageRef = whole ? parseImageRef(whole.value) : { name };
  const order: ImageField['holds'][] = ['name', 'tag', 'digest'];
  for (const holds of order)
    for (const field of fields.filter((f) => f.holds === holds)) {
      const carries = (part: Part) => field.carries?.includes(part) === true;
      if (holds === 'name') {
        const parsed = parseImageRef(field.value);
        ref = { ...ref, name: carries('tag') || carries('digest') ? parsed.name : field.value };
        if (carries('tag')) ref = withPart(ref, 'tag', parsed.tag ?? '');
        if (carries('digest')) ref = withPart(ref, 'digest', parsed.digest ?? '');
      }
      if (holds === 'tag') {
        const at = carries('digest') ? field.value.indexOf('@') : -1;
        ref = withPart(ref, 'tag', at < 0 ? field.value : field.value.slice(0, at));
        if (at >= 0) ref = withPart(ref, 'digest', field.value.slice(at + 1));
      }
      if (holds === 'digest') ref = withPart(ref, 'digest', field.value);
    }
  return ref;
}

function withPart(ref: ImageRef, part: 'tag' | 'digest', value: string): ImageRef {
  const { [part]: _, ...rest } = ref;
  return value === '' ? rest : { ...rest, [part]: value };
}
