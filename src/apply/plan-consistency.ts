import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { commitObject, tagObject } from '../plan/git-objects.js';
import type { Action, Plan } from '../plan/types.js';
import { refEffect, refKey } from './ref-effects.js';
import { overrideTrailers, overrideTrailersIn } from '../plan/commit-trailers.js';
import { planTrailerProblems, reasonTrailerProblems, trailerFormProblems } from '../plan/commit-trailers.js';
import { rederiveProblems } from '../plan/rederive-rule.js';
import { plannedTag, tagAtGateProblems, tagOfHead } from '../plan/tag-at-gate.js';
import { pullRequestBaseRefs } from '../plan/pull-request-base.js';

/**
 * What a reviewer reads must be what apply does, and a plan file is untrusted: anyone who
 * can edit it can re-seal its id over a new body. These checks need no repository, so
 * `show` runs them as well as `apply`: every object id is the hash of the fields shown
 * beside it, every ref an action moves starts where the plan says it is, and every commit
 * a merge, push or gate names is one the plan itself records. What only a repository can
 * answer (diffs, picked trees, merge bases) is checked by the rehearsal. Pure.
 */
export function planContradictions(plan: Plan): Diagnostic[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const action of plan.actions) {
    if (seen.has(action.id)) out.push(`two actions have the id ${action.id}`);
    seen.add(action.id);
  }
  for (const action of plan.actions) out.push(...objectProblems(action));
  out.push(...refChainProblems(plan));
  out.push(...overrideProblems(plan));
  out.push(...reasonTrailerProblems(plan));
  out.push(...planTrailerProblems(plan));
  out.push(...trailerFormProblems(plan));
  out.push(...pullRequestProblems(plan));
  out.push(...rederiveProblems(plan));
  out.push(...tagAtGateProblems(plan));
  out.push(...headTagProblems(plan));
  const policy = plan.preconditions.find((p) => p.kind === 'policy');
  if (policy?.kind === 'policy' && policy.file !== plan.policy.file) out.push(`it names the policy ${plan.policy.file} but checks ${policy.file}`);
  return out.map((message) => diagnostic('HF415', `the plan contradicts itself: ${message}; make and review it again`));
}

/**
 * A plan that lifts a rule says so first in every render, and each commit it makes carries
 * the override as a trailer: the two must agree, or a plan could show no override and make
 * commits claiming one (or the reverse), and the override must be one the request asked for.
 */
function overrideProblems(plan: Plan): string[] {
  const expected = overrideTrailers(plan.overrides);
  const asked = plan.request.overrides ?? [];
  const out = (plan.overrides ?? []).filter((o) => !asked.includes(o.code)).map((o) => `it lifts ${o.code}, which its request does not name with --override`);
  for (const action of plan.actions) {
    if (action.kind !== 'commit' && action.kind !== 'cherry-pick' && action.kind !== 'merge') continue;
    const carried = overrideTrailersIn(action.message);
    if (carried.join('\n') !== expected.join('\n'))
      out.push(`${action.id}: its message ends with ${carried.length > 0 ? carried.join('; ') : 'no Hotfix-Override trailer'}, but the plan ${expected.length > 0 ? `lifts ${expected.join('; ')}` : 'lifts no rule'}`);
  }
  return out;
}

/**
 * A pull request the plan lists must be one apply makes possible: its branch is one the plan
 * pushes (or, where the plan pushes nothing of that repository, as a rollback with no push
 * remote, one it makes for the person to push), into a branch the plan checks, titled as a
 * commit the plan makes on that branch.
 */
function pullRequestProblems(plan: Plan): string[] {
  const out: string[] = [];
  for (const pr of plan.actions) {
    if (pr.kind !== 'open-pull-request') continue;
    const pushes = plan.actions.filter((a): a is Extract<Action, { kind: 'push' }> => a.kind === 'push' && a.repo === pr.repo);
    const made = plan.actions.some((a) => a.kind === 'create-branch' && a.repo === pr.repo && a.branch === pr.head);
    const pushed = pushes.length === 0 ? made : pushes.some((a) => a.refs.some((r) => r.ref === `refs/heads/${pr.head}`));
    if (!pushed) out.push(`${pr.id}: it asks for a pull request from ${pr.head}, which the plan does not push`);
    const bases = pullRequestBaseRefs(plan, pr.repo, pr.base);
    if (!plan.preconditions.some((p) => p.kind === 'ref' && p.repo === pr.repo && bases.includes(p.ref) && p.sha !== null)) out.push(`${pr.id}: it asks for a pull request into ${pr.base}, a branch the plan does not check`);
    const onHead = (a: Action) => ((a.kind === 'commit' || a.kind === 'cherry-pick') && a.repo === pr.repo && a.branch === pr.head) || (a.kind === 'merge' && a.repo === pr.repo && a.into === pr.head);
    const subjects = plan.actions.flatMap((a) => (onHead(a) && 'message' in a ? [a.message.split('\n')[0]] : []));
    if (!subjects.includes(pr.title)) out.push(`${pr.id}: its title "${pr.title}" is not the subject of a commit the plan makes on ${pr.head}`);
  }
  return out;
}

