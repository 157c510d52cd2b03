import type { Action } from '../plan/types.js';

export interface RefEffect {
  readonly repo: string;
  readonly ref: string;
  /** The value before the action (null: the ref does not exist yet). */
  readonly from: string | null;
  readonly to: string;
}

/** The local refs an action moves, and from what to what. Pure. */
export function refEffect(action: Action): RefEffect | undefined {
  switch (action.kind) {
    case 'create-branch':
      return { repo: action.repo, ref: `refs/heads/${action.branch}`, from: null, to: action.from };
    case 'commit':
    case 'cherry-pick':
      return { repo: action.repo, ref: `refs/heads/${action.branch}`, from: action.parent, to: action.commit };
    case 'tag':
      return { repo: action.repo, ref: `refs/tags/${action.tag}`, from: null, to: action.object };
    case 'merge':
      return { repo: action.repo, ref: `refs/heads/${action.into}`, from: action.parents[0], to: action.commit };
    default:
      return undefined;
  }
}

function key(effect: RefEffect): string {
  return `${effect.repo}\0${effect.ref}`;
}

/**
 * Every value each ref takes while the plan runs. Commit ids name their content, so a ref
 * holding one of them can only have been moved there by this plan. Pure.
 */
export function plannedRefValues(actions: readonly Action[]): Map<string, Set<string>> {
  const values = new Map<string, Set<string>>();
  for (const action of actions) {
    const effect = refEffect(action);
    if (effect) values.set(key(effect), (values.get(key(effect)) ?? new Set()).add(effect.to));
  }
  return values;
}

export function refKey(repo: string, ref: string): string {
  return `${repo}\0${ref}`;
}

/**
 * Whether an action is already done, judged by where its ref is now: at its own result or
 * at the result of a later action on the same ref (a crash came after it, before the
 * journal could record it). Pure.
 */
export function isDone(actions: readonly Action[], index: number, current: string | undefined): boolean {
  const own = refEffect(actions[index]!);
  if (!own || current === undefined) return false;
  return actions.slice(index).some((a) => {
    const effect = refEffect(a);
    return effect !== undefined && key(effect) === key(own) && effect.to === current;
  });
}
