import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { trackGit } from '../git/running-git.js';
import { programOnPath } from '../program-path.js';
import { scratchDir } from '../scratch-dir.js';
import { startFailure } from '../start-failure.js';
import { kubectlTimeoutMs, MAX_OUTPUT_BYTES, parseJson, unreadable } from './read-cluster.js';

/**
 * kubectl proxy run so that it ends with hotfix however hotfix ends: a kill -9 runs no
 * handler, and a proxy left behind would go on serving the user's credentials on its
 * socket. The shell holds the read end of a pipe from hotfix, which the kernel closes when
 * hotfix exits; reading end of file there, it ends kubectl. A SIGTERM or SIGINT to the
 * shell ends kubectl too, and the shell exits as kubectl does (`wait`), so a proxy that
 * fails at start is seen failing. Background commands of a non-interactive shell read
 * /dev/null unless told otherwise, hence fd 3.
 */
const WATCHED = 'exec 3<&0; "$@" & pid=$!; trap \'kill $pid 2>/dev/null\' TERM INT HUP; (read _ <&3; kill $pid 2>/dev/null) & wait $pid; code=$?; wait $pid 2>/dev/null; exit $code';

/**
 * One `kubectl proxy` for a context, listening on a unix socket in a directory only this
 * user can enter, and the API's GETs made through it. A fleet's status lists two resources
 * in each of many namespaces: a kubectl process per list costs about 0.2 s of processor
 * each (twenty namespaces, four seconds), a request through the proxy next to nothing,
 * while kubectl still does what it does for the user (kubeconfig, certificates, exec
 * credential plugins). A socket, not a port: no other user of the machine can borrow the
 * credentials it adds while it runs.
 */
export class KubectlProxy {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    private readonly socket: string,
    private readonly forget: () => void,
  ) {}

  static async start(context: string | undefined, kubectl = 'kubectl'): Promise<KubectlProxy> {
    const dir = await scratchDir('hotfix-kube-', 'the kubectl proxy socket', 'HF224');
    const socket = join(dir, 'api.sock');
    const child = spawn('/bin/sh', ['-c', WATCHED, 'sh', programOnPath(kubectl), ...(context ? ['--context', context] : []), 'proxy', `--unix-socket=${socket}`], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Its end of the pipe is the watch: nothing is ever written to it.
    child.stdin?.on('error', () => undefined);
    const forget = trackGit(() => child.kill());
    child.on('exit', forget);
    const proxy = new KubectlProxy(child, dir, socket, forget);
    try {
      await serving(child, kubectl);
      return proxy;
    } catch (error) {
      await proxy.close();
      throw error;
    }
  }

  /** The JSON at an API path (`/apis/apps/v1/namespaces/NS/deployments`); a refusal is HF205 with the API's own words. */
  get(path: string, what: string): Promise<unknown> {
    const timeout = kubectlTimeoutMs();
    return new Promise((resolve, reject) => {
      const failed = (why: string) => reject(unreadable(`kubectl proxy: ${what} failed: ${why}`));
      const req = request({ socketPath: this.socket, path, headers: { Accept: 'application/json' }, timeout }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_OUTPUT_BYTES) return response.destroy(new Error(`the answer is more than ${MAX_OUTPUT_BYTES} bytes`));
          chunks.push(chunk);
        });
        response.on('error', (error) => failed(error.message));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (response.statusCode === 200) return tryResolve(() => parseJson(text, `the API's answer to ${what}`), resolve, reject);
          failed(`${statusMessage(text) ?? text.trim().split('\n').pop() ?? ''} (HTTP ${response.statusCode})`);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeout / 1000}s`)));
      req.on('error', (error) => failed(error.message));
      req.end();
    });
  }

  async close(): Promise<void> {
    this.child.stdin?.end();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    this.forget();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** How long a kubectl proxy that exited may take to finish writing what it said; only a guard. */
const LAST_WORDS_MS = 5000;

/** Resolves once kubectl says it serves; rejects with its last words if it exits first, or after the timeout. */
function serving(child: ChildProcess, kubectl: string): Promise<void> {
  const timeout = kubectlTimeoutMs();
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(unreadable(`kubectl proxy did not start within ${timeout / 1000}s`)), timeout);
    const done = (settle: () => void) => {
      clearTimeout(timer);
      settle();
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Starting to serve on')) done(resolve);
    });
    child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-4096)));
    child.on('error', (error) => done(() => reject(startFailure(error, kubectl, { purpose: 'read the cluster; or give --cluster-state FILE' }))));
    child.on('exit', (code, signal) => {
      const fail = () => done(() => reject(unreadable(`kubectl proxy failed: ${err.trim().split('\n').pop() || `it exited with ${signal ?? `code ${code}`}`}`)));
      // Its exit can come before its last words are read, and the watchdog's reader holds
      // stderr open until stdin closes: close stdin, then read stderr to its end (bounded).
      child.stdin?.end();
      if (child.stderr!.closed) return fail();
      child.stderr!.once('close', fail);
      setTimeout(fail, LAST_WORDS_MS).unref();
    });
  });
}

/** The message of the Status object the API server answers an error with. */
function statusMessage(text: string): string | undefined {
  try {
    const status = JSON.parse(text) as { message?: unknown };
    return typeof status.message === 'string' ? status.message : undefined;
  } catch {
    return undefined;
  }
}

function tryResolve(compute: () => unknown, resolve: (value: unknown) => void, reject: (error: unknown) => void): void {
  try {
    resolve(compute());
  } catch (error) {
    reject(error);
  }
}