/**
 * A gate's tag that the plan id sets aside (plan-id.ts) must be what its recorded template
 * gives for its revision: else a re-sealed plan could wait for, and deploy, another tag under
 * the id that was approved.
 */
function headTagProblems(plan: Plan): string[] {
  return plan.actions.flatMap((gate) => {
    if (gate.kind !== 'gate' || gate.tagFromHead === undefined) return [];
    const given = tagOfHead(gate.tagFromHead, gate.revision);
    return given === plannedTag(gate) ? [] : [`${gate.id}: it waits for the tag ${plannedTag(gate)}, but its template ${gate.tagFromHead} gives ${given ?? 'no tag'} for ${gate.revision.slice(0, 12)}`];
  });
}

/** The ids of the objects apply will write, computed from the fields the plan shows. */
function objectProblems(action: Action): string[] {
  // The schema checks a date's form; a form-valid date can still name no day (month 22).
  const people = [...('author' in action ? [action.author] : []), ...('committer' in action ? [action.committer] : []), ...('tagger' in action ? [action.tagger] : [])];
  const undated = people.find((p) => Number.isNaN(Date.parse(p.date)));
  if (undated) return [`${action.id}: ${undated.date} is not a date`];
  const mismatch = (what: string, computed: string, planned: string) => (computed === planned ? [] : [`${action.id}: the ${what} is ${computed.slice(0, 12)} by its content, not ${planned.slice(0, 12)}`]);
  switch (action.kind) {
    case 'commit': {
      const id = commitObject({ tree: action.tree, parents: [action.parent], author: action.author, committer: action.committer, message: action.message }).id;
      const reverts = action.reverts !== undefined && !action.message.includes(`This reverts commit ${action.reverts}.`) ? [`${action.id}: it is shown as a revert of ${action.reverts.slice(0, 7)}, which its message does not name`] : [];
      return [...mismatch('commit', id, action.commit), ...reverts];
    }
    case 'cherry-pick': {
      const id = commitObject({ tree: action.tree, parents: [action.parent], author: action.author, committer: action.committer, message: action.message }).id;
      const named = action.message.includes(`(cherry picked from commit ${action.pick})`) ? [] : [`${action.id}: it is shown as a pick of ${action.pick.slice(0, 7)}, which its message does not name`];
      return [...mismatch('commit', id, action.commit), ...named];
    }
    case 'merge':
      return mismatch('merge commit', commitObject({ tree: action.tree, parents: action.parents, author: action.author, committer: action.author, message: action.message }).id, action.commit);
    case 'tag':
      return mismatch('tag object', tagObject({ target: action.target, name: action.tag, tagger: action.tagger, message: action.message }).id, action.object);
    default:
      return [];
  }
}

/**
 * Follows every ref through the plan: each action must start from the value the ref has at
 * that point (its precondition, or what an earlier action left), and a merge source, a
 * pushed value or a gate's revision must be a value the plan itself gives or checks.
 */
function refChainProblems(plan: Plan): string[] {
  const out: string[] = [];
  const at = new Map<string, string | null>();
  const known = new Set<string>();
  for (const p of plan.preconditions) {
    if (p.kind === 'ref') {
      at.set(refKey(p.repo, p.ref), p.sha);
      if (p.sha) known.add(p.sha);
    }
    if (p.kind === 'blob') known.add(p.commit);
  }
  if (plan.deployed.appCommit) known.add(plan.deployed.appCommit.sha);
  if (plan.baseline?.commit) known.add(plan.baseline.commit.sha);
  const valueOf = (repo: string, ref: string) => at.get(refKey(repo, ref));
  for (const action of plan.actions) {
    if (action.kind === 'create-branch' && !known.has(action.from)) out.push(`${action.id}: it creates ${action.branch} at ${action.from.slice(0, 12)}, a commit the plan neither checks nor makes`);
    if (action.kind === 'merge') {
      const from = valueOf(action.repo, `refs/heads/${action.from}`);
      if (from !== action.parents[1]) out.push(`${action.id}: it is shown as a merge of ${action.from}, but merges ${action.parents[1].slice(0, 12)}${from ? `, not ${action.from}'s ${from.slice(0, 12)}` : ''}`);
    }
    if (action.kind === 'push')
      for (const r of action.refs) {
        const value = valueOf(action.repo, r.ref);
        if (value !== r.sha) out.push(`${action.id}: it pushes ${r.sha.slice(0, 12)} to ${r.ref}, where the plan leaves ${value ? value.slice(0, 12) : 'nothing'}`);
      }
    if (action.kind === 'gate' && !known.has(action.revision)) out.push(`${action.id}: it waits for an image of ${action.revision.slice(0, 12)}, a commit the plan does not make`);
    const effect = refEffect(action);
    if (!effect) continue;
    const key = refKey(effect.repo, effect.ref);
    if (at.has(key) && at.get(key) !== effect.from)
      out.push(`${action.id}: it moves ${effect.ref} from ${effect.from?.slice(0, 12) ?? 'nothing'}, but the plan has it at ${at.get(key)?.slice(0, 12) ?? 'nothing'} there`);
    if (!at.has(key) && effect.from !== null) out.push(`${action.id}: it moves ${effect.ref}, whose value the plan does not check`);
    at.set(key, effect.to);
    known.add(effect.to);
  }
  return out;
}
