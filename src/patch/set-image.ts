import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { ImageField, ImageLocation } from './image-field.js';
import { formatImageRef, type ImageRef } from './image-ref.js';
import { fieldText, imageOfFields } from './image-of-fields.js';
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
  const written = imageToWrite(location, target, digestPolicy);
  const patches: DocumentPatch[] = [];
  for (const field of location.fields) {
    const ops = fieldOps(field, current, written, digestPolicy);
    if (ops.length === 0) continue;
    const patch = patches.find((p) => p.document === field.document);
    if (patch) patches[patches.indexOf(patch)] = { document: field.document, ops: [...patch.ops, ...ops] };
    else patches.push({ document: field.document, ops });
  }
  return patches.sort((a, b) => a.document - b.document);
}

/**
 * The image the file declares once `setImageOps` has patched it: what a plan shows as its
 * target, so the header says what the diff writes (a kept digest, a dropped one).
 */
export function imageAfter(location: ImageLocation, target: ImageRef, digestPolicy: DigestPolicy): ImageRef {
  const written = imageToWrite(location, target, digestPolicy);
  const fields = location.fields.flatMap((field) => (field.holds === 'digest' && digestPolicy === 'drop' ? [] : [{ ...field, value: fieldText(field, written) }]));
  return imageOfFields(fields, written.name);
}

/**
 * The target with the digest the policy gives it: `keep` the digest text as it is, `drop`
 * it, `update` to the target's. Written inline (`name:tag@digest`, `tag@digest`), only an
 * image already pinned by digest gets one; a digest field always takes the target's.
 */
function imageToWrite(location: ImageLocation, target: ImageRef, digestPolicy: DigestPolicy): ImageRef {
  const { digest: _, ...named } = target;
  if (target.tag === undefined && location.fields.some((f) => f.holds === 'tag' || f.carries?.includes('tag')))
    throw new Error(`the target image ${formatImageRef(target)} has no tag for the field at line ${location.fields.find((f) => f.holds === 'tag')?.line}`);
  const pinnable = location.fields.some((f) => f.holds === 'digest') || location.current.digest !== undefined || location.pinInline === true;
  const digest = digestPolicy === 'keep' ? location.current.digest : digestPolicy === 'update' && pinnable ? target.digest : undefined;
  return digest === undefined ? named : { ...named, digest };
}

function fieldOps(field: ImageField, current: ImageRef, written: ImageRef, digestPolicy: DigestPolicy): PatchOp[] {
  const { path } = field;
  const from = fieldText(field, current);
  // Blank rather than remove when updating: charts and kustomize read an empty digest as none.
  if (field.holds === 'digest' && digestPolicy === 'drop') return [{ op: 'test', path, value: from }, { op: 'remove', path }];
  const to = fieldText(field, written);
  return from === to ? [] : [{ op: 'test', path, value: from }, { op: 'replace', path, value: to }];
}

/**
 * The fields as they are now, written the way `before` wrote them: where the deploying
 * commit took a digest pin off (`tag: 1.4.3@sha256:…` became `tag: 1.4.4`, pinDigests
 * turned off with the bump), its revert writes the pin back, as `git revert` would. Fields
 * are matched by document and path; a digest field the commit deleted is not re-added (no
 * field holds it now), so such a rollback is no revert and says so.
 */
export function shapedAsBefore(now: ImageLocation, before: ImageLocation): ImageLocation {
  const fields = now.fields.map((field) => {
    const was = before.fields.find((f) => f.document === field.document && f.path === field.path && f.holds === field.holds);
    const carries = [...new Set([...(field.carries ?? []), ...(was?.carries ?? [])])];
    return carries.length > 0 ? { ...field, carries } : field;
  });
  const pinInline = before.current.digest !== undefined && now.current.digest === undefined && !before.fields.some((f) => f.holds === 'digest');
  return { ...now, fields, ...(pinInline && { pinInline }) };
}
