import { diagnostic } from '../../diagnostics/diagnostic.js';
import { HotfixError } from '../../diagnostics/errors.js';
import { FETCH_WHOLE_HISTORY, isShallow } from '../git/read.js';

/**
 * A hotfix is planned from the app's history: the commit the running image was built from,
 * the picks, where each merge-back branch forks, an earlier hotfix branch to adopt by its
 * base and patch-ids. A shallow clone (CI's default checkout) cuts that history, and git
 * answers there without failing, wrongly: no merge base, a branch that seems unrelated, a
 * pick that seems missing. So a shallow app repository is refused before anything is read.
 */
export async function assertFullHistory(repo: string, name: string): Promise<void> {
  if (!(await isShallow(repo))) return;
  throw new HotfixError([diagnostic('HF390', `${name} (${repo}) is a shallow clone, whose history stops short of what a hotfix plan reads (the deployed commit, the picks, where the merge-back branches fork, an earlier hotfix branch to adopt): fetch the whole history there (${FETCH_WHOLE_HISTORY}) and plan again`)]);
}
