import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ImageField, ImageLocation } from './image-field.js';
import { formatImageRef, type ImageRef } from './image-ref.js';
import type { DocumentPatch, PatchOp } from './patch-yaml.js';

export type DigestPolicy = 'keep' | 'update' | 'drop';

/**
 * The ops that point the located fields at the target image. Every change first tests the
 * value it replaces, so a file that moved on since the plan was made is refused, not
 * overwritten. Fields that already hold the target value are left out.
 */
export function setImageOps(location: ImageLocation, target: ImageRef, digestPolicy: DigestPolicy): DocumentPatch[] {
  const { current } = location;
  if (target.name !== current.name && !location.fields.some((f) => f.holds === 'name' || f.holds === 'image'))
    throw new HotfixError([diagnostic('HF207', `no field of the config file holds the image name, so it cannot change from ${current.name} to ${target.name}`)]);
  const patches: DocumentPatch[] = [];
  for (const field of location.fields) {
    const ops = fieldOps(field, current, target, digestPolicy);
    if (ops.length === 0) continue;
    const patch = patches.find((p) => p.document === field.document);
    if (patch) patches[patches.indexOf(patch)] = { document: field.document, ops: [...patch.ops, ...ops] };
    else patches.push({ document: field.document, ops });
  }
  return patches.sort((a, b) => a.document - b.document);
}

function fieldOps(field: ImageField, current: ImageRef, target: ImageRef, digestPolicy: DigestPolicy): PatchOp[] {
  const { path } = field;
  const change = (from: string, to: string): PatchOp[] =>
    from === to ? [] : [{ op: 'test', path, value: from }, { op: 'replace', path, value: to }];
  switch (field.holds) {
    case 'image':
      return change(formatImageRef(current), formatImageRef({ name: target.name, ...(target.tag !== undefined && { tag: target.tag }), ...inlineDigest(current, target, digestPolicy) }));
    case 'tag':
      return change(current.tag ?? '', tagOf(target, field).tag);
    case 'name':
      return change(current.name, target.name);
    case 'digest': {
      const from = current.digest ?? '';
      if (digestPolicy === 'keep') return [];
      if (digestPolicy === 'drop') return [{ op: 'test', path, value: from }, { op: 'remove', path }];
      // Blank rather than remove: charts and kustomize read an empty digest as none.
      return change(from, target.digest ?? '');
    }
  }
}

function tagOf(target: ImageRef, field: ImageField): { tag: string } {
  if (target.tag === undefined) throw new Error(`the target image ${formatImageRef(target)} has no tag for the field at line ${field.line}`);
  return { tag: target.tag };
}

/** The digest written into a whole reference: only an image already pinned by digest gets one. */
function inlineDigest(current: ImageRef, target: ImageRef, digestPolicy: DigestPolicy): { digest?: string } {
  const digest = digestPolicy === 'keep' ? current.digest : digestPolicy === 'update' && current.digest !== undefined ? target.digest : undefined;
  return digest === undefined ? {} : { digest };
}
