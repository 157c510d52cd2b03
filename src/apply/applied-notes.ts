import { resolve } from 'node:path';
import type { Plan } from '../plan/types.js';
import { Journal } from './journal.js';

/**
 * What an apply of this plan made otherwise than the plan names, from its journal: the
 * commits made again on a branch that had moved (the plan stays as sealed). One line each;
 * none when the plan's first repository or its journal is not on this machine.
 */
export async function rederivedNotes(plan: Plan, cwd: string): Promise<string[]> {
  const first = plan.actions.find((a) => 'repo' in a);
  const path = first && 'repo' in first && Object.hasOwn(plan.repos, first.repo) ? plan.repos[first.repo] : undefined;
  if (path === undefined) return [];
  const journal = await Journal.open(resolve(cwd, path), plan.id).catch(() => undefined);
  const ids = new Set(plan.actions.map((a) => a.id));
  return [...(journal?.rederived.values() ?? [])]
    .filter((r) => ids.has(r.action))
    .map((r) => `${r.action} was applied as ${r.applied} on ${r.onto}, not as the planned ${r.planned}: its branch had moved since the plan (the same change, by the plan's rule)`);
}
