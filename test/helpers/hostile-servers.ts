import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sha256Digest } from '../../src/state/registry/digest.js';
import { tempDir } from './temp-dir.js';

export interface LoopbackServer {
  /** `HOST:PORT`, as an image name's registry part. */
  readonly host: string;
  /** Requests answered so far (connections, for a server that is not HTTP). */
  served(): number;
  close(): Promise<void>;
}

/** An HTTP server on a loopback address; `close` cuts the connections it holds open. */
export async function httpServer(handler: RequestListener, hostname = '127.0.0.1'): Promise<LoopbackServer> {
  const server = createHttpServer(handler);
  return listen(server, 'request', hostname, () => server.closeAllConnections());
}

/** A TCP server that answers every connection with `bytes` and hangs up: not HTTP at all. */
export async function rawServer(bytes: Buffer): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket.once('close', () => sockets.delete(socket)));
    socket.end(bytes);
  });
  return listen(server, 'connection', '127.0.0.1', () => sockets.forEach((socket) => socket.destroy()));
}

async function listen(server: Server, unit: 'request' | 'connection', hostname: string, cut: () => void): Promise<LoopbackServer> {
  let served = 0;
  server.on(unit, () => served++);
  await new Promise<void>((resolve) => server.listen(0, hostname, resolve));
  return {
    host: `${hostname}:${(server.address() as AddressInfo).port}`,
    served: () => served,
    close: () => {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** A manifest whose config blob is `config` (JSON), both as a registry would serve them. */
export function imageDocuments(config: unknown): { manifest: Buffer; config: Buffer } {
  const configBytes = Buffer.from(JSON.stringify(config));
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256Digest(configBytes), size: configBytes.length }, layers: [] };
  return { manifest: Buffer.from(JSON.stringify(manifest)), config: configBytes };
}

/** Serves one image: the manifest at any /manifests/ path, the config at any /blobs/ path. */
export function serveImage(config: unknown): RequestListener {
  const documents = imageDocuments(config);
  return (request, response) => {
    if (request.url?.includes('/manifests/')) response.writeHead(200, { 'content-type': OCI_MANIFEST }).end(documents.manifest);
    else if (request.url?.includes('/blobs/')) response.writeHead(200).end(documents.config);
    else response.writeHead(404).end();
  };
}

/**
 * A directory holding an executable `kubectl` made of `script` (POSIX sh), to put first on
 * PATH. Scripts that hang `exec` their sleep, so killing kubectl leaves no process behind.
 */
export function fakeKubectl(script: string): string {
  const dir = join(tempDir('hotfix-kubectl-'), 'bin');
  mkdirSync(dir);
  const file = join(dir, 'kubectl');
  writeFileSync(file, `#!/bin/sh\n${script}\n`);
  chmodSync(file, 0o755);
  return dir;
}
