import { answerError } from './registry-errors.js';
import { isDigest } from './registry-host.js';

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const INDEX_TYPES = [OCI_INDEX, DOCKER_LIST];
const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST];

/**
 * What readImage accepts. Without it a registry may convert to, or answer with, the
 * schema 1 format, which has no config blob and so no labels.
 */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST].join(', ');

export interface Platform {
  readonly os?: string;
  readonly architecture?: string;
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: Platform;
}

export type Manifest =
  | { readonly kind: 'index'; readonly manifests: readonly Descriptor[] }
  | { readonly kind: 'manifest'; readonly config: Descriptor };

/**
 * Pure: an image manifest or an index (OCI or Docker v2). The body's own `mediaType`
 * wins over the Content-Type header, which proxies are known to rewrite; `what` names
 * the request in messages.
 */
export function parseManifest(body: Buffer, contentType: string | null, what: string): Manifest {
  const json = parseJsonObject(body, what) as { schemaVersion?: unknown; mediaType?: unknown; manifests?: unknown; config?: unknown };
  const headerType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const mediaType = typeof json.mediaType === 'string' ? json.mediaType : [...INDEX_TYPES, ...MANIFEST_TYPES].includes(headerType) ? headerType : undefined;
  if (json.schemaVersion !== 2) throw answerError(`${what} is not an image manifest of schema version 2 (schemaVersion ${JSON.stringify(json.schemaVersion)}, media type ${mediaType ?? (headerType || 'none')})`);
  // OCI allows the mediaType to be left out; then only the shape tells.
  if (mediaType === undefined ? Array.isArray(json.manifests) : INDEX_TYPES.includes(mediaType)) {
    if (!Array.isArray(json.manifests) || json.manifests.length === 0) throw answerError(`${what} is an index without manifests`);
    return { kind: 'index', manifests: json.manifests.map((m) => descriptor(m, what)) };
  }
  if (mediaType === undefined ? json.config !== undefined : MANIFEST_TYPES.includes(mediaType)) return { kind: 'manifest', config: descriptor(json.config, what) };
  throw answerError(`${what} has media type ${mediaType ?? (headerType || 'none')}, which is neither an image manifest nor an index`);
}

/**
 * Pure: the manifest of a multi-platform index to read labels from: linux/amd64, else the
 * first entry that is an image at all (buildx lists attestations as platform unknown/unknown).
 */
export function choosePlatform(manifests: readonly Descriptor[]): Descriptor {
  const images = manifests.filter((m) => m.platform?.os !== 'unknown');
  return images.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? images[0] ?? manifests[0]!;
}

/** Pure: the labels and creation date of an image config blob. */
export function parseImageConfig(body: Buffer, what: string): { labels: Record<string, string>; created?: string } {
  const json = parseJsonObject(body, what) as { created?: unknown; config?: { Labels?: unknown } | null };
  const raw = json.config?.Labels ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw answerError(`${what} has config.Labels that are not an object`);
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw answerError(`${what} has a label ${JSON.stringify(key)} whose value is not a string`);
    labels[key] = value;
  }
  return { labels, ...(typeof json.created === 'string' && { created: json.created }) };
}

export function parseJsonObject(body: Buffer, what: string): object {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw answerError(`${what} is not JSON`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw answerError(`${what} is not a JSON object`);
  return json;
}

function descriptor(value: unknown, what: string): Descriptor {
  const d = value as { mediaType?: unknown; digest?: unknown; platform?: Platform } | null;
  if (typeof d?.digest !== 'string' || !isDigest(d.digest)) throw answerError(`${what} has a descriptor without a valid digest`);
  return { digest: d.digest, ...(typeof d.mediaType === 'string' && { mediaType: d.mediaType }), ...(typeof d.platform === 'object' && d.platform !== null && { platform: d.platform }) };
}
