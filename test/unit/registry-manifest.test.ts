import { createHash } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkDigest, sha256Digest } from '../../src/state/registry/digest.js';
import { choosePlatform, parseImageConfig, parseManifest } from '../../src/state/registry/manifest.js';
import { errorCodes } from '../../src/state/registry/registry-status.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

test('image manifests, OCI and Docker v2: the config descriptor', () => {
  const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: D1, size: 10 };
  assert.equal(parseManifest(json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [] }), OCI_MANIFEST, 'm'), { kind: 'manifest', config: { digest: D1, mediaType: config.mediaType } });
  const docker = 'application/vnd.docker.distribution.manifest.v2+json';
  assert.is(parseManifest(json({ schemaVersion: 2, mediaType: docker, config: { digest: D1 }, layers: [] }), `${docker}; charset=utf-8`, 'm').kind, 'manifest');
  // OCI lets the mediaType out of the body; the header or the shape tells then.
  assert.is(parseManifest(json({ schemaVersion: 2, config: { digest: D1 } }), OCI_MANIFEST, 'm').kind, 'manifest');
  assert.is(parseManifest(json({ schemaVersion: 2, config: { digest: D1 } }), null, 'm').kind, 'manifest');
});

test('indexes, OCI and Docker manifest lists: their entries with platforms', () => {
  const manifests = [
    { mediaType: OCI_MANIFEST, digest: D1, size: 1, platform: { os: 'linux', architecture: 'arm64' } },
    { mediaType: OCI_MANIFEST, digest: D2, size: 1, platform: { os: 'linux', architecture: 'amd64' } },
  ];
  const index = parseManifest(json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }), OCI_INDEX, 'i');
  assert.equal(index, { kind: 'index', manifests: manifests.map(({ size: _, ...d }) => d) });
  const list = 'application/vnd.docker.distribution.manifest.list.v2+json';
  assert.is(parseManifest(json({ schemaVersion: 2, mediaType: list, manifests }), list, 'i').kind, 'index');
  assert.is(parseManifest(json({ schemaVersion: 2, manifests }), 'application/json', 'i').kind, 'index');
});

test('what is not a v2 manifest or index is HF213, naming the request', () => {
  const cases: Array<[Buffer, string | null, RegExp]> = [
    [Buffer.from('<html>nginx</html>'), 'text/html', /the manifest of x is not JSON/],
    [json([1, 2]), OCI_MANIFEST, /is not a JSON object/],
    [json({ schemaVersion: 1, name: 'a', tag: 'b', fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws', /not an image manifest of schema version 2 \(schemaVersion 1/],
    [json({ schemaVersion: 2, mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip' }), null, /media type application\/vnd\.cncf\.helm.*neither an image manifest nor an index/],
    [json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }), OCI_INDEX, /an index without manifests/],
    [json({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: 'sha256:../../x' } }), OCI_MANIFEST, /a descriptor without a valid digest/],
    [json({ schemaVersion: 2, mediaType: OCI_MANIFEST }), OCI_MANIFEST, /a descriptor without a valid digest/],
  ];
  for (const [body, type, message] of cases) assert.throws(() => parseManifest(body, type, 'the manifest of x'), (e: Error) => message.test(e.message) && e.message.endsWith('[HF213]'), String(message));
});

test('platform choice: linux/amd64 wherever it is, else the first image, never an attestation', () => {
  const amd64 = { digest: D2, platform: { os: 'linux', architecture: 'amd64' } };
  const arm64 = { digest: D1, platform: { os: 'linux', architecture: 'arm64' } };
  const attestation = { digest: D3, platform: { os: 'unknown', architecture: 'unknown' } };
  assert.is(choosePlatform([arm64, amd64, attestation]), amd64);
  assert.is(choosePlatform([attestation, arm64]), arm64);
  assert.is(choosePlatform([{ digest: D3 }, arm64]).digest, D3);
  assert.is(choosePlatform([{ digest: D1, platform: { os: 'windows', architecture: 'amd64' } }, amd64]), amd64);
});

test('image config: labels and created; null or missing labels are none', () => {
  assert.equal(parseImageConfig(json({ created: '2024-05-01T12:00:00Z', config: { Labels: { 'org.opencontainers.image.revision': 'abc' } } }), 'c'), {
    labels: { 'org.opencontainers.image.revision': 'abc' },
    created: '2024-05-01T12:00:00Z',
  });
  assert.equal(parseImageConfig(json({ config: { Labels: null } }), 'c'), { labels: {} });
  assert.equal(parseImageConfig(json({ config: null }), 'c'), { labels: {} });
  assert.equal(parseImageConfig(json({}), 'c'), { labels: {} });
  assert.throws(() => parseImageConfig(json({ config: { Labels: { a: 1 } } }), 'the config of x'), /the config of x has a label "a" whose value is not a string \[HF213\]/);
  assert.throws(() => parseImageConfig(json({ config: { Labels: ['a'] } }), 'c'), /not an object/);
  assert.throws(() => parseImageConfig(Buffer.from('{'), 'c'), /c is not JSON/);
});

test('digests: sha256 and sha512 checked against the content', () => {
  const body = Buffer.from('{"a":1}');
  const sha512 = `sha512:${createHash('sha512').update(body).digest('hex')}`;
  checkDigest(body, sha256Digest(body), 'm');
  checkDigest(body, sha512, 'm');
  assert.throws(() => checkDigest(body, D1, 'the manifest of x'), /the manifest of x: the content does not match its digest \(expected sha256:1{64}, got sha256:[0-9a-f]{64}\) \[HF213\]/);
  assert.throws(() => checkDigest(body, 'md5:abc', 'm'), /unsupported algorithm: md5:abc/);
});

test('registry error bodies: only the codes are kept', () => {
  assert.equal(errorCodes(json({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: 'x' } }] })), ['MANIFEST_UNKNOWN']);
  assert.equal(errorCodes(json({ errors: [{ code: 'NAME_UNKNOWN' }, null, { code: 'lower' }, { code: 7 }] })), ['NAME_UNKNOWN']);
  assert.equal(errorCodes(Buffer.from('<html>404</html>')), []);
  assert.equal(errorCodes(json({ errors: 'no' })), []);
});

test.run();
