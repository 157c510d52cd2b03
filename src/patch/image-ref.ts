/** An image reference split into its parts: `name[:tag][@digest]`. */
export interface ImageRef {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Splits `registry:5000/team/app:tag@sha256:…`. The tag is after the last `:` only when
 * that colon follows the last `/`: a colon before it belongs to a registry port.
 */
export function parseImageRef(text: string): ImageRef {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const named = at >= 0 ? text.slice(0, at) : text;
  const colon = named.lastIndexOf(':');
  const isTag = colon > named.lastIndexOf('/');
  const name = isTag ? named.slice(0, colon) : named;
  const tag = isTag ? named.slice(colon + 1) : undefined;
  return { name, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

export function formatImageRef(ref: ImageRef): string {
  return `${ref.name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}
