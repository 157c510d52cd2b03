import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { hashSync } from 'bcryptjs';
import { HANG_GUARD_MS } from './hang-guard.js';
import { tempDir } from './temp-dir.js';

/**
 * A real registry for tests: Debian's `docker-registry` (the reference implementation,
 * distribution 2.8) on a loopback port, with filesystem storage in a temp dir, so the
 * client is tested against what registries really answer rather than a stub of them.
 * test/ensure-tools.mjs installs it when missing; a test that needs it never skips.
 */
export const REGISTRY_BINARY = '/usr/bin/docker-registry';

export type RegistryAuth = 'none' | 'basic' | 'token';

export interface TestRegistry {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** A docker config.json holding the credentials (empty `auths` when there are none). */
  readonly dockerConfig: string;
  readonly username?: string;
  readonly password?: string;
  /** Every bearer token the token server issued (token mode), to prove none leaks. */
  readonly tokens: readonly string[];
  stop(): Promise<void>;
}

const SERVICE = 'hotfix-test-registry';
const ISSUER = 'hotfix-test-token-server';
const running = new Set<ChildProcess>();

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * `basic` is htpasswd auth: distribution reads only bcrypt lines, which bcryptjs writes
 * (a dev dependency: apache2-utils' htpasswd would be one more Debian package to install).
 * `token` is distribution's token auth, backed by a token server in this process.
 */
export async function startTestRegistry(options: { auth?: RegistryAuth } = {}): Promise<TestRegistry> {
  const auth = options.auth ?? 'none';
  const dir = tempDir('hotfix-registry-');
  const login = auth === 'none' ? undefined : { username: 'ci-bot', password: randomBytes(12).toString('hex') };
  const tokens: string[] = [];
  const tokenServer = auth === 'token' && login ? await startTokenServer(dir, login, tokens) : undefined;
  const htpasswd = join(dir, 'htpasswd');
  if (auth === 'basic' && login) writeFileSync(htpasswd, `${login.username}:${hashSync(login.password, 4)}\n`);
  const authConfig =
    auth === 'basic' ? { htpasswd: { realm: 'hotfix-test', path: htpasswd } }
    : tokenServer ? { token: { realm: tokenServer.realm, service: SERVICE, issuer: ISSUER, rootcertbundle: tokenServer.certificate } }
    : undefined;

  const { child, host } = await startRegistry(dir, authConfig);
  const dockerConfig = join(dir, 'docker-config.json');
  const auths = login ? { [host]: { auth: Buffer.from(`${login.username}:${login.password}`).toString('base64') } } : {};
  writeFileSync(dockerConfig, JSON.stringify({ auths }));
  return {
    host,
    dockerConfig,
    ...login,
    tokens,
    async stop() {
      await stopProcess(child);
      await tokenServer?.close();
    },
  };
}

/** Starts the registry on a free port; a port taken between choosing and binding is chosen again. */
async function startRegistry(dir: string, auth: object | undefined): Promise<{ child: ChildProcess; host: string }> {
  for (let attempt = 1; ; attempt++) {
    const host = `127.0.0.1:${await freePort()}`;
    const config = join(dir, 'config.yml');
    // JSON is YAML, and needs no quoting rules for paths.
    const settings = {
      version: '0.1',
      log: { level: 'warn', accesslog: { disabled: true } },
      storage: { filesystem: { rootdirectory: join(dir, 'storage') } },
      http: { addr: host, secret: randomBytes(16).toString('hex') },
      ...(auth && { auth }),
    };
    writeFileSync(config, JSON.stringify(settings, null, 2));
    const child = spawn(REGISTRY_BINARY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.on('exit', () => running.delete(child));
    let log = '';
    const keep = (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8192));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const ready = await waitUntilServing(child, host);
    if (ready === true) return { child, host };
    if (ready === 'exited' && /address already in use/.test(log) && attempt < 3) continue;
    await stopProcess(child);
    const why = ready === 'spawn-failed' ? `${REGISTRY_BINARY} could not be started: install it with apt-get install docker-registry` : `the registry did not serve /v2/ on ${host}`;
    throw new Error(`${why}\n${log}`);
  }
}

/** Any HTTP answer from /v2/ (401 included, with auth on) means it serves. */
async function waitUntilServing(child: ChildProcess, host: string): Promise<true | 'exited' | 'spawn-failed' | 'timeout'> {
  let failed: 'exited' | 'spawn-failed' | undefined;
  child.once('error', () => (failed = 'spawn-failed'));
  child.once('exit', () => (failed ??= 'exited'));
  const deadline = Date.now() + HANG_GUARD_MS;
  while (Date.now() < deadline) {
    if (failed) return failed;
    try {
      await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(500) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return failed ?? 'timeout';
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface TokenServer {
  readonly realm: string;
  /** The self-signed certificate whose key signs the tokens: the registry's rootcertbundle. */
  readonly certificate: string;
  close(): Promise<void>;
}

/**
 * Docker's token protocol as distribution 2.8 verifies it: GET REALM?service=…&scope=…,
 * Basic credentials checked, an RS256 JWT whose header carries the signing certificate
 * (`x5c`, which must chain to the rootcertbundle) and whose claims name the issuer, the
 * service as audience, a validity window and the granted `access`. Anonymous requests get
 * a token granting nothing, as public token servers do for private repositories.
 */
async function startTokenServer(dir: string, login: { username: string; password: string }, issued: string[]): Promise<TokenServer> {
  const key = join(dir, 'token-key.pem');
  const certificate = join(dir, 'token-cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', certificate, '-days', '2', '-subj', '/CN=hotfix test token issuer'], { stdio: 'ignore' });
  const signer = { key: readFileSync(key, 'utf8'), x5c: new X509Certificate(readFileSync(certificate)).raw.toString('base64') };
  const expected = `Basic ${Buffer.from(`${login.username}:${login.password}`).toString('base64')}`;

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    const given = request.headers.authorization;
    if (given !== undefined && given !== expected) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ details: 'incorrect username or password' }));
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt(
      {
        iss: ISSUER,
        sub: given === undefined ? '' : login.username,
        aud: url.searchParams.get('service') ?? '',
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access: given === undefined ? [] : url.searchParams.getAll('scope').map(grant),
      },
      signer,
    );
    issued.push(token);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date(now * 1000).toISOString() }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    realm: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`,
    certificate,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `repository:team/app:pull,push` → everything asked for: the test account may do anything. */
function grant(scope: string): { type: string; name: string; actions: string[] } {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  return { type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(',') };
}

function signJwt(claims: object, signer: { key: string; x5c: string }): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const body = `${encode({ typ: 'JWT', alg: 'RS256', x5c: [signer.x5c] })}.${encode(claims)}`;
  return `${body}.${sign('sha256', Buffer.from(body), signer.key).toString('base64url')}`;
}

/** The hooks of a test file (uvu's `test`) that a registry for the whole file needs. */
interface FileHooks {
  before(hook: () => Promise<void>): void;
  after(hook: () => Promise<void>): void;
}

/**
 * One registry for every test of a file: started before the first test and stopped after
 * the last. Its `host` can be read once the tests run.
 */
export function registryForFile(hooks: FileHooks): { readonly host: string } {
  let registry: TestRegistry | undefined;
  hooks.before(async () => {
    registry = await startTestRegistry();
  });
  hooks.after(async () => {
    await registry?.stop();
  });
  return {
    get host() {
      if (!registry) throw new Error('the registry is read before the tests started it');
      return registry.host;
    },
  };
}
