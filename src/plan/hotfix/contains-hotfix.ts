import type { ContainmentFacts, HotfixChanges, TargetContents } from '../../state/hotfix/hotfix-changes.js';

/** How a target holds one hotfix commit's change. */
export type HeldBy = 'ancestor' | 'origin' | 'patch-id' | 'cherry-pick -x' | 'squash' | 'empty';

export interface Containment {
  readonly target: string;
  readonly sha: string;
  readonly contained: boolean;
  readonly commits: ReadonlyArray<{ readonly sha: string; readonly subject: string; readonly heldBy?: HeldBy }>;
}

/**
 * Whether `target` holds every change of the hotfix: each commit is in its history, or the
 * commit it was picked from is, or a commit of its own has the same patch-id (a
 * cherry-pick), or says it was cherry-picked from it (`-x`: a pick whose conflicts were
 * resolved has another patch-id), or one commit has the patch-id of the whole hotfix (a
 * squash). Pure.
 */
export function containsHotfix(changes: HotfixChanges, target: TargetContents): Containment {
  const ancestors = new Set(target.ancestors);
  const ids = new Set(target.patchIds);
  const picked = new Set(target.pickedFrom);
  const squashed = changes.squashPatchId !== undefined && ids.has(changes.squashPatchId);
  const commits = changes.commits.map((c) => {
    const heldBy: HeldBy | undefined = ancestors.has(c.sha)
      ? 'ancestor'
      : c.origin !== undefined && ancestors.has(c.origin)
        ? 'origin'
        : c.patchId === undefined
          ? 'empty'
          : ids.has(c.patchId)
            ? 'patch-id'
            : picked.has(c.sha) || (c.origin !== undefined && picked.has(c.origin))
              ? 'cherry-pick -x'
              : squashed
                ? 'squash'
                : undefined;
    return { sha: c.sha, subject: c.subject, ...(heldBy ? { heldBy } : {}) };
  });
  return { target: target.name, sha: target.sha, contained: commits.every((c) => c.heldBy !== undefined), commits };
}

/** One containment per target, in the order read. Pure. */
export function containmentOf(facts: ContainmentFacts): Containment[] {
  return facts.targets.map((t) => containsHotfix(facts.changes, t));
}
