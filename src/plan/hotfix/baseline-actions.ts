import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImage } from '../../patch/find-image.js';
import { setImageOps } from '../../patch/set-image.js';
import { renderTemplate } from '../../policy/template.js';
import { baselineRules } from '../../policy/baseline-rules.js';
import type { Policy } from '../../policy/types.js';
import type { BaselineState } from '../../state/hotfix/find-baseline.js';
import type { EarlierBaseline, EarlierBaselines } from '../../state/hotfix/earlier-baselines.js';
import type { Person } from '../../state/types.js';
import { buildCommit } from '../build-commit.js';
import type { Action, BaselineSummary, Precondition } from '../types.js';
import { pushAction, type PushTarget } from '../push-target.js';
import { newRefNameProblem, newRefPreconditions } from '../new-ref-name.js';
import { withTrailers } from '../commit-trailers.js';
import { shellWord } from '../shell-word.js';

export interface BaselinePart {
  readonly actions: readonly Action[];
  readonly preconditions: readonly Precondition[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: BaselineSummary;
  readonly note: string;
}

/**
 * A config branch made from the baseline (the baseline environment's config as it was when
 * the target's running version went live) with the hotfix image patched in, so the hotfix
 * is tested with the config of its time (seed 002). `date` is the {date} the names are
 * rendered with: the adopted hotfix branch's day on a re-plan. A branch of that name that
 * an earlier apply made (it comes before the gate, so an apply stopped there leaves it)
 * is adopted when it is exactly what this plan would commit: on the baseline, the hotfix
 * image patched in, nothing else. Pure.
 */
export function baselineActions(policy: Policy, state: BaselineState, remotes: readonly string[], hotfixTag: string, committer: Person, push: PushTarget | undefined, date: string, trailers: readonly string[]): BaselinePart | { readonly errors: readonly Diagnostic[] } {
  const env = policy.spec.environments.find((e) => e.name === state.environment)!;
  const rules = baselineRules(env);
  const diagnostics: Diagnostic[] = [];
  const when = `${state.forEnvironment} got ${state.targetImage} (${state.targetDeploying.sha.slice(0, 7)}, ${state.targetDeploying.committer.date})`;
  if (!state.baseline) {
    const why = rules.match === 'image' ? `${state.targetImage} never ran in ${state.environment} before ${when}` : `${state.environment} has no commit before ${when}`;
    if (rules.ifMissing === 'refuse') return { errors: [diagnostic('HF344', `no baseline config: ${why}`)] };
    diagnostics.push(diagnostic('HF345', `no baseline config: ${why}; the hotfix is tested against today's ${state.environment} config`));
  }
  const at = state.baseline?.sha ?? state.head;
  const branch = renderTemplate(rules.branch, { env: state.environment, date, sha: at, sha7: at.slice(0, 7) });
  const location = findImage(state.file.text, env.config.locator, policy.spec.app.image);
  const commit = buildCommit({
    id: 'baseline-config',
    repo: env.config.repo,
    branch,
    purpose: 'baseline-config',
    parent: at,
    trees: state.file.trees,
    files: [{ path: state.file.path, text: state.file.text, patches: setImageOps(location, { name: location.current.name, tag: hotfixTag }, 'drop') }],
    message: withTrailers(
      `Test hotfix ${policy.spec.app.image}:${hotfixTag} with ${state.environment}'s config of its time\n\n${state.environment} as of ${at.slice(0, 7)}${state.baseline ? `, the config ${state.targetImage} ran with before ${when}` : ' (today: no config of its time was found)'}.\n`,
      trailers,
    ),
    author: committer,
  });
  const earlier = earlierBaseline(state.earlier, branch, at, commit.action.tree, push?.remote);
  // Only where hotfix pushes is the remote asked, so only then is a branch there unfetched.
  if (earlier && 'unfetched' in earlier) return { errors: [unfetchedBaseline(branch, earlier.unfetched, env.config.repo, push!)] };
  if (earlier?.differs !== undefined) return { errors: [existingBaseline(earlier.found, env.config.repo, push, earlier.differs)] };
  const adopted = earlier?.found;
  if (!adopted) {
    const problem = newRefNameProblem(branch, 'heads', 'baseline branch', policy, { repoName: env.config.repo, remotes, refs: state.refs });
    if (problem) return { errors: [problem] };
  }
  const local = adopted?.ref === `refs/heads/${branch}`;
  const tip = adopted ? adopted.tip : commit.action.commit;
  const actions: Action[] = [
    ...(local ? [] : [{ id: 'baseline-branch', kind: 'create-branch' as const, repo: env.config.repo, branch, from: adopted ? adopted.tip : at }]),
    ...(adopted ? [] : [commit.action]),
  ];
  if (push) actions.push(pushAction('push-baseline', env.config.repo, push, [{ ref: `refs/heads/${branch}`, sha: tip }]));
  const adoptedNote = adopted
    ? ` Adopts ${branch} at ${tip.slice(0, 7)}, made before (by an apply of this hotfix, or by hand with the same content)${local ? '' : ` (this clone has it only as ${adopted.ref.slice('refs/remotes/'.length)}, so apply creates the local branch there)`}: it is ${at.slice(0, 7)} with the hotfix image patched in and nothing else, so this plan does not make it again; apply checks that it is still there.`
    : '';

  const changed = state.changedSince;
  return {
    actions,
    diagnostics,
    preconditions: [
      ...(adopted ? [{ kind: 'ref' as const, repo: env.config.repo, ref: adopted.ref, sha: adopted.tip }] : []),
      ...(local ? [] : newRefPreconditions(env.config.repo, `refs/heads/${branch}`)),
      { kind: 'blob', repo: env.config.repo, commit: at, path: state.file.path, blob: state.file.blob },
    ],
    summary: {
      environment: state.environment,
      forEnvironment: state.forEnvironment,
      match: state.match,
      targetDeploying: { sha: state.targetDeploying.sha, date: state.targetDeploying.committer.date },
      commit: state.baseline ? { sha: state.baseline.sha, subject: state.baseline.subject, date: state.baseline.committer.date } : null,
      branch,
      changedSince: changed,
    },
    note: state.baseline
      ? `Test the hotfix in ${state.environment} from branch ${branch}: ${state.environment}'s config as of ${at.slice(0, 7)} "${state.baseline.subject}" (${state.baseline.committer.date}), the config ${state.targetImage} ran with before ${when}. Today's ${state.environment} differs in ${changed.length} file${changed.length === 1 ? '' : 's'}${changed.length > 0 ? `: ${changed.map((c) => `${c.path} (+${c.added} -${c.removed})`).join(', ')}` : ''}, which is why it is not used.${adoptedNote}`
      : `Test the hotfix in ${state.environment} from branch ${branch} (today's config: none of its time was found).${adoptedNote}`,
  };
}

/**
 * The branch of this name an earlier apply may have made: the local one, or the push
 * remote's where this clone has none. It is this plan's baseline when its tip is one commit
 * on the baseline holding exactly the tree this plan would commit (the message and dates of
 * an earlier plan differ; what was tested is the tree), and the push remote has it at that
 * tip or not at all (asked with ls-remote; where it was not asked, the remote-tracking ref
 * says). Otherwise `differs` says how; `unfetched`: only the push remote has it. Pure.
 */
function earlierBaseline(earlier: EarlierBaselines, branch: string, at: string, tree: string, remote: string | undefined): { readonly found: EarlierBaseline; readonly differs?: string } | { readonly unfetched: string } | undefined {
  const named = earlier.here.filter((e) => e.branch === branch);
  const found = named.find((e) => e.ref === `refs/heads/${branch}`) ?? named[0];
  const there = earlier.remote && Object.hasOwn(earlier.remote, branch) ? earlier.remote[branch]! : undefined;
  if (!found) return there === undefined || remote === undefined ? undefined : { unfetched: there };
  const tip = found.tip.slice(0, 7);
  if (found.parents.length !== 1) return { found, differs: `its tip ${tip} is ${found.parents.length === 0 ? 'a root commit' : 'a merge commit'}, not one commit on the baseline ${at.slice(0, 7)}` };
  if (found.parents[0] !== at) return { found, differs: `its tip ${tip} is on ${found.parents[0]!.slice(0, 7)}, not on the baseline ${at.slice(0, 7)} (git log ${at.slice(0, 7)}..${tip} lists what it adds)` };
  if (found.tree !== tree) return { found, differs: `its tip ${tip} holds another tree than the baseline with this hotfix's image (git diff ${at.slice(0, 7)} ${tip} shows what it changes)` };
  if (there !== undefined && there !== found.tip) return { found, differs: `${remote ?? 'the push remote'} has it at ${there.slice(0, 7)}, not at its tip ${tip} (someone pushed to it since; git fetch ${shellWord(remote ?? 'origin')} ${shellWord(`refs/heads/${branch}:refs/remotes/${remote ?? 'origin'}/${branch}`)} brings it to look at)` };
  const moved = earlier.remote ? undefined : named.find((e) => e !== found && e.tip !== found.tip);
  if (moved) return { found, differs: `${moved.ref.slice('refs/remotes/'.length)} is at ${moved.tip.slice(0, 7)}, not at its tip ${tip}` };
  return { found };
}

/** The baseline branch is on the push remote and not in this clone: the plan can neither adopt nor compare it. */
function unfetchedBaseline(branch: string, tip: string, repo: string, push: PushTarget): Diagnostic {
  const fetch = `git fetch ${shellWord(push.remote)} ${shellWord(`refs/heads/${branch}:refs/remotes/${push.remote}/${branch}`)}`;
  return diagnostic('HF389', `baseline branch ${branch} is on ${push.remote} (${push.url}) at ${tip.slice(0, 7)}, but this clone of ${repo} has not fetched it, so the plan can neither adopt nor compare it: run ${fetch} and plan again`);
}

/**
 * A branch of the baseline branch's name that is not this plan's baseline. An apply of an
 * earlier plan for this hotfix may have made it and stopped (it comes before the gate): that
 * plan, run again, goes on from there. Or it is left from an attempt nobody will finish,
 * and is deleted before planning again.
 */
function existingBaseline(found: EarlierBaseline, repo: string, push: PushTarget | undefined, differs: string): Diagnostic {
  const b = shellWord(found.branch);
  const local = found.ref === `refs/heads/${found.branch}`;
  const where = local ? `in ${repo}` : `on the push remote (this clone has it as ${found.ref.slice('refs/remotes/'.length)})`;
  const remote = push?.remote ?? (local ? undefined : found.ref.slice('refs/remotes/'.length, -(found.branch.length + 1)));
  const remove = [...(local ? [`git branch -D ${b}`] : []), ...(remote !== undefined ? [`git push ${shellWord(remote)} --delete ${b}`] : [])].join(' && ');
  return diagnostic('HF312', `baseline branch ${found.branch} already exists ${where} and is not this plan's baseline: ${differs}; if an apply of an earlier plan made it and stopped, run hotfix apply again on that plan, which goes on from where it stopped; to plan anew, see what it holds (git log -1 ${shellWord(found.ref.replace(/^refs\/(heads|remotes)\//, ''))}), delete it (${remove}) and plan again`);
}
