import type { Policy } from '../../policy/types.js';
import type { ImageCommit, RunningHotfix } from '../../state/hotfix/running-hotfix.js';
import { containmentOf, type Containment } from './contains-hotfix.js';
import { decideRevision } from './decide-revision.js';

/** What an environment runs beyond the mainline, and whether each target holds it: status's and check release's answer. */
export interface HotfixContainment {
  readonly image: string;
  /** The commit the image was built from; absent when no source named it (see `unknown`). */
  readonly commit?: string;
  readonly unknown?: string;
  /** The mainline commit it was cut from. */
  readonly base?: string;
  /** The changes it runs that the mainline it was cut from lacked: none for a mainline build. */
  readonly changes: ReadonlyArray<{ readonly sha: string; readonly subject: string }>;
  readonly targets: readonly Containment[];
  /** Targets named that do not exist (a merge-back branch not made yet): they hold nothing. */
  readonly missingTargets: readonly string[];
  /** Every target holds every change; false when one does not, or the commit is unknown. */
  readonly contained: boolean;
}

/** The branches a hotfix must reach so it cannot regress: the mainline, git flow's release line, and each merge-back branch. Pure. */
export function mergeBackBranches(policy: Policy): string[] {
  const hotfix = policy.spec.hotfix;
  return [...new Set([policy.spec.app.mainline, ...(hotfix?.release ? [hotfix.release] : []), ...(hotfix?.mergeBack ?? [])])];
}

/** Pure: the decision status and check release share, from what git said. */
export function hotfixContainment(running: RunningHotfix): HotfixContainment {
  const { image, commit } = running.running;
  if (!commit || !running.facts) {
    const unknown = running.unrelated ? `${image} was built from ${commit!.slice(0, 7)}, which shares no history with the mainline` : unknownCommit(running.running);
    return { image, unknown, changes: [], targets: [], missingTargets: running.missing, contained: false };
  }
  const targets = containmentOf(running.facts);
  const changes = running.facts.changes.commits.map((c) => ({ sha: c.sha, subject: c.subject }));
  const missingTargets = changes.length > 0 ? running.missing : [];
  return { image, commit, base: running.facts.changes.base, changes, targets, missingTargets, contained: missingTargets.length === 0 && targets.every((t) => t.contained) };
}

/** Why the commit an image was built from is not known, in the plan's words for the deployed one. Pure. */
export function unknownCommit(image: ImageCommit): string {
  const decision = decideRevision(image.answers);
  return `the commit ${image.image} was built from is not known: ${'errors' in decision ? decision.errors.map((d) => d.message).join('; ') : 'no source answered'}`;
}
