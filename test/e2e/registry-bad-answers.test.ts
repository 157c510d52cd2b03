import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HotfixError } from '../../src/diagnostics/errors.js';
import { sha256Digest } from '../../src/state/registry/digest.js';
import { listTags } from '../../src/state/registry/list-tags.js';
import { readImage } from '../../src/state/registry/read-image.js';
import { HANG_GUARD_MS, unlessHung } from '../helpers/hang-guard.js';
import { pushImage } from '../helpers/push-image.js';
import { tempDir } from '../helpers/temp-dir.js';
import { startTestRegistry } from '../helpers/test-registry.js';

// Loopback servers that answer as no registry should: each must give a one-line HF212 or
// HF213, never a hang, a crash or an unbounded read. Servers that answer get a timeout only
// a hang reaches (this process serves them, and may be slowed by anything else running);
// servers that never answer get a short one, which must end the read.
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const options = { timeoutMs: HANG_GUARD_MS, dockerConfig: '/nonexistent/config.json' };
const short = { ...options, timeoutMs: 300 };

test('a registry that never answers: HF212 when the timeout runs out, and no retry', async () => {
  let requests = 0;
  await withServer(() => requests++, async (host) => {
    const error = await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, short));
    assert.match(error.message, new RegExp(`^cannot reach ${host}: no complete answer within 0.3 s \\(GET http://${host}/v2/team/app/manifests/v1\\); check the host and the network \\[HF212\\]$`));
  });
  // None when this process is too busy to take it before the timeout; never a second.
  assert.ok(requests <= 1, `${requests} requests`);
});

test('headers, then a body that never ends: the timeout covers the body too', async () => {
  let requests = 0;
  await withServer((_, response) => (requests++, response.writeHead(200, { 'content-type': OCI_MANIFEST }).write('{"schemaVersion": 2,')), async (host) => {
    assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, short))).message, /no complete answer within 0.3 s .*\[HF212\]$/);
  });
  assert.ok(requests <= 1, `${requests} requests`);
});

test('nothing listening: HF212 connection refused', async () => {
  const host = await withServer(() => {}, async (h) => h);
  assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, options))).message, `cannot reach ${host}: connection refused`);
});

test('garbage instead of JSON, and a schema 1 manifest: HF213', async () => {
  await withServer((_, response) => response.writeHead(200, { 'content-type': OCI_MANIFEST }).end('<html>hello</html>'), async (host) => {
    assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, options))).message, `the manifest of ${host}/team/app:v1 is not JSON [HF213]`);
  });
  const schema1 = JSON.stringify({ schemaVersion: 1, name: 'team/app', tag: 'v1', fsLayers: [] });
  await withServer((_, response) => response.writeHead(200, { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' }).end(schema1), async (host) => {
    assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, options))).message, /is not an image manifest of schema version 2 \(schemaVersion 1, .*\[HF213\]$/);
  });
});

test('a manifest whose Docker-Content-Digest lies, and a config blob that is not what its digest says: HF213', async () => {
  const config = Buffer.from(JSON.stringify({ config: { Labels: { a: 'b' } } }));
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: sha256Digest(config), size: config.length }, layers: [] });
  await withServer((request, response) => {
    if (request.url?.includes('/manifests/')) response.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': `sha256:${'0'.repeat(64)}` }).end(manifest);
  }, async (host) => {
    assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, options))).message, /the manifest of .*: the content does not match its digest \(expected sha256:0{64}, got sha256:[0-9a-f]{64}\) \[HF213\]$/);
  });
  await withServer((request, response) => {
    if (request.url?.includes('/manifests/')) response.writeHead(200, { 'content-type': OCI_MANIFEST }).end(manifest);
    else response.writeHead(200).end(JSON.stringify({ config: { Labels: { a: 'tampered' } } }));
  }, async (host) => {
    assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, options))).message, /the config of .*: the content does not match its digest/);
  });
});

test('a huge answer, announced or streamed: HF213 without reading it all', async () => {
  const huge = Buffer.alloc(6 * 1024 * 1024, 0x20);
  let streamed = 0;
  await withServer((request, response) => {
    if (request.url?.includes('announced')) return response.writeHead(200, { 'content-length': String(huge.length) }).end(huge);
    response.writeHead(200, { 'content-type': OCI_MANIFEST });
    // Chunked, without a length: 64 KiB at a time, for as long as the client reads.
    const write = () => {
      while (streamed < 64 * 1024 * 1024 && response.write(Buffer.alloc(64 * 1024, 0x20))) streamed += 64 * 1024;
      if (streamed < 64 * 1024 * 1024) response.once('drain', write);
      else response.end();
    };
    write();
  }, async (host) => {
    for (const tag of ['announced', 'streamed']) assert.match((await failure(readImage({ name: `${host}/team/app`, tag }, options))).message, /answered with more than 4 MiB.*\[HF213\]$/, tag);
    assert.ok(streamed < 16 * 1024 * 1024, `streamed ${streamed} bytes`);
  });
});

