import type { PushTarget } from '../push-target.js';
import { shellWord } from '../shell-word.js';
import type { Action } from '../types.js';

/**
 * A merge-back git predicts to conflict, for a person: commands that are valid shell when
 * pasted, every name quoted, that stop where the merge stops so the conflicts can be
 * resolved; the same commands from `git commit` on finish it. Where the plan pushes they
 * work in any clone, from the remote's branches. The hotfix (base..head) is named so that
 * apply can see when the branch holds it.
 */
export function manualMergeBack(repo: string, { into, via }: { into: string; via: string }, hotfixBranch: string, conflicts: readonly string[], push: PushTarget | undefined, hotfix: { base: string; head: string }): Action {
  const remote = push ? shellWord(push.remote) : undefined;
  // With git.via pull-request the merge goes to a branch of its own, from the remote's branch, for a pull request.
  const onto = (name: string) => (via === into ? [`git switch ${shellWord(into)}`, `git merge --ff-only ${shellWord(`${name}/${into}`)}`] : [`git switch --create ${shellWord(via)} ${shellWord(`${name}/${into}`)}`]);
  const commands = push
    ? [`git fetch ${remote}`, ...onto(push.remote), `git merge --no-ff --no-commit ${shellWord(`${push.remote}/${hotfixBranch}`)}`, 'git commit --no-edit', `git push ${remote} ${shellWord(`refs/heads/${via}`)}`]
    : [`git switch ${shellWord(into)}`, `git merge --no-ff --no-commit ${shellWord(hotfixBranch)}`, 'git commit --no-edit'];
  return {
    id: `merge-${into}`,
    kind: 'manual',
    repo,
    title: `merge ${hotfixBranch} into ${into}${via === into ? '' : ` by a pull request from ${via}`} (the merge stops at conflicts in ${conflicts.join(', ')}: resolve them, git add them, and run the commands again from git commit${via === into ? '' : `; then open a pull request from ${via} into ${into}`})`,
    commands,
    mergeBack: { into, ...hotfix },
  };
}
