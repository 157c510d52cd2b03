import { formatImageRef, type ImageRef } from '../../patch/image-ref.js';
import { checkDigest, sha256Digest } from './digest.js';
import type { BoundedResponse } from './fetch-bounded.js';
import { choosePlatform, MANIFEST_ACCEPT, parseImageConfig, parseManifest, type Descriptor } from './manifest.js';
import { answerError } from './registry-errors.js';
import { checkReference, registryLocation, type RegistryLocation } from './registry-host.js';
import { openSession, type RegistryOptions, type RegistrySession } from './registry-session.js';
import { found } from './registry-status.js';

export type { RegistryOptions };

export interface ImageFacts {
  /** `name:tag` as asked (`name@digest` when asked by digest). */
  readonly image: string;
  /** Digest of what the tag points at: an image manifest or a multi-platform index. */
  readonly digest: string;
  /** For an index: the digest of the linux/amd64 manifest (else the first image's). */
  readonly platformDigest?: string;
  /** The image config's `config.Labels`. */
  readonly labels: Readonly<Record<string, string>>;
  /** The image config's `created`. */
  readonly created?: string;
}

/**
 * What the registry holds for an image: its digest, and the labels and creation date of
 * its config (for an index, of its linux/amd64 image). Undefined when the tag (or the
 * repository) does not exist. Every document read is checked against its digest.
 */
export async function readImage(ref: ImageRef, options: RegistryOptions = {}): Promise<ImageFacts | undefined> {
  const location = registryLocation(ref.name);
  const reference = checkReference(ref.digest ?? ref.tag ?? 'latest');
  const image = formatImageRef(ref.digest === undefined ? { name: ref.name, tag: reference } : ref);
  const session = openSession(location, options);
  const top = await session.get(manifestPath(location, reference), MANIFEST_ACCEPT);
  if (!found(top)) return undefined;
  const what = `the manifest of ${image}`;
  const digest = contentDigest(top, ref.digest, what);
  const manifest = parseManifest(top.body, top.headers.get('content-type'), what);
  if (manifest.kind === 'manifest') return { image, digest, ...(await readConfig(session, location, manifest.config, image)) };

  const chosen = choosePlatform(manifest.manifests);
  const platformWhat = `the ${platformName(chosen)} manifest of ${image}`;
  const child = await getByDigest(session, manifestPath(location, chosen.digest), MANIFEST_ACCEPT, chosen.digest, platformWhat);
  const platformManifest = parseManifest(child.body, child.headers.get('content-type'), platformWhat);
  if (platformManifest.kind !== 'manifest') throw answerError(`${platformWhat} is itself an index; hotfix reads indexes of images only`);
  return { image, digest, platformDigest: chosen.digest, ...(await readConfig(session, location, platformManifest.config, image)) };
}

async function readConfig(session: RegistrySession, location: RegistryLocation, config: Descriptor, image: string) {
  const what = `the config of ${image}`;
  const blob = await getByDigest(session, `/v2/${location.repository}/blobs/${config.digest}`, '*/*', config.digest, what);
  return parseImageConfig(blob.body, what);
}

/** A document a manifest names by digest: it must exist, and hash to that digest. */
async function getByDigest(session: RegistrySession, path: string, accept: string, digest: string, what: string): Promise<BoundedResponse> {
  const response = await session.get(path, accept);
  if (!found(response)) throw answerError(`${what} (${digest}) is named by its manifest but missing from the registry`);
  checkDigest(response.body, digest, what);
  return response;
}

/**
 * The digest of a manifest fetched by tag: the registry's Docker-Content-Digest (checked
 * against the body, as is a digest that was asked for), else the body's sha256.
 */
function contentDigest(response: BoundedResponse, asked: string | undefined, what: string): string {
  const header = response.headers.get('docker-content-digest') ?? undefined;
  for (const expected of [asked, header]) if (expected !== undefined) checkDigest(response.body, expected, what);
  return asked ?? header ?? sha256Digest(response.body);
}

function manifestPath(location: RegistryLocation, reference: string): string {
  return `/v2/${location.repository}/manifests/${reference}`;
}

function platformName(descriptor: Descriptor): string {
  const p = descriptor.platform;
  return p?.os !== undefined ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : 'first';
}
