import { posix } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { refNameProblem } from '../policy/git-ref-name.js';
import type { Action, Plan } from '../plan/types.js';

/**
 * Every name and path a plan hands to git, checked before apply writes anything: a plan
 * with a valid id can still have been sealed by someone else, and a newline in a branch
 * name would add a line to `update-ref --stdin`. Pure.
 */
export function planNameProblems(plan: Plan): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ref = (name: string, where: string) => {
    const problem = refNameProblem(name);
    if (problem) out.push(diagnostic('HF210', `the plan's ${where} "${printable(name)}" is not a valid ref name: ${problem}`));
  };
  const path = (file: string, where: string) => {
    const bad = file === '' || posix.isAbsolute(file) || file.split('/').some((part) => part === '..' || part === '.' || part === '') || /[\x00-\x1f\x7f\\]/.test(file);
    if (bad) out.push(diagnostic('HF210', `the plan's ${where} "${printable(file)}" is not a plain path inside the repository`));
  };
  for (const action of plan.actions) {
    for (const [where, name] of refsOf(action)) ref(name, `${action.id} ${where}`);
    if (action.kind === 'push')
      for (const r of action.refs) if (!/^refs\/(heads|tags)\//.test(r.ref)) out.push(diagnostic('HF210', `the plan's ${action.id} pushes "${printable(r.ref)}", which is not a branch or a tag`));
    if (action.kind === 'commit') for (const change of action.changes) path(change.path, `${action.id} file`);
    if (action.kind === 'push' && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(action.remote)) out.push(diagnostic('HF210', `the plan's ${action.id} remote "${printable(action.remote)}" is not a remote name`));
  }
  return out;
}

function refsOf(action: Action): Array<[string, string]> {
  switch (action.kind) {
    case 'create-branch':
    case 'commit':
    case 'cherry-pick':
      return [['branch', `refs/heads/${action.branch}`]];
    case 'tag':
      return [['tag', `refs/tags/${action.tag}`]];
    case 'merge':
      return [['branch', `refs/heads/${action.into}`], ['branch', `refs/heads/${action.from}`]];
    case 'push':
      return action.refs.map((r) => ['ref', r.ref]);
    default:
      return [];
  }
}

function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
