import { gateChecksText } from '../plan/hotfix/gate-checks.js';
import { trackedCheck } from '../plan/pull-request-base.js';
import type { Action, Plan } from '../plan/types.js';
import { planTrailersIn } from '../plan/commit-trailers.js';

export type Marker = '+' | '~' | '-' | ' ';

export interface ActionLine {
  readonly marker: Marker;
  /** The terraform-style comment above the block. */
  readonly heading: string;
  readonly text: string;
  readonly action: Action;
}

/** What each action does, in words, and how it counts. Shared by every plan renderer. */
export function describeActions(plan: Plan): ActionLine[] {
  return plan.actions.map((action) => withEarlierPlan(plan, describeAction(plan, action)));
}

/**
 * A commit whose message names another plan (one adopted from an earlier apply, or an edited
 * plan's): the reviewer reads which, since the rest of a message is not shown.
 */
function withEarlierPlan(plan: Plan, line: ActionLine): ActionLine {
  const named = 'message' in line.action ? planTrailersIn(line.action.message).find((id) => id !== plan.id) : undefined;
  return named === undefined ? line : { ...line, heading: `${line.heading} (its message names the plan ${named}, not this one: an earlier plan's commit, adopted)` };
}

function describeAction(plan: Plan, action: Action): ActionLine {
  {
    switch (action.kind) {
      case 'create-branch': {
        const tracked = trackedCheck(plan, action.repo, action.branch, action.from);
        // A CI runner's fresh clone: the reviewer sees why a branch the remote has is "created".
        const why = tracked === undefined ? '' : ` (this clone has ${action.branch} only at ${tracked.slice('refs/remotes/'.length)})`;
        return { marker: '+', action, heading: `${action.repo}: branch ${action.branch} will be created from ${action.from.slice(0, 7)}${why}`, text: `branch ${action.branch}` };
      }
      case 'commit': {
        const what = action.purpose === 'revert' ? `revert of ${action.reverts?.slice(0, 7)}` : action.purpose.replace(/-/g, ' ');
        return { marker: '+', action, heading: `${action.repo}: commit ${action.commit.slice(0, 7)} on ${action.branch} (${what})`, text: `commit ${action.commit.slice(0, 7)}  ${action.message.split('\n')[0]}` };
      }
      case 'cherry-pick':
        return { marker: '+', action, heading: `${action.repo}: commit ${action.commit.slice(0, 7)} on ${action.branch} (cherry-pick of ${action.pick.slice(0, 7)}, clean)`, text: `commit ${action.commit.slice(0, 7)}  ${action.message.split('\n')[0]}  [${action.files.join(', ')}]` };
      case 'tag':
        return { marker: '+', action, heading: `${action.repo}: annotated tag ${action.object.slice(0, 7)} on ${action.target.slice(0, 7)}`, text: `tag ${action.tag}` };
      case 'gate':
        return { marker: ' ', action, heading: 'gate: apply waits here until this holds', text: `image ${action.image} exists with ${action.label}=${action.revision.slice(0, 7)}${action.tagFromHead !== undefined ? ` (its tag is ${action.tagFromHead} of that commit)` : ''}${action.tagAtGate !== undefined ? ` (tag decided at the gate: the newest that fits ${action.tagAtGate})` : ''}${action.checks.length > 0 ? `; ${gateChecksText(action)}` : ''}` };
      case 'merge':
        return { marker: '~', action, heading: `${action.repo}: merge commit ${action.commit.slice(0, 7)} (--no-ff, clean)`, text: `merge ${action.from} into ${action.into}` };
      case 'push':
        return { marker: '~', action, heading: `${action.repo}: push to ${action.remote} (${action.url}), atomic, client hooks ${action.runHooks ? 'on' : 'off'}`, text: `push ${action.refs.map((r) => `${r.ref.replace(/^refs\/(heads|tags)\//, '')} → ${r.sha.slice(0, 7)}`).join(', ')}` };
      case 'open-pull-request':
        return { marker: ' ', action, heading: `${action.repo}: for you to do after apply`, text: `open a pull request ${action.head} → ${action.base}: "${action.title}"` };
      case 'manual':
        return { marker: ' ', action, heading: `${action.repo}: for you to do (apply does not)`, text: `${action.title}: ${action.commands.join(' && ')}` };
    }
  }
}

/** The diffs a reviewer approves under an action: each file a commit changes, and what a pick changes. */
export function actionDiffs(action: Action): Array<{ readonly label: string; readonly diff: string }> {
  if (action.kind === 'commit') return action.changes.map((c) => ({ label: c.path, diff: c.diff }));
  if (action.kind === 'cherry-pick') return [{ label: action.files.join(', '), diff: action.diff }];
  return [];
}

export function countActions(lines: readonly ActionLine[]): { create: number; change: number; remove: number } {
  return {
    create: lines.filter((l) => l.marker === '+').length,
    change: lines.filter((l) => l.marker === '~').length,
    remove: lines.filter((l) => l.marker === '-').length,
  };
}

export function planLine(lines: readonly ActionLine[]): string {
  const { create, change, remove } = countActions(lines);
  return `Plan: ${create} to create, ${change} to change, ${remove} to delete.`;
}

/** `name` shows the policy's and the environment's names (markdown puts them in code spans). */
export function planTitle(plan: Plan, name: (text: string) => string = (text) => text): string {
  return `${plan.request.kind === 'hotfix' ? 'Hotfix' : 'Roll back'} ${name(plan.policy.name)} in ${name(plan.request.environment)}`;
}

/** The header rows: what runs now, what the plan moves to, and why. */
export function headerRows(plan: Plan): Array<[string, string]> {
  const d = plan.deployed;
  const rows: Array<[string, string]> = [['deployed now', `${d.image}`]];
  if (d.deployingCommit) rows.push(['', `set by ${d.deployingCommit.sha.slice(0, 7)} "${d.deployingCommit.subject}" (${d.deployingCommit.date}) in ${d.configRepo} ${d.configBranch}:${d.configFile}`]);
  if (d.appCommit) rows.push(['built from', `${d.appCommit.sha.slice(0, 7)} "${d.appCommit.subject}"`], ['', `decided by ${d.appCommit.decidedBy}${d.appCommit.agreeing.length > 0 ? `; agreeing: ${d.appCommit.agreeing.join(', ')}` : ''}`]);
  if (d.cluster) rows.push(['cluster runs', `${d.cluster.image}${d.cluster.digest ? `@${d.cluster.digest}` : ''} (${d.cluster.health}; read from ${d.cluster.source === 'file' ? 'a state file' : 'kubectl'})`]);
  rows.push([plan.request.kind === 'hotfix' ? 'hotfix image' : 'roll back to', plan.target.image]);
  if (plan.target.deployedBy) rows.push(['', `deployed by ${plan.target.deployedBy.sha.slice(0, 7)} "${plan.target.deployedBy.subject}" (${plan.target.deployedBy.date})`]);
  if (plan.baseline) {
    const b = plan.baseline;
    rows.push(['test config', b.commit ? `${b.environment} as of ${b.commit.sha.slice(0, 7)} "${b.commit.subject}" (${b.commit.date}), on branch ${b.branch}` : `today's ${b.environment} (no config of its time), on branch ${b.branch}`]);
    if (b.changedSince.length > 0) rows.push(['', `${b.environment} has changed since in ${b.changedSince.map((c) => `${c.path} (+${c.added} -${c.removed})`).join(', ')}`]);
  }
  if (plan.request.reason) rows.push(['reason', plan.request.reason]);
  return rows;
}
