import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { ImageCommit } from '../../state/hotfix/running-hotfix.js';
import { unknownCommit, type HotfixContainment } from './hotfix-containment.js';

/** Why a release would take away a hotfix an environment runs, or cannot be checked; none when it keeps them all. Pure. */
export function releaseFindings(environment: string, release: ImageCommit, running: HotfixContainment): Diagnostic[] {
  if (!release.commit) return [diagnostic('HF381', unknownCommit(release))];
  if (running.unknown) return [diagnostic('HF381', `${environment} runs ${running.image}, and ${running.unknown}`)];
  const lacking = running.targets.flatMap((t) => t.commits.filter((c) => !c.heldBy));
  if (lacking.length === 0) return [];
  return [
    diagnostic(
      'HF380',
      `${release.image} (${release.commit.slice(0, 7)}) lacks ${lacking.length === 1 ? 'a hotfix change' : `${lacking.length} hotfix changes`} that ${environment} runs (${running.image}): ${lacking.map((c) => `${c.sha.slice(0, 7)} "${c.subject}"`).join(', ')}; releasing it would undo the fix: build the release from a commit that has ${lacking.length === 1 ? 'it' : 'them'} (merge the hotfix back, or cherry-pick)`,
    ),
  ];
}
