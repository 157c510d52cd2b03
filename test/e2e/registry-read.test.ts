import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listTags } from '../../src/state/registry/list-tags.js';
import { readImage } from '../../src/state/registry/read-image.js';
import { pushImage } from '../helpers/push-image.js';
import { startTestRegistry } from '../helpers/test-registry.js';

// One real registry (distribution 2.8, anonymous) for the file; each test pushes its own repository.
const registry = await startTestRegistry();
const options = { dockerConfig: registry.dockerConfig };
const REVISION = '26a4b87f3c5e1d2b9a8f7e6d5c4b3a2918171615';
const labels = { 'org.opencontainers.image.revision': REVISION, 'org.opencontainers.image.created': '2024-05-01T12:00:00Z', 'org.opencontainers.image.source': 'https://example.com/team/app' };

test.after(() => registry.stop());

test('a single-platform image (OCI, as buildx pushes it): digest, revision and created labels', async () => {
  const pushed = await pushImage(registry.host, { name: 'team/app', tag: 'main-26a4b87', labels, created: '2024-05-01T12:00:03Z' });
  const facts = await readImage({ name: `${registry.host}/team/app`, tag: 'main-26a4b87' }, options);
  assert.equal(facts, { image: `${registry.host}/team/app:main-26a4b87`, digest: pushed.digest, labels, created: '2024-05-01T12:00:03Z' });
});

test('a single-platform image as docker push makes it (Docker manifest v2)', async () => {
  const pushed = await pushImage(registry.host, { name: 'team/docker-app', tag: 'v1', labels, format: 'docker' });
  const facts = await readImage({ name: `${registry.host}/team/docker-app`, tag: 'v1' }, options);
  assert.is(facts?.digest, pushed.digest);
  assert.is(facts?.labels['org.opencontainers.image.revision'], REVISION);
  assert.is(facts?.platformDigest, undefined);
});

test('a multi-arch index: the index digest, and linux/amd64 chosen wherever it is listed', async () => {
  for (const format of ['oci', 'docker'] as const) {
    const name = `team/multi-${format}`;
    const pushed = await pushImage(registry.host, { name, tag: 'main-26a4b87', labels, platforms: ['linux/arm64', 'linux/amd64', 'linux/arm/v7'], format });
    const facts = await readImage({ name: `${registry.host}/${name}`, tag: 'main-26a4b87' }, options);
    assert.is(facts?.digest, pushed.digest, format);
    assert.is(facts?.platformDigest, pushed.platformDigests[1], format);
    assert.equal(facts?.labels, labels, format);
  }
});

test('an index without linux/amd64: the first platform', async () => {
  const pushed = await pushImage(registry.host, { name: 'team/arm-only', tag: 'v1', labels, platforms: ['linux/arm64', 'linux/arm/v7'] });
  const facts = await readImage({ name: `${registry.host}/team/arm-only`, tag: 'v1' }, options);
  assert.is(facts?.platformDigest, pushed.platformDigests[0]);
});

test('by digest: the same facts, named by the digest', async () => {
  const pushed = await pushImage(registry.host, { name: 'team/pinned', tag: 'v1', labels });
  const facts = await readImage({ name: `${registry.host}/team/pinned`, digest: pushed.digest }, options);
  assert.is(facts?.image, `${registry.host}/team/pinned@${pushed.digest}`);
  assert.is(facts?.digest, pushed.digest);
  assert.equal(facts?.labels, labels);
});

test('no tag given reads latest; a missing tag or repository is undefined, not an error', async () => {
  await pushImage(registry.host, { name: 'team/latest', tag: 'latest', labels });
  assert.is((await readImage({ name: `${registry.host}/team/latest` }, options))?.image, `${registry.host}/team/latest:latest`);
  assert.is(await readImage({ name: `${registry.host}/team/latest`, tag: 'main-0000000' }, options), undefined);
  assert.is(await readImage({ name: `${registry.host}/team/never-pushed`, tag: 'v1' }, options), undefined);
  assert.is(await readImage({ name: `${registry.host}/team/latest`, digest: `sha256:${'0'.repeat(64)}` }, options), undefined);
});

test('tags: more than 100 of them; a missing repository has none', async () => {
  const tags = Array.from({ length: 120 }, (_, i) => `main-${String(i).padStart(7, '0')}`);
  for (const tag of tags) await pushImage(registry.host, { name: 'team/many', tag, labels });
  assert.equal((await listTags(`${registry.host}/team/many`, options)).sort(), tags);
  assert.equal(await listTags(`${registry.host}/team/never-pushed`, options), []);
});

test('tags: Link pagination is followed to the last page', async () => {
  // distribution 2.8 ignores ?n= and answers every tag at once; Docker Hub, GHCR and
  // distribution 3 page by 100 with a relative Link header, as this server does.
  const all = Array.from({ length: 250 }, (_, i) => `v${String(i).padStart(3, '0')}`);
  const asked: string[] = [];
  const server = createServer((request, response) => {
    asked.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://x');
    const after = url.searchParams.get('last');
    const start = after === null ? 0 : all.indexOf(after) + 1;
    const page = all.slice(start, start + 100);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (start + 100 < all.length) headers.link = `</v2/team/app/tags/list?last=${page[page.length - 1]}&n=100>; rel="next"`;
    response.writeHead(200, headers).end(JSON.stringify({ name: 'team/app', tags: page }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    assert.equal(await listTags(`${host}/team/app`, options), all);
    assert.equal(asked, ['/v2/team/app/tags/list', '/v2/team/app/tags/list?last=v099&n=100', '/v2/team/app/tags/list?last=v199&n=100']);
  } finally {
    server.close();
  }
});

test.run();
