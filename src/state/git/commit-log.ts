import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { programOnPath } from '../program-path.js';
import { startFailure } from '../start-failure.js';
import type { CommitInfo } from '../types.js';
import { git, gitArgs, gitEnv } from './run-git.js';
import { trackGit } from './running-git.js';

/** Commits as `git log` gives them: one, or a history streamed as it is read, with or without the message body. */

const FORMAT = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%s'].join('%x1f');
/** FORMAT and the message body, whose line breaks need records ended by NUL (`git log -z`). */
const FORMAT_WITH_BODY = `${FORMAT}%x1f%b`;

function parseCommit(line: string): CommitInfo {
  const [sha, parents, an, ae, ad, cn, ce, cd, subject] = line.split('\x1f', 9) as string[];
  return {
    sha: sha!,
    parents: parents ? parents.split(' ') : [],
    subject: subject ?? '',
    author: { name: an!, email: ae!, date: ad! },
    committer: { name: cn!, email: ce!, date: cd! },
  };
}

export async function commitInfo(repo: string, rev: string): Promise<CommitInfo> {
  const { stdout } = await git(repo, ['log', '-1', `--format=${FORMAT}`, '--end-of-options', rev]);
  return parseCommit(stdout.replace(/\n$/, ''));
}

/** A commit and the body of its message (what follows the subject). */
export interface CommitWithBody {
  readonly commit: CommitInfo;
  readonly body: string;
}

/**
 * The commits on `rev`'s first-parent line that changed `path` (a merge counts when it
 * differs from its first parent: the moment a pull request's change reached the branch),
 * newest first, streamed, with their message bodies.
 */
export function firstParentHistory(repo: string, rev: string, path: string): AsyncGenerator<CommitWithBody> {
  return streamBodies(repo, ['--first-parent', '--end-of-options', rev, '--', `:(literal)${path}`]);
}

/** The commits a merge brought in (reachable from it, not from its first parent) that changed `path`, newest first. */
export function mergedHistory(repo: string, merge: string, firstParent: string, path: string): AsyncGenerator<CommitWithBody> {
  return streamBodies(repo, ['--end-of-options', merge, `^${firstParent}`, '--', `:(literal)${path}`]);
}

async function* streamBodies(repo: string, args: readonly string[]): AsyncGenerator<CommitWithBody> {
  for await (const record of streamRecords(repo, ['-z', `--format=${FORMAT_WITH_BODY}`, ...args], '\0')) {
    const cut = record.split('\x1f', 9).join('\x1f').length;
    yield { commit: parseCommit(record), body: record.slice(cut + 1) };
  }
}

/** `git log` streamed line by line; the process ends when the consumer stops. */
async function* streamLog(repo: string, args: readonly string[]): AsyncGenerator<CommitInfo> {
  for await (const line of streamRecords(repo, [`--format=${FORMAT}`, ...args], '\n')) yield parseCommit(line);
}

/** `git log`'s records, ended by `separator`, streamed; the process ends when the consumer stops. */
async function* streamRecords(repo: string, args: readonly string[], separator: '\n' | '\0'): AsyncGenerator<string> {
  let child: ChildProcess;
  try {
    child = spawn(programOnPath('git'), gitArgs(['log', ...args]), { cwd: repo, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (error) {
    throw startFailure(error, 'git', { cwd: repo });
  }
  // A git that never started gives no lines, which would read as a history without the
  // answer; out of file descriptors it has no pipe at all.
  let notStarted: unknown;
  child.on('error', (error) => (notStarted ??= error));
  if (!child.stdout) throw startFailure((await once(child, 'error'))[0], 'git', { cwd: repo });
  const stdout = child.stdout;
  // Ended by a signal, its output stops early too: that must not read as the whole history.
  let interrupted = false;
  const untrack = trackGit(() => {
    interrupted = true;
    child.kill();
  });
  try {
    if (separator === '\n') {
      for await (const line of createInterface({ input: stdout })) if (line) yield line;
    } else {
      let pending = '';
      stdout.setEncoding('utf8');
      for await (const chunk of stdout as AsyncIterable<string>) {
        const records = (pending + chunk).split(separator);
        pending = records.pop()!;
        for (const record of records) if (record) yield record.replace(/^\n/, '');
      }
      if (pending.replace(/^\n/, '')) yield pending.replace(/^\n/, '');
    }
    if (notStarted !== undefined) throw startFailure(notStarted, 'git', { cwd: repo });
    if (interrupted) throw new HotfixError([diagnostic('HF204', `git log was stopped in ${repo}: it was interrupted`)]);
  } finally {
    untrack();
    child.kill();
  }
}

/** Commits with their whole messages (as `git cherry-pick` copies one), by id: one git for all of them. */
export async function commitsWithMessages(repo: string, shas: readonly string[]): Promise<Map<string, { readonly commit: CommitInfo; readonly message: string }>> {
  const out = new Map<string, { commit: CommitInfo; message: string }>();
  if (shas.length === 0) return out;
  const { stdout } = await git(repo, ['log', '--no-walk=unsorted', '-z', `--format=${FORMAT}%x1f%B`, '--end-of-options', ...shas]);
  for (const record of stdout.split('\0')) {
    const fields = record.replace(/^\n/, '');
    if (!fields) continue;
    const cut = fields.split('\x1f', 9).join('\x1f').length;
    const commit = parseCommit(fields);
    out.set(commit.sha, { commit, message: fields.slice(cut + 1).replace(/\n+$/, '\n') });
  }
  return out;
}

/**
 * Commits reachable from `rev` whose committer date is not after `before`, newest first,
 * streamed (the caller stops at the first it wants).
 */
export function commitsBefore(repo: string, rev: string, before: string): AsyncGenerator<CommitInfo> {
  return streamLog(repo, [`--before=${before}`, '--end-of-options', rev]);
}
