import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { HotfixState } from '../../state/hotfix/gather-hotfix.js';
import { shellWord } from '../shell-word.js';

/**
 * A branch or tag the plan needs or would make that is on the push remote (git ls-remote)
 * but not in this clone, local or remote-tracking: an earlier run pushed it after the clone
 * was made, or the clone's refspec or --no-tags left it out. Without its commits it can be
 * neither adopted nor compared, and pushing over it would be refused: fetch, then plan again.
 */
export function remoteOnly(state: HotfixState, name: string, kind: 'heads' | 'tags'): Diagnostic | undefined {
  const remote = state.app.pushRemote;
  const tips = state.remoteTips;
  if (!remote || !tips) return undefined;
  const listed = kind === 'heads' ? tips.branches : tips.tags;
  const here = kind === 'heads' ? state.app.refs.branches : state.app.refs.tags;
  if (!Object.hasOwn(listed, name) || here.includes(name)) return undefined;
  const at = kind === 'heads' ? tips.branches[name]! : tips.tags[name]!.commit;
  // The branch named in the refspec: a clone made with --single-branch (as CI checkouts are) fetches no other with a bare git fetch.
  const fetch = kind === 'heads' ? `git fetch ${shellWord(remote.name)} ${shellWord(`refs/heads/${name}:refs/remotes/${remote.name}/${name}`)}` : `git fetch ${shellWord(remote.name)} tag ${shellWord(name)}`;
  return diagnostic('HF389', `${kind === 'heads' ? 'branch' : 'tag'} ${name} is on ${remote.name} (${remote.urls[0]}) at ${at.slice(0, 7)}, but this clone of ${state.app.repoName} has not fetched it, so the plan can neither adopt nor compare it: run ${fetch} and plan again`);
}

/** A tag of the hotfix's name that is not at a branch this plan adopts: what it is, and what to run. */
export function existingTag(tag: string, repo: string, versioned: boolean): Diagnostic {
  return diagnostic('HF312', `hotfix tag ${tag} already exists in ${repo}, and no branch of this hotfix (same deployed commit, same picks) is at its commit; see where it points with git show --no-patch ${shellWord(tag)}, and if an abandoned attempt made it, delete it with git tag -d ${shellWord(tag)} and plan again, or, to keep it, ${versioned ? 'pass another --version' : 'change hotfix.tag'}`);
}
