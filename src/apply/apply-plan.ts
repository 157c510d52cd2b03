import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { buildCommit, type CommitAction } from '../plan/build-commit.js';
import type { Action, Plan } from '../plan/types.js';
import { CatFileBatch } from '../state/git/cat-file.js';
import { readFileAt } from '../state/git/read.js';
import { push, updateRefs, writeObjects } from './git-write.js';
import { repoPath, verifyPreconditions, type Facts } from './verify-preconditions.js';

export interface ApplyOptions {
  readonly facts: Facts;
  /** Progress, one line per action. */
  readonly log: (line: string) => void;
  /** Check everything, write nothing. */
  readonly dryRun: boolean;
}

/** Carries out exactly the plan, or refuses before writing anything when a fact changed. */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<void> {
  const failures = await verifyPreconditions(plan, options.facts);
  if (failures.length > 0) throw new HotfixError(failures);
  for (const action of plan.actions) {
    if (options.dryRun) {
      options.log(`would ${describe(action)}`);
      continue;
    }
    await run(action, options.facts.repos);
    options.log(`${action.kind === 'open-pull-request' ? 'next' : 'done'}: ${describe(action)}`);
  }
}

async function run(action: Action, repos: Facts['repos']): Promise<void> {
  switch (action.kind) {
    case 'create-branch':
      return updateRefs(repoPath(repos, action.repo), [{ ref: `refs/heads/${action.branch}`, sha: action.from, old: null }]);
    case 'commit':
      return commit(action, repoPath(repos, action.repo));
    case 'push':
      return push(repoPath(repos, action.repo), action.remote, action.refs, action.runHooks);
    case 'open-pull-request':
      return; // for a person (or a CI step) to do; apply only says so
  }
}

/**
 * Recomputes the commit from the repository's real parent and the plan's patches, and
 * writes it only if it comes out with the very id the plan named.
 */
async function commit(action: CommitAction, repo: string): Promise<void> {
  const blobs = new CatFileBatch(repo);
  try {
    const files = [];
    let trees = {};
    for (const change of action.changes) {
      const file = await readFileAt(repo, action.parent, change.path, (o) => blobs.read(o));
      trees = { ...file.trees, ...trees };
      files.push({ path: change.path, text: file.text, patches: change.patches });
    }
    const built = buildCommit({
      id: action.id,
      repo: action.repo,
      branch: action.branch,
      purpose: action.purpose,
      parent: action.parent,
      trees,
      files,
      message: action.message,
      author: action.author,
      ...(action.reverts ? { reverts: action.reverts } : {}),
    });
    if (built.action.commit !== action.commit)
      throw new HotfixError([diagnostic('HF406', `the ${action.purpose} commit would be ${built.action.commit.slice(0, 12)}, not ${action.commit.slice(0, 12)} as planned; nothing was written for it`)]);
    await writeObjects(repo, built.objects);
    await updateRefs(repo, [{ ref: `refs/heads/${action.branch}`, sha: action.commit, old: action.parent }]);
  } finally {
    blobs.close();
  }
}

function describe(action: Action): string {
  switch (action.kind) {
    case 'create-branch':
      return `create branch ${action.branch} at ${action.from.slice(0, 7)} in ${action.repo}`;
    case 'commit':
      return `commit ${action.commit.slice(0, 7)} on ${action.branch}: ${action.message.split('\n')[0]}`;
    case 'push':
      return `push ${action.refs.map((r) => r.ref.replace(/^refs\/heads\//, '')).join(', ')} to ${action.remote}`;
    case 'open-pull-request':
      return `open a pull request from ${action.head} into ${action.base}: "${action.title}"`;
  }
}
