import type { PushAction } from '../plan/push-target.js';
import { shellWord } from '../plan/shell-word.js';
import { git } from '../state/git/run-git.js';
import { refValue } from './verify-preconditions.js';

/** What git said of a push that failed. */
export interface PushRejection {
  /** Each ref git did not push, with git's words for why (`[remote rejected] (pre-receive hook declined)`). */
  readonly refs: readonly { readonly ref: string; readonly why: string }[];
  /** The remote's own words: its `remote:` lines (a pre-receive hook's, a protection rule's message). */
  readonly remote: readonly string[];
  /** git's last line, when it names no ref (the remote could not be reached). */
  readonly last?: string;
}

/** The remote's lines kept, each cut to this length: enough for any protection message. */
const REMOTE_LINES = 20;
const REMOTE_LINE_CHARS = 300;
/** The remote's progress, which says nothing about why it refused. */
const PROGRESS = /^(Resolving deltas|Counting objects|Compressing objects|Enumerating objects|Total \d)/;

/**
 * Reads `git push --porcelain`: one stdout line per ref (`!<TAB>src:dst<TAB>[rejected] (why)`
 * for one not pushed), and on stderr what the remote printed, each line `remote: …`. Pure.
 */
export function parsePushRejection(stdout: string, stderr: string): PushRejection {
  const refs = stdout
    .split('\n')
    .filter((line) => line.startsWith('!\t'))
    .map((line) => {
      const [, spec = '', why = ''] = line.split('\t');
      return { ref: spec.slice(spec.indexOf(':') + 1), why };
    });
  // A terminal's erase-line sequence (git adds one on a tty) and other controls are not words.
  const remote = stderr
    .split('\n')
    .filter((line) => line.startsWith('remote:'))
    .map((line) => line.slice('remote:'.length).replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/[\x00-\x1f\x7f]/g, '').trim())
    .filter((line) => line !== '' && !PROGRESS.test(line))
    .slice(0, REMOTE_LINES)
    .map((line) => (line.length > REMOTE_LINE_CHARS ? `${line.slice(0, REMOTE_LINE_CHARS)}…` : line));
  const last = `${stderr}\n${stdout}`.trim().split('\n').filter((l) => !l.startsWith('remote:')).pop()?.trim();
  return { refs, remote, ...(refs.length === 0 && last ? { last } : {}) };
}

/**
 * HF408 in full: which refs the remote refused and its own words, where each commit the push
 * carried is kept (the local ref that holds it, else a ref made for it under refs/hotfix/kept/,
 * so a commit made for a branch checked out elsewhere is never left dangling), and the
 * commands that finish the job.
 */
export async function pushRejection(repo: string, action: PushAction, rejection: PushRejection): Promise<string> {
  const refused = rejection.refs.length > 0 ? rejection.refs.map((r) => `${r.ref} ${r.why}`).join('; ') : rejection.last || 'the remote could not be reached';
  const said = rejection.remote.length > 0 ? ` The remote said: ${rejection.remote.map((l) => `"${l}"`).join(' ')}.` : '';
  const kept: string[] = [];
  for (const { ref, sha } of action.refs) kept.push(`${sha.slice(0, 12)} (for ${ref}) at ${await holder(repo, ref, sha)}`);
  const command = `git -C ${shellWord(repo)} push --atomic ${shellWord(action.url)} ${action.refs.map((r) => shellWord(`${r.sha}:${r.ref}`)).join(' ')}`;
  const branches = [...new Set(rejection.refs.map((r) => r.ref).filter((ref) => ref.startsWith('refs/heads/')))].map((ref) => ref.slice('refs/heads/'.length));
  const review = branches.length > 0 ? `; or, where ${branches.join(', ')} ${branches.length === 1 ? 'takes' : 'take'} changes only by pull request, set git.via: pull-request in the policy (environments[].config.via for one environment's deploy) and plan again` : '';
  return `push to ${action.remote} was rejected: ${refused}.${said} Nothing was pushed (the push is atomic): ${action.url} is as it was. The commits are kept in ${repo}: ${kept.join(', ')}. To finish, once the remote accepts it: ${command}, then run hotfix apply again on the same plan${review}.`;
}

/** A ref of this repository that holds `sha`: the planned ref when it is there, else one made for it. */
async function holder(repo: string, ref: string, sha: string): Promise<string> {
  if ((await refValue(repo, ref)) === sha) return ref;
  const keep = `refs/hotfix/kept/${sha}`;
  // Create-only (the old value must be none) and never over anything: the id names its content.
  const made = await git(repo, ['update-ref', '--no-deref', '--create-reflog', keep, sha, ''], { okCodes: [1, 128] });
  return made.code === 0 || (await refValue(repo, keep)) !== undefined ? keep : `no ref (git update-ref ${keep} failed: run git update-ref ${keep} ${sha} before git gc)`;
}
