import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImage } from '../../patch/find-image.js';
import { setImageOps } from '../../patch/set-image.js';
import { renderTemplate } from '../../policy/template.js';
import type { Policy } from '../../policy/types.js';
import type { BaselineState } from '../../state/hotfix/find-baseline.js';
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
 * is tested with the config of its time (seed 002). Pure.
 */
export function baselineActions(policy: Policy, state: BaselineState, remotes: readonly string[], hotfixTag: string, committer: Person, push: PushTarget | undefined, date: string, trailers: readonly string[]): BaselinePart | { readonly errors: readonly Diagnostic[] } {
  const env = policy.spec.environments.find((e) => e.name === state.environment)!;
  const rules = env.baseline ?? { match: 'image', ifMissing: 'refuse', branch: 'hotfix-config/{env}-{date}-{sha7}' };
  const diagnostics: Diagnostic[] = [];
  const when = `${state.forEnvironment} got ${state.targetImage} (${state.targetDeploying.sha.slice(0, 7)}, ${state.targetDeploying.committer.date})`;
  if (!state.baseline) {
    const why = rules.match === 'image' ? `${state.targetImage} never ran in ${state.environment} before ${when}` : `${state.environment} has no commit before ${when}`;
    if (rules.ifMissing === 'refuse') return { errors: [diagnostic('HF344', `no baseline config: ${why}`)] };
    diagnostics.push(diagnostic('HF345', `no baseline config: ${why}; the hotfix is tested against today's ${state.environment} config`));
  }
  const at = state.baseline?.sha ?? state.head;
  const branch = renderTemplate(rules.branch, { env: state.environment, date, sha: at, sha7: at.slice(0, 7) });
  const problem = newRefNameProblem(branch, 'heads', 'baseline branch', policy, { repoName: env.config.repo, remotes, refs: state.refs });
  if (problem?.code === 'HF312') return { errors: [existingBaseline(branch, env.config.repo, push)] };
  if (problem) return { errors: [problem] };

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
  const actions: Action[] = [{ id: 'baseline-branch', kind: 'create-branch', repo: env.config.repo, branch, from: at }, commit.action];
  if (push) actions.push(pushAction('push-baseline', env.config.repo, push, [{ ref: `refs/heads/${branch}`, sha: commit.action.commit }]));

  const changed = state.changedSince;
  return {
    actions,
    diagnostics,
    preconditions: [...newRefPreconditions(env.config.repo, `refs/heads/${branch}`), { kind: 'blob', repo: env.config.repo, commit: at, path: state.file.path, blob: state.file.blob }],
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
      ? `Test the hotfix in ${state.environment} from branch ${branch}: ${state.environment}'s config as of ${at.slice(0, 7)} "${state.baseline.subject}" (${state.baseline.committer.date}), the config ${state.targetImage} ran with before ${when}. Today's ${state.environment} differs in ${changed.length} file${changed.length === 1 ? '' : 's'}${changed.length > 0 ? `: ${changed.map((c) => `${c.path} (+${c.added} -${c.removed})`).join(', ')}` : ''}, which is why it is not used.`
      : `Test the hotfix in ${state.environment} from branch ${branch} (today's config: none of its time was found).`,
  };
}

/**
 * The baseline branch exists: an apply of an earlier plan for this hotfix made it (it comes
 * before the gate) and stopped or was stopped after. That plan, run again, goes on from
 * there; a new plan makes the branch again, so the old one is deleted first (it holds only
 * the baseline config with the hotfix image, which the new plan makes again).
 */
function existingBaseline(branch: string, repo: string, push: PushTarget | undefined): Diagnostic {
  const b = shellWord(branch);
  const remove = [`git branch -D ${b}`, ...(push ? [`git push ${shellWord(push.remote)} --delete ${b}`] : [])].join(' && ');
  return diagnostic('HF312', `baseline branch ${branch} already exists in ${repo}, made by an apply of an earlier plan for this hotfix (the baseline comes before the gate): run hotfix apply again on that plan, which goes on from where it stopped, or to plan anew, see what it holds (git log -1 ${b}), delete it (${remove}) and plan again`);
}