test('a failing registry is HF212; a 404 or 401 that is not a registry talking is HF213', async () => {
  const answers: Record<string, [number, Record<string, string>, string]> = {
    failing: [503, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ code: 'UNAVAILABLE', message: 'down' }] })],
    html: [404, { 'content-type': 'text/html' }, '<html>Not Found</html>'],
    nochallenge: [401, {}, ''],
  };
  await withServer((request, response) => {
    const [status, headers, body] = answers[/manifests\/(\w+)/.exec(request.url ?? '')?.[1] ?? ''] ?? [500, {}, ''];
    response.writeHead(status, headers).end(body);
  }, async (host) => {
    const read = (tag: string) => failure(readImage({ name: `${host}/team/app`, tag }, options));
    assert.match((await read('failing')).message, `GET http://${host}/v2/team/app/manifests/failing answered 503 (UNAVAILABLE); the registry is failing or busy, try again later [HF212]`);
    assert.match((await read('html')).message, /answered 404, which is not what a registry answers here; check that .* is a registry \[HF213\]$/);
    assert.match((await read('nochallenge')).message, /answered 401 without a Basic or Bearer challenge \[HF213\]$/);
  });
});

test('redirects: more than 5 is HF213; a Link to another host is refused (credentials would follow it)', async () => {
  await withServer((request, response) => response.writeHead(307, { location: `${request.url}x` }).end(), async (host) => {
    assert.match((await failure(readImage({ name: `${host}/team/app`, tag: 'v1' }, options))).message, /redirected more than 5 times \[HF213\]$/);
  });
  await withServer((_, response) => response.writeHead(200, { link: '<http://127.0.0.9:1/v2/team/app/tags/list?last=a>; rel="next"' }).end('{"tags":["a"]}'), async (host) => {
    assert.match((await failure(listTags(`${host}/team/app`, options))).message, `${host} pointed to 127.0.0.9:1 for team/app; hotfix reads a repository only from its own registry [HF213]`);
  });
});

test('a blob redirected to another host (storage): read, and the Authorization header is not sent there', async () => {
  const registry = await startTestRegistry({ auth: 'basic' });
  const credentials = `Basic ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`;
  const labels = { 'org.opencontainers.image.revision': '26a4b87f3c5e1d2b9a8f7e6d5c4b3a2918171615' };
  await pushImage(registry.host, { name: 'team/app', tag: 'v1', labels, auth: { username: registry.username!, password: registry.password! } });
  const seenByStorage: IncomingHttpHeaders[] = [];
  const seenByFront: IncomingHttpHeaders[] = [];
  try {
    // Storage on 127.0.0.2 serves blobs with its own access to the registry, as S3 would with a signed URL.
    await withServer(async (request, response) => {
      seenByStorage.push(request.headers);
      const upstream = await fetch(`http://${registry.host}${new URL(request.url ?? '/', 'http://x').pathname}`, { headers: { authorization: credentials } });
      response.writeHead(upstream.status).end(Buffer.from(await upstream.arrayBuffer()));
    }, async (storage) => {
      // The registry's front: passes everything through, but sends blob downloads to storage.
      await withServer(async (request, response) => {
        seenByFront.push(request.headers);
        if (request.url?.includes('/blobs/')) return response.writeHead(307, { location: `http://${storage}${request.url}?X-Amz-Signature=signed` }).end();
        const upstream = await fetch(`http://${registry.host}${request.url}`, { headers: pick(request.headers, ['authorization', 'accept']) });
        response.writeHead(upstream.status, pick(Object.fromEntries(upstream.headers), ['content-type', 'docker-content-digest', 'www-authenticate'])).end(Buffer.from(await upstream.arrayBuffer()));
      }, async (front) => {
        const dockerConfig = join(tempDir(), 'config.json');
        writeFileSync(dockerConfig, JSON.stringify({ auths: { [front]: { auth: Buffer.from(`${registry.username}:${registry.password}`).toString('base64') } } }));
        const facts = await readImage({ name: `${front}/team/app`, tag: 'v1' }, { dockerConfig });
        assert.equal(facts?.labels, labels);
      });
    }, '127.0.0.2');
  } finally {
    await registry.stop();
  }
  assert.ok(seenByFront.some((h) => h.authorization === credentials), 'the registry itself was sent the credentials');
  assert.is(seenByStorage.length, 1);
  assert.equal(seenByStorage.map((h) => h.authorization), [undefined]);
});

/** A loopback HTTP server for the length of `use`; its open connections are cut at the end. */
async function withServer<T>(handler: RequestListener, use: (host: string) => Promise<T>, hostname = '127.0.0.1'): Promise<T> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, hostname, resolve));
  try {
    return await use(`${hostname}:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function pick(headers: Record<string, string | string[] | undefined>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.flatMap((name) => (typeof headers[name] === 'string' ? [[name, headers[name]]] : [])));
}

async function failure(pending: Promise<unknown>): Promise<HotfixError> {
  const error = await unlessHung(pending, 'reading the registry').then(() => assert.unreachable('expected a HotfixError'), (e: unknown) => e);
  assert.instance(error, HotfixError);
  return error as HotfixError;
}

test.run();
