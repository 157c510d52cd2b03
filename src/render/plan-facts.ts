import { parseImageRef } from '../patch/image-ref.js';
import type { Action, Plan, Precondition } from '../plan/types.js';

/**
 * The rest of the plan body, which the summary leaves out: what was asked, where each
 * repository is, what apply checks before it writes, and where the plan came from. A
 * reviewer sees every field apply acts on; a field changed and re-sealed shows here, or
 * apply refuses it. Shared by every plan renderer. Pure.
 */
export function planFacts(plan: Plan): Array<[string, string]> {
  const rows: Array<[string, string]> = [['asked', askedFor(plan)]];
  for (const [name, path] of Object.entries(plan.repos)) rows.push(['repository', `${name} = ${path}`]);
  rows.push(['config', `${plan.deployed.configRepo} ${plan.deployed.configBranch}:${plan.deployed.configFile} (${plan.deployed.environment})`]);
  // The summary names these commits by a short id; here they are whole.
  const d = plan.deployed;
  if (d.deployingCommit) rows.push(['commit', `${d.deployingCommit.sha} deployed ${d.image}`]);
  if (d.appCommit) rows.push(['commit', `${d.appCommit.sha} is what ${d.image} was built from`]);
  if (plan.target.deployedBy) rows.push(['commit', `${plan.target.deployedBy.sha} deployed ${plan.target.image}`]);
  if (plan.baseline) {
    const b = plan.baseline;
    rows.push(['baseline', `${b.environment} for ${b.forEnvironment}, matched by ${b.match}; ${b.forEnvironment}'s running version was deployed by ${b.targetDeploying.sha} (${b.targetDeploying.date})${b.commit ? `; config commit ${b.commit.sha}` : ''}`]);
  }
  rows.push(...idsRow(plan));
  for (const p of plan.preconditions) rows.push(['checks', preconditionText(p)]);
  rows.push(['made', `by ${plan.tool.name} ${plan.tool.version} at ${plan.createdAt} from policy ${plan.policy.name} (${plan.policy.file}); plan format ${plan.formatVersion}`]);
  return rows;
}

/** The request as the command line that asks for it. */
function askedFor(plan: Plan): string {
  const r = plan.request;
  const words = ['hotfix plan', r.kind, '--env', r.environment];
  if (r.kind === 'rollback') {
    if (r.to !== undefined) words.push('--to', r.to);
    if (r.allowDrift) words.push('--allow-drift');
  } else {
    for (const pick of r.picks) words.push('--pick', pick);
    if (r.version !== undefined) words.push('--version', r.version);
    if (r.deployed !== undefined) words.push('--deployed', r.deployed);
  }
  for (const code of r.overrides ?? []) words.push('--override', code);
  if (r.reason !== undefined) words.push('--reason', JSON.stringify(r.reason));
  return words.join(' ');
}

function preconditionText(p: Precondition): string {
  switch (p.kind) {
    case 'ref':
      return `${p.repo} ${p.ref} ${p.sha === null ? 'does not exist' : `is ${p.sha}`}`;
    case 'blob':
      return `${p.repo} ${p.path} at ${p.commit} is blob ${p.blob}`;
    case 'running-image':
      return `${p.environment} runs ${p.image}${p.digest ? `@${p.digest}` : ''}`;
    case 'policy':
      return `policy ${p.file} has sha256 ${p.sha256}`;
    case 'tool':
      return `hotfix is version ${p.version}`;
    case 'remote':
      return `${p.repo} remote ${p.remote} pushes to ${p.url}`;
    case 'remote-ref':
      return `${p.repo} ${p.ref} on ${p.url} ${p.sha === null ? 'does not exist' : `is ${p.sha}`}`;
    default:
      return `${(p as { kind: string }).kind}: ${JSON.stringify(p)}`;
  }
}

/**
 * What an action carries besides its diff: the structured edits (RFC 6902) that apply
 * replays to make that diff, and the render check the plan made; a pull request's body. Pure.
 */
export function actionDetails(action: Action): string[] {
  // A pull request's body is what its reviewer reads first: shown whole, as it is.
  if (action.kind === 'open-pull-request') return action.body === undefined ? [] : action.body.replace(/\n$/, '').split('\n');
  if (action.kind === 'merge') return rederiveDetail(action);
  if (action.kind !== 'commit') return [];
  const out: string[] = [];
  for (const change of action.changes)
    for (const patch of change.patches) out.push(`edit ${change.path} (document ${patch.document}): ${patch.ops.map((op) => `${op.op} ${op.path}${'value' in op ? ` = ${JSON.stringify(op.value)}` : ''}`).join('; ')}`);
  if (action.render) {
    const where = action.render.workload !== undefined ? `in ${action.render.workload} container ${action.render.container}` : `in every container that runs ${parseImageRef(action.render.image).name}`;
    out.push(`render check: kubectl kustomize ${action.render.dir || '.'} must run ${action.render.image} ${where}`);
  }
  return [...out, ...rederiveDetail(action), ...(action.tagFromGate ? [action.tagFromGate.rule] : [])];
}

function rederiveDetail(action: Extract<Action, { kind: 'commit' | 'merge' }>): string[] {
  return action.rederive ? [`id ${action.commit.slice(0, 7)} is exact unless its branch moves (${action.rederive.when}): ${action.rederive.reason}`] : [];
}

/** Which object ids of the plan are exact and which apply may make again on a moved branch; a plan without the latter has exact ids only. */
function idsRow(plan: Plan): Array<[string, string]> {
  const made = plan.actions.filter((a) => a.kind === 'commit' || a.kind === 'cherry-pick' || a.kind === 'merge' || a.kind === 'tag');
  const moving = made.filter((a) => 'rederive' in a && a.rederive !== undefined).map((a) => a.id);
  if (moving.length === 0) return [];
  const exact = made.filter((a) => !moving.includes(a.id)).map((a) => a.id);
  return [['ids', `exact: ${exact.join(', ') || 'none'}; re-derived only if their branch moves: ${moving.join(', ')}`]];
}
