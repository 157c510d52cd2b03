import { realpath, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import type { Action, Plan } from '../plan/types.js';
import { CatFileBatch } from '../state/git/cat-file.js';
import { commonGitDir } from '../state/git/read.js';
import { git } from '../state/git/run-git.js';
import { scratchDir } from '../state/scratch-dir.js';
import { fileSystemError } from './file-system-error.js';
import { nextStep, rederivedLine, rederiveIfMoved, withRederived } from './moved-branches.js';
import { judgeOnRemote } from './moved-on-remote.js';
import { isDone, refEffect, refKey } from './ref-effects.js';
import { RehearsedObjects } from './rehearsed-objects.js';
import { runAction } from './run-action.js';
import { refValues, repoPath } from './verify-preconditions.js';

/**
 * Carries out every action still to do, with the code the real run uses, in throwaway bare
 * repositories that borrow the real ones' objects (alternates) and start with their refs.
 * Each object, diff, picked tree and merge base is recomputed and compared with what the
 * plan shows, so a plan that would fail halfway, or write something other than what was
 * reviewed, is refused before the first real write. Nothing reaches the real repositories.
 * A merge-back whose branch moved in this clone since the plan is made again there on the
 * new head by the plan's rule (`sealed`'s), once the stand-in holds the hotfix commits it
 * brings in: one that conflicts is HF417 before production is deployed, not after. So is
 * one whose branch moved on the remote it is pushed to (moved-on-remote.ts). One found
 * clean is `said`, as apply will make it (what a --dry-run shows). Returns what it made,
 * for the real run to place instead of making it again; the caller disposes of it.
 */
export async function rehearse(sealed: Plan, plan: Plan, repos: Readonly<Record<string, string>>, done: ReadonlySet<string>, signal?: AbortSignal, said?: (line: string) => void): Promise<RehearsedObjects> {
  const scratch = await scratchDir('hotfix-rehearsal-', 'rehearsing the plan', 'HF422');
  const rehearsed = new RehearsedObjects(scratch);
  // One object reader per stand-in for every action there.
  const readers = new Map<string, CatFileBatch>();
  const reader = (repo: string) => readers.get(repo) ?? readers.set(repo, new CatFileBatch(repo)).get(repo)!;
  try {
    const stand: Record<string, string> = {};
    // Where each ref of the stand-ins is: only the rehearsal moves them once they are made.
    const refs = new Map<string, string>();
    for (const name of new Set(plan.actions.flatMap((a) => ('repo' in a ? [a.repo] : [])))) stand[name] = await standIn(plan, name, repoPath(repos, name), join(scratch, name), refs);
    let current = plan;
    for (const index of plan.actions.keys()) {
      signal?.throwIfAborted();
      let action = current.actions[index]!;
      if (done.has(action.id) || action.kind === 'push' || action.kind === 'gate' || action.kind === 'manual' || action.kind === 'open-pull-request') continue;
      if (isDone(current.actions, index, refs.get(refKey(action.repo, refEffect(action)!.ref)))) continue;
      // As apply does when it reaches it: a merge-back whose branch moved in this clone is made again
      // on the new head, judged here, where the hotfix commits it brings in are made already.
      const again = await rederiveIfMoved(sealed, current, index, repos, nextStep(sealed, false), stand);
      if (again) {
        current = withRederived(current, again);
        said?.(rederivedLine(sealed, again));
      }
      action = current.actions[index] as Exclude<Action, { kind: 'push' | 'gate' | 'manual' | 'open-pull-request' }>;
      await judgeOnRemote(sealed, current, index, repos, stand[action.repo]!);
      const effect = refEffect(action)!;
      await runAction(action, stand, { moveRef: true, reader }).catch((error: unknown) => {
        if (!(error instanceof HotfixError)) throw error;
        throw new HotfixError(error.diagnostics.map((d) => diagnostic('HF416', `rehearsing ${action.id}: ${d.message.replace(/; nothing was written for it$/, '')}; nothing was written`)));
      });
      await rehearsed.record(action.id, effect.to, join(stand[action.repo]!, 'objects'));
      refs.set(refKey(effect.repo, effect.ref), effect.to);
    }
    return rehearsed;
  } catch (error) {
    await rehearsed.dispose();
    throw error;
  } finally {
    for (const open of readers.values()) open.close();
  }
}

/** A bare repository reading the real one's objects, with the refs the plan moves or reads at their real values (also put in `values`). */
async function standIn(plan: Plan, name: string, real: string, path: string, values: Map<string, string>): Promise<string> {
  // An empty --template: init.templateDir of the user's config would copy hooks and config in.
  await git(dirname(path), ['init', '--quiet', '--bare', '--template=', '--', path]);
  const alternates = join(path, 'objects', 'info', 'alternates');
  await writeFile(alternates, `${await realpath(join(await commonGitDir(real), 'objects'))}\n`).catch((error: unknown) => fileSystemError(error, 'write the rehearsal\'s', alternates, 'HF422'));
  const refs = new Set<string>();
  for (const action of plan.actions) {
    if (!('repo' in action) || action.repo !== name) continue;
    const effect = refEffect(action);
    if (effect) refs.add(effect.ref);
    if (action.kind === 'merge') refs.add(`refs/heads/${action.from}`);
  }
  const lines: string[] = [];
  for (const [ref, value] of await refValues(real, [...refs])) {
    if (value === undefined) continue;
    lines.push(`create ${ref} ${value}`);
    values.set(refKey(name, ref), value);
  }
  if (lines.length > 0) await git(path, ['update-ref', '--stdin'], { input: `${lines.join('\n')}\n` });
  return path;
}
