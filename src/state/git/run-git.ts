import { spawn, type ChildProcess } from 'node:child_process';
import { HotfixError } from '../../diagnostics/errors.js';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { startFailure } from '../start-failure.js';
import { trackGit } from './running-git.js';
import { programOnPath } from '../program-path.js';

/**
 * The only variables of the caller's environment git sees: what finding programs, the
 * user's own config and credentials, ssh and proxies need. Everything else is dropped,
 * above all what would point git at another repository, object store, index, config or
 * git itself (GIT_DIR, GIT_WORK_TREE, GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES,
 * GIT_INDEX_FILE, GIT_NAMESPACE, GIT_COMMON_DIR, GIT_CONFIG*, GIT_EXEC_PATH,
 * GIT_REPLACE_REF_BASE, GIT_GRAFT_FILE, GIT_SHALLOW_FILE, GIT_QUARANTINE_PATH, GIT_TRACE*,
 * GIT_ATTR_SOURCE, LD_PRELOAD …): an allow-list, so a variable a later git learns is
 * dropped too.
 */
const PASSED_THROUGH = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'XDG_CONFIG_HOME', 'SYSTEMROOT',
  'SSH_AUTH_SOCK', 'SSH_AGENT_PID', 'SSH_ASKPASS', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_SSH_VARIANT', 'GIT_ASKPASS',
  'http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY', 'GIT_PROXY_COMMAND',
  'GIT_SSL_CAINFO', 'GIT_SSL_CAPATH', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
] as const;

/**
 * Set for every git: parseable output (no pager, no translation), never a prompt, no
 * optional locks, objects as stored (replace refs would let `refs/replace/*` swap any
 * commit apply reads or checks for another), and no system attributes file (its
 * `merge=`, `filter=` or `diff=` would name drivers; see object-view.ts).
 */
const FIXED_ENV = {
  LC_ALL: 'C',
  GIT_TERMINAL_PROMPT: '0',
  GIT_PAGER: 'cat',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_NO_REPLACE_OBJECTS: '1',
  GIT_ATTR_NOSYSTEM: '1',
} as const;

/** The environment of every git hotfix runs; `extra` is hotfix's own (a scratch object store). */
export function gitEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return { ...env, ...FIXED_ENV, ...extra };
}

/**
 * Config given on every command line, which outranks every config file: no colour or
 * quoting in output, no fsmonitor program (the repository's config could name any), no
 * auto gc, no `ext::` remote (a URL that runs a command), no user attributes file, and
 * log output in UTF-8 whatever i18n.logOutputEncoding says (messages are read as UTF-8).
 */
const SAFE_CONFIG = ['color.ui=false', 'core.quotepath=false', 'log.showSignature=false', 'core.fsmonitor=false', 'gc.auto=0', 'maintenance.auto=false', 'protocol.ext.allow=never', 'core.attributesFile=/dev/null', 'i18n.logOutputEncoding=UTF-8'];

/**
 * An empty hooks path silences every hook, the repository's or the user's, even the
 * reference-transaction hook `update-ref` fires. Only a push the policy allows runs hooks.
 */
const NO_HOOKS = 'core.hooksPath=/dev/null';

/** The argument list of a git command with hotfix's config in front. */
export function gitArgs(args: readonly string[], options: Pick<GitOptions, 'config' | 'runHooks'> = {}): string[] {
  const config = [...SAFE_CONFIG, ...(options.runHooks ? [] : [NO_HOOKS]), ...(options.config ?? [])];
  return [...config.flatMap((setting) => ['-c', setting]), ...args];
}

/**
 * How long a git that talks to a remote (push, ls-remote) may take; a hung remote must not
 * hold apply's lock for ever. HOTFIX_GIT_NETWORK_TIMEOUT_MS overrides it.
 */
export function networkTimeoutMs(): number {
  const given = Number(process.env.HOTFIX_GIT_NETWORK_TIMEOUT_MS);
  return Number.isInteger(given) && given > 0 ? given : 120_000;
}

export interface GitOptions {
  readonly input?: string | Buffer;
  /** Exit codes that are answers rather than failures (e.g. 1 from `rev-parse --verify -q`). */
  readonly okCodes?: readonly number[];
  readonly env?: Readonly<Record<string, string>>;
  /** More `name=value` settings given with `-c`, after hotfix's own. */
  readonly config?: readonly string[];
  /** Let the repository's hooks run (a push the policy allows them for). */
  readonly runHooks?: boolean;
  /** Talks to a remote: bounded by networkTimeoutMs, and ended with every process it started. */
  readonly network?: boolean;
  /** Ends git (and what it started) at once when aborted (SIGINT, SIGTERM). */
  readonly signal?: AbortSignal;
}

export interface GitResult {
  readonly code: number;
  readonly stdout: string;
  /** What git printed on stderr: a push's `remote:` lines are the remote's own words. */
  readonly stderr: string;
}

const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * Runs system git with an argument array (never a shell) in `repo`, with the environment
 * and config above. Failures name the git subcommand (`git push`, not `git -c`).
 */
export function git(repo: string, args: readonly string[], options: GitOptions = {}): Promise<GitResult> {
  const subcommand = args.find((a) => !a.startsWith('-')) ?? args[0] ?? '';
  const network = options.network === true;
  return new Promise((resolve, reject) => {
    // A network git runs in a process group of its own, so ending it also ends the ssh,
    // remote helper or receive-pack it started, which would otherwise keep the remote busy.
    // Out of file descriptors, Node starts no git and gives it no pipes (null streams): its 'error' says why.
    let child: ChildProcess;
    try {
      child = spawn(programOnPath('git'), gitArgs(args, options), { cwd: repo, env: gitEnv(options.env), detached: network, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      // A working directory that is a file fails here, not with an 'error' event.
      return reject(startFailure(error, 'git', { cwd: repo }));
    }
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let stopped: { code: 'HF204' | 'HF218'; why: string } | undefined;
    const stop = (why: string, code: 'HF204' | 'HF218' = 'HF204') => {
      if (stopped !== undefined) return;
      stopped = { code, why };
      try {
        if (network && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // already gone
      }
    };
    const timeout = networkTimeoutMs();
    const timer = network ? setTimeout(() => stop(`it did not finish within ${timeout / 1000} s (HOTFIX_GIT_NETWORK_TIMEOUT_MS); the remote may be hung or unreachable`, 'HF218'), timeout) : undefined;
    const abort = () => stop('it was interrupted');
    const untrack = trackGit(abort);
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT_BYTES) stop(`its output passed ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB`);
      else stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    // git may exit before reading its input (a bad revision): that is its answer, not ours to report.
    child.stdin?.on('error', () => undefined);
    child.on('error', (error) => finish(-1, startFailure(error, 'git', { cwd: repo })));
    child.on('close', (code) => finish(code ?? -1));
    let done = false;
    function finish(code: number, notStarted?: HotfixError): void {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      untrack();
      options.signal?.removeEventListener('abort', abort);
      if (notStarted !== undefined) return reject(notStarted);
      if (stopped !== undefined) return reject(new HotfixError([diagnostic(stopped.code, `git ${subcommand} was stopped in ${repo}: ${stopped.why}`)]));
      const out = Buffer.concat(stdout).toString('utf8');
      if (code === 0 || options.okCodes?.includes(code)) return resolve({ code, stdout: out, stderr: Buffer.concat(stderr).toString('utf8') });
      const what = Buffer.concat(stderr).toString('utf8').trim().split('\n').pop() || `exit code ${code}`;
      reject(new HotfixError([diagnostic('HF204', `git ${subcommand} failed in ${repo}: ${what}`)]));
    }
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
