import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Policy } from '../policy/types.js';
import type { PushRemote } from '../state/types.js';
import type { Action, Precondition } from './types.js';

export type PushAction = Extract<Action, { kind: 'push' }>;

/** Where a repository's refs are pushed: the remote, the one URL it resolves to, and whether client hooks run. */
export interface PushTarget {
  readonly remote: string;
  readonly url: string;
  readonly runHooks: boolean;
}

/**
 * The push target of a repository, undefined when the policy does not push, or why it
 * cannot: git would take a remote name it does not know as a path (a directory of that
 * name in the work tree would receive the push and run its hooks), and a remote with
 * several push URLs is pushed to each of them. Pure.
 */
export function pushTarget(policy: Policy, repo: string, remote: PushRemote | undefined): PushTarget | Diagnostic | undefined {
  const git = policy.spec.git;
  if (!git?.push) return undefined;
  const urls = remote?.urls ?? [];
  if (urls.length === 0) return diagnostic('HF219', `${repo}: the policy pushes to remote "${git.remote}", which is not configured in the repository; add it (git remote add ${git.remote} URL) or set git.remote`);
  if (urls.length > 1) return diagnostic('HF219', `${repo}: remote "${git.remote}" has ${urls.length} push URLs (${urls.join(', ')}) and git would push to each; hotfix pushes to exactly one`);
  return { remote: git.remote, url: urls[0]!, runHooks: git.allowHooks };
}

export function pushAction(id: string, repo: string, target: PushTarget, refs: PushAction['refs']): PushAction {
  return { id, kind: 'push', repo, remote: target.remote, url: target.url, refs, runHooks: target.runHooks };
}

/** One precondition per repository and remote pushed to: the remote still resolves to the URL shown. Pure. */
export function remotePreconditions(actions: readonly Action[]): Precondition[] {
  const out = new Map<string, Precondition>();
  for (const a of actions) if (a.kind === 'push') out.set(`${a.repo}\0${a.remote}`, { kind: 'remote', repo: a.repo, remote: a.remote, url: a.url });
  return [...out.values()];
}
