import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { programOnPath } from '../program-path.js';
import { gitArgs, gitEnv } from './run-git.js';
import { trackGit } from './running-git.js';

/**
 * One long-lived `git cat-file --batch-check` per repository (and object view) that names
 * object ids, so that resolving a revision costs a line through a pipe, not a git process:
 * a hotfix apply resolved some thirty revisions, each a `rev-parse` of its own, and a process
 * costs more than ten milliseconds here. cat-file resolves names as rev-parse does and reads
 * refs afresh for each name, so refs apply has moved since are seen.
 *
 * Its answer is an id, or nothing when the name does not resolve here; undefined from
 * `ask` means it could not say at all (the process failed, the name cannot travel on a
 * line), and the caller asks rev-parse instead.
 */
class RevisionResolver {
  private readonly child: ChildProcess;
  private readonly waiting: Array<(line: string | undefined) => void> = [];
  private failed = false;
  /** Set while it has questions to answer: only then is it a running git a signal must end and an exit wait for. */
  private untrack: (() => void) | undefined;

  constructor(repo: string, env: Readonly<Record<string, string>>) {
    this.child = spawn(programOnPath('git'), gitArgs(['cat-file', '--batch-check=%(objectname)']), { cwd: repo, env: gitEnv(env), stdio: ['pipe', 'pipe', 'ignore'] });
    const fail = () => {
      this.failed = true;
      this.untrack?.();
      for (const answer of this.waiting.splice(0)) answer(undefined);
    };
    this.child.on('error', fail);
    this.child.on('exit', fail);
    this.child.stdin?.on('error', fail);
    if (this.child.stdout) createInterface({ input: this.child.stdout, crlfDelay: Infinity }).on('line', (line) => this.answer(line));
    this.idle();
  }

  private answer(line: string): void {
    this.waiting.shift()?.(line);
    if (this.waiting.length === 0) this.idle();
  }

  /** A resolver with nothing asked of it keeps no process alive: the CLI exits when its work is done. */
  private idle(): void {
    this.untrack?.();
    this.untrack = undefined;
    this.child.unref();
    (this.child.stdout as { unref?: () => void } | null)?.unref?.();
    (this.child.stdin as { unref?: () => void } | null)?.unref?.();
  }

  private busy(): void {
    this.untrack ??= trackGit(() => this.child.kill());
    this.child.ref();
    (this.child.stdout as { ref?: () => void } | null)?.ref?.();
    (this.child.stdin as { ref?: () => void } | null)?.ref?.();
  }

  /** Ends the process once it has answered what was asked. */
  close(): void {
    this.child.stdin?.end();
  }

  /** cat-file's line for `revision`, or undefined when it cannot be asked. */
  ask(revision: string): Promise<string | undefined> {
    if (this.failed || !this.child.stdin || /[\n\r]/.test(revision)) return Promise.resolve(undefined);
    this.busy();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin!.write(`${revision}\n`);
    });
  }
}

const resolvers = new Map<string, RevisionResolver>();
const keyOf = (repo: string, env: Readonly<Record<string, string>>) => `${repo}\0${JSON.stringify(env)}`;

/**
 * What cat-file says `revision` names in `repo` (seen with `env`): `{ id }`, `{ id: undefined }`
 * when it resolves to nothing, or undefined when only rev-parse can say. cat-file also says
 * "missing" where a ref names an object the store lacks, which rev-parse reports only when
 * it must read the object: that answer is final only for a peeled name (`^{commit}`,
 * `^{tree}`), which rev-parse must read too.
 */
export async function resolveByBatch(repo: string, revision: string, env: Readonly<Record<string, string>> = {}): Promise<{ id: string | undefined } | undefined> {
  const key = keyOf(repo, env);
  let resolver = resolvers.get(key);
  if (!resolver) resolvers.set(key, (resolver = new RevisionResolver(repo, env)));
  const line = await resolver.ask(revision);
  if (line === undefined) return undefined;
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(line)) return { id: line };
  return line === `${revision} missing` && /\^\{(commit|tree)\}$/.test(revision) ? { id: undefined } : undefined;
}

/** Ends the resolver of an object view that is going away (a merge simulator's scratch store). */
export function closeResolver(repo: string, env: Readonly<Record<string, string>>): void {
  const key = keyOf(repo, env);
  resolvers.get(key)?.close();
  resolvers.delete(key);
}
