import { parseImageRef } from '../../patch/image-ref.js';

/**
 * Whether the rendered image is the planned one. With a digest, the digest decides what
 * runs, and kustomize before v3 drops the tag when it sets a digest (`name@sha256:…`), so
 * the tag is compared only when both sides have one. Without a digest in the plan, the
 * render must carry none either: a left-over digest would pin another image.
 */
export function isPlannedImage(rendered: string, planned: string): boolean {
  const r = parseImageRef(rendered);
  const p = parseImageRef(planned);
  if (r.name !== p.name || r.digest !== p.digest) return false;
  return p.digest === undefined ? r.tag === p.tag : r.tag === undefined || p.tag === undefined || r.tag === p.tag;
}
