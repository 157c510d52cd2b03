import type { Action, Plan } from '../plan/types.js';

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
  return plan.actions.map((action) => {
    switch (action.kind) {
      case 'create-branch':
        return { marker: '+', action, heading: `${action.repo}: branch ${action.branch} will be created from ${action.from.slice(0, 7)}`, text: `branch ${action.branch}` };
      case 'commit': {
        const what = action.purpose === 'revert' ? `revert of ${action.reverts?.slice(0, 7)}` : action.purpose.replace(/-/g, ' ');
        return { marker: '+', action, heading: `${action.repo}: commit ${action.commit.slice(0, 7)} on ${action.branch} (${what})`, text: `commit ${action.commit.slice(0, 7)}  ${action.message.split('\n')[0]}` };
      }
      case 'push':
        return { marker: '~', action, heading: `${action.repo}: push to ${action.remote} (atomic)`, text: `push ${action.refs.map((r) => `${r.ref.replace(/^refs\/heads\//, '')} → ${r.sha.slice(0, 7)}`).join(', ')}` };
      case 'open-pull-request':
        return { marker: ' ', action, heading: `${action.repo}: for you to do after apply`, text: `open a pull request ${action.head} → ${action.base}: "${action.title}"` };
    }
  });
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

export function planTitle(plan: Plan): string {
  return `Roll back ${plan.policy.name} in ${plan.request.environment}`;
}

/** The header rows: what runs now, what the plan moves to, and why. */
export function headerRows(plan: Plan): Array<[string, string]> {
  const d = plan.deployed;
  const rows: Array<[string, string]> = [
    ['deployed now', `${d.image}`],
    ['', `set by ${d.deployingCommit.sha.slice(0, 7)} "${d.deployingCommit.subject}" (${d.deployingCommit.date}) in ${d.configRepo} ${d.configBranch}:${d.configFile}`],
  ];
  if (d.cluster) rows.push(['cluster runs', `${d.cluster.image}${d.cluster.digest ? `@${d.cluster.digest}` : ''} (${d.cluster.health}; read from ${d.cluster.source === 'file' ? 'a state file' : 'kubectl'})`]);
  rows.push(['roll back to', plan.target.image]);
  if (plan.target.deployedBy) rows.push(['', `deployed by ${plan.target.deployedBy.sha.slice(0, 7)} "${plan.target.deployedBy.subject}" (${plan.target.deployedBy.date})`]);
  if (plan.request.reason) rows.push(['reason', plan.request.reason]);
  return rows;
}
