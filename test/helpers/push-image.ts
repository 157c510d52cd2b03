import { gzipSync } from 'node:zlib';
import { sha256Digest } from '../../src/state/registry/digest.js';
import type { Credentials } from '../../src/state/registry/docker-credentials.js';
import { answerChallenge, type AuthContext } from '../../src/state/registry/registry-auth.js';
import { chooseChallenge, parseChallenges } from '../../src/state/registry/www-authenticate.js';
import { HANG_GUARD_MS } from './hang-guard.js';

/** The OCI label CI sets to the commit an image was built from. */
export const REVISION = 'org.opencontainers.image.revision';

export interface PushOptions {
  /** Repository on the registry, e.g. `team/app`. */
  readonly name: string;
  readonly tag: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** The config's `created`; a fixed date by default, so pushes are reproducible. */
  readonly created?: string;
  /** `os/arch[/variant]` each; given, the tag names an index of one manifest per platform. */
  readonly platforms?: readonly string[];
  /** What docker push makes, or what buildx and most CI builders make (the default). */
  readonly format?: 'oci' | 'docker';
  /** A login for a registry with basic or token auth (a token is fetched as the registry asks). */
  readonly auth?: Credentials;
}

export interface Pushed {
  /** What the tag points at: the manifest, or the index with `platforms`. */
  readonly digest: string;
  /** One per platform, in the order given (the manifest's own digest without `platforms`). */
  readonly platformDigests: string[];
}

const MEDIA_TYPES = {
  oci: {
    index: 'application/vnd.oci.image.index.v1+json',
    manifest: 'application/vnd.oci.image.manifest.v1+json',
    config: 'application/vnd.oci.image.config.v1+json',
    layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  },
  docker: {
    index: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifest: 'application/vnd.docker.distribution.manifest.v2+json',
    config: 'application/vnd.docker.container.image.v1+json',
    layer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  },
};

/**
 * Pushes an image over the Distribution API as a CI build would: blob uploads (POST, then
 * PUT with the digest), a gzip layer, a config blob carrying the labels, the manifest, and
 * for several platforms an index of their manifests.
 */
export async function pushImage(host: string, options: PushOptions): Promise<Pushed> {
  const types = MEDIA_TYPES[options.format ?? 'oci'];
  const send = registryClient(host, options.name, options.auth);
  // By tag, or by digest for the manifests an index names.
  const pushManifest = async (tag: string | undefined, mediaType: string, document: object) => {
    const body = Buffer.from(JSON.stringify(document));
    const digest = sha256Digest(body);
    await expect(send('PUT', `/v2/${options.name}/manifests/${tag ?? digest}`, body, mediaType), 201);
    return { mediaType, digest, size: body.length };
  };

  const platforms = options.platforms ?? ['linux/amd64'];
  const manifests = [];
  for (const platform of platforms) {
    const [os = '', architecture = '', variant] = platform.split('/');
    // An empty tar (two zero blocks) is a valid layer; per-platform configs tell them apart.
    const tar = Buffer.alloc(1024);
    const layer = await uploadBlob(send, options.name, types.layer, gzipSync(tar));
    const created = options.created ?? '2024-05-01T12:00:00Z';
    const config = {
      created,
      architecture,
      os,
      ...(variant !== undefined && { variant }),
      config: { Labels: { ...options.labels } },
      rootfs: { type: 'layers', diff_ids: [sha256Digest(tar)] },
      history: [{ created, created_by: 'hotfix test push' }],
    };
    const configBlob = await uploadBlob(send, options.name, types.config, Buffer.from(JSON.stringify(config)));
    const manifest = { schemaVersion: 2, mediaType: types.manifest, config: configBlob, layers: [layer] };
    const pushed = await pushManifest(options.platforms ? undefined : options.tag, types.manifest, manifest);
    manifests.push({ ...pushed, platform: { os, architecture, ...(variant !== undefined && { variant }) } });
  }
  const platformDigests = manifests.map((m) => m.digest);
  if (!options.platforms) return { digest: platformDigests[0]!, platformDigests };
  const index = await pushManifest(options.tag, types.index, { schemaVersion: 2, mediaType: types.index, manifests });
  return { digest: index.digest, platformDigests };
}

type Send = (method: string, path: string, body?: Buffer, contentType?: string) => Promise<Response>;

async function uploadBlob(send: Send, name: string, mediaType: string, body: Buffer): Promise<{ mediaType: string; digest: string; size: number }> {
  const digest = sha256Digest(body);
  const started = await expect(send('POST', `/v2/${name}/blobs/uploads/`), 202);
  const location = new URL(started.headers.get('location') ?? '', 'http://unused');
  location.searchParams.set('digest', digest);
  await expect(send('PUT', `${location.pathname}${location.search}`, body, 'application/octet-stream'), 201);
  return { mediaType, digest, size: body.length };
}

/** Requests to one repository, answering the registry's challenge (basic or bearer) with push scope. */
function registryClient(host: string, name: string, credentials: Credentials | undefined): Send {
  const context: AuthContext = {
    host,
    scope: `repository:${name}:pull,push`,
    credentials: async () => credentials,
    configPath: 'pushImage options',
    limits: { timeoutMs: HANG_GUARD_MS, maxBytes: 1024 * 1024 },
  };
  let authorization: string | undefined;
  return async (method, path, body, contentType) => {
    const attempt = () =>
      fetch(`http://${host}${path}`, {
        method,
        headers: { ...(authorization && { authorization }), ...(contentType && { 'content-type': contentType }) },
        ...(body && { body: new Uint8Array(body) }),
        signal: AbortSignal.timeout(HANG_GUARD_MS),
      });
    const response = await attempt();
    if (response.status !== 401) return response;
    const challenge = chooseChallenge(parseChallenges(response.headers.get('www-authenticate') ?? ''));
    if (!challenge) throw new Error(`${method} ${path}: 401 without a challenge`);
    authorization = await answerChallenge(challenge, context);
    return attempt();
  };
}

async function expect(pending: Promise<Response>, status: number): Promise<Response> {
  const response = await pending;
  if (response.status !== status) throw new Error(`push: ${response.url} answered ${response.status}, not ${status}: ${await response.text()}`);
  return response;
}
