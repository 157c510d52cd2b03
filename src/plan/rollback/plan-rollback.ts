import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseImageRef } from '../../patch/image-ref.js';
import { renderTemplate } from '../../policy/template.js';
import type { Policy } from '../../policy/types.js';
import type { RollbackState } from '../../state/types.js';
import { buildCommit } from '../build-commit.js';
import { planWithOwnId, sealPlan } from '../plan-id.js';
import { closingPreconditions, clusterSummary, planFrame } from '../plan-frame.js';
import type { Action, PlanContext, PlanOutcome, Precondition, RollbackRequest } from '../types.js';
import { automationGuard } from '../automation/guard.js';
import { chooseTarget, deployedAt } from './choose-target.js';
import { withoutSkipCi } from './skip-ci-tokens.js';
import { rollbackImageChange } from './image-change.js';
import { driftAndHealth } from './cluster-checks.js';
import { renderField, type PolicyRenderSpec } from '../render-spec.js';
import { pushAction, pushTarget, remotePreconditions } from '../push-target.js';
import { newRefNameProblem, newRefPreconditions } from '../new-ref-name.js';
import { planAuthor } from '../plan-author.js';
import { liftOverrides } from '../overrides.js';
import { overrideTrailers, planTrailer, withTrailers } from '../commit-trailers.js';

/** (Policy, State, Request) → Plan for a GitOps rollback, whose commits carry its id. Pure: no I/O. */
export function planRollback(policy: Policy, state: RollbackState, request: RollbackRequest, context: PlanContext): PlanOutcome {
  return planWithOwnId((self) => rollbackPlan(policy, state, request, context, self));
}

/** The plan with `self` as the id its commits carry. */
function rollbackPlan(policy: Policy, state: RollbackState, request: RollbackRequest, context: PlanContext, self: string): PlanOutcome {
  const env = policy.spec.environments.find((e) => e.name === request.environment);
  if (!env) return refuse(diagnostic('HF302', `environment "${request.environment}" is not declared in the policy`));
  const rules = policy.spec.rollback;
  if (!rules) return refuse(diagnostic('HF313', `policy ${policy.metadata.name} has no spec.rollback section, so it allows no rollback`));
  if (rules.requireReason && !request.reason?.trim()) return refuse(diagnostic('HF301', 'this policy requires a reason for a rollback: pass --reason "..."'));

  const image = policy.spec.app.image;
  const current = state.deployments[0];
  const diagnostics: Diagnostic[] = [];
  if (!current) return refuse(diagnostic('HF208', `no commit in the history of ${state.config.path} deployed ${image}`));

  const clusterFindings = driftAndHealth(state, current.image, request.allowDrift);
  if (clusterFindings.some((d) => d.severity === 'error')) return refuse(...clusterFindings);
  diagnostics.push(...clusterFindings);

  const chosen = chooseTarget(state.deployments, rules, request.to, context.now, { complete: state.historyComplete, ...(state.historyEnd && { end: state.historyEnd }) });
  if ('error' in chosen) return refuse(chosen.error, ...skippedRevisions(state));
  const decided = liftOverrides(chosen.diagnostics, 'rollback', rules.overridable ?? [], { codes: request.overrides ?? [], ...(request.reason !== undefined ? { reason: request.reason } : {}) });
  if (decided.findings.some((d) => d.severity === 'error')) return refuse(...decided.findings, ...skippedRevisions(state));
  diagnostics.push(...skippedRevisions(state), ...decided.findings);
  const trailers = [planTrailer(self), ...overrideTrailers(decided.overrides)];
  const target = state.deployments[chosen.index]!;

  const change = rollbackImageChange(env, image, state, target, chosen.index, rules.method);
  if (change.diagnostics.some((d) => d.severity === 'error')) return refuse(...change.diagnostics);
  diagnostics.push(...change.diagnostics);
  const targetTag = parseImageRef(change.target).tag;
  const guard = automationGuard(env, image, state, targetTag);
  diagnostics.push(...guard.diagnostics);

  const branch = renderTemplate(rules.branch, { env: env.name, sha: current.commit.sha, sha7: current.commit.sha.slice(0, 7), date: context.now.slice(0, 10).replace(/-/g, '') });
  const problem = newRefNameProblem(branch, 'heads', 'rollback branch', policy, state);
  if (problem) return refuse(problem);

  const author = planAuthor(policy, context.now);
  if ('code' in author) return refuse(author);
  const reason = request.reason?.trim();
  const deploying = current.commit;
  // What Argo CD renders over the config file (a write-back file) is rolled back in the same commit.
  const alsoEdited = guard.rollbackEdits.flatMap((edit) => (state.fluxFiles[edit.file] ? [{ edit, file: state.fluxFiles[edit.file]! }] : []));
  const also = alsoEdited.length > 0 ? `\nAlso set, so that the rollback is what runs:\n${alsoEdited.map(({ edit }) => edit.says).join('\n')}\n` : '';
  const message = withTrailers(
    change.method === 'revert'
      ? `Revert "${withoutSkipCi(deploying.subject)}"\n\nThis reverts commit ${deploying.sha}.\n${change.diagnostics.some((d) => d.code === 'HF309') ? `Only the ${image} change is reverted.\n` : ''}${also}${reason ? `\nReason: ${reason}\n` : ''}`
      : `Roll back ${image} to ${targetTag ?? change.target} in ${env.name}\n\n${current.image} was deployed by ${deploying.sha}.\n${also}${reason ? `\nReason: ${reason}\n` : ''}`,
    trailers,
  );

  const actions: Action[] = [{ id: 'create-branch', kind: 'create-branch', repo: state.repoName, branch, from: state.head }];
  const first = buildCommit({
    id: change.method,
    repo: state.repoName,
    branch,
    purpose: change.method,
    parent: state.head,
    trees: alsoEdited.reduce((trees, { file }) => ({ ...file.trees, ...trees }), state.config.trees),
    // In git's order of paths, as `git show` and the pull request list the files.
    files: [{ path: state.config.path, text: state.config.text, patches: change.patches }, ...alsoEdited.map(({ edit, file }) => ({ path: file.path, text: file.text, patches: edit.patches }))].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))),
    message,
    author,
    ...(change.method === 'revert' ? { reverts: deploying.sha } : {}),
    ...renderField(env, change.target),
  });
  actions.push(first.action);

  let trees = first.trees;
  let tip = first.action.commit;
  // A counter-measure in the config file itself (a Flux v1 HelmRelease's annotations) edits the reverted text.
  let texts = first.texts;
  const policyRenders: PolicyRenderSpec[] = [];
  const preconditions: Precondition[] = [
    { kind: 'ref', repo: state.repoName, ref: state.ref, sha: state.head },
    ...newRefPreconditions(state.repoName, `refs/heads/${branch}`),
    { kind: 'blob', repo: state.repoName, commit: state.head, path: state.config.path, blob: state.config.blob },
    ...alsoEdited.map(({ file }): Precondition => ({ kind: 'blob', repo: state.repoName, commit: state.head, path: file.path, blob: file.blob })),
  ];
  for (const [i, patch] of guard.patches.entries()) {
    const file = state.fluxFiles[patch.file];
    if (!file) continue;
    const next = buildCommit({ id: guard.patches.length > 1 ? `${patch.purpose}-${i + 1}` : patch.purpose, repo: state.repoName, branch, purpose: patch.purpose, parent: tip, trees: { ...file.trees, ...trees }, files: [{ path: file.path, text: texts[file.path] ?? file.text, patches: patch.patches }], message: withTrailers(patch.message, trailers), author });
    actions.push(next.action);
    trees = next.trees;
    texts = { ...texts, ...next.texts };
    tip = next.action.commit;
    if (patch.render) policyRenders.push({ actionId: next.action.id, ...patch.render });
    if (file.path !== state.config.path) preconditions.push({ kind: 'blob', repo: state.repoName, commit: state.head, path: file.path, blob: file.blob });
  }

  const push = pushTarget(policy, state.repoName, state.pushRemote);
  if (push && 'code' in push) return refuse(push);
  if (push) actions.push(pushAction('push', state.repoName, push, [{ ref: `refs/heads/${branch}`, sha: tip }]));
  actions.push({ id: 'pull-request', kind: 'open-pull-request', repo: state.repoName, head: branch, base: state.branch, title: first.action.message.split('\n')[0]! });

  preconditions.push(...remotePreconditions(actions), ...closingPreconditions(env.name, state.cluster, context));

  const plan = sealPlan({
    ...planFrame(policy, context, decided.overrides, 'rollback'),
    request: { ...request, ...(reason ? { reason } : {}) },
    deployed: {
      environment: env.name,
      image: current.image,
      configRepo: state.repoName,
      configBranch: state.branch,
      configFile: state.config.path,
      deployingCommit: { sha: deploying.sha, subject: deploying.subject, date: deployedAt(current) },
      ...clusterSummary(state.cluster),
    },
    target: { image: change.target, deployedBy: { sha: target.commit.sha, subject: target.commit.subject, date: deployedAt(target) } },
    preconditions,
    actions,
    diagnostics,
    notes: [
      `To reproduce the bad version locally: docker run ${current.image}`,
      `Then open a pull request from ${branch} into ${state.branch}${rules.approvals > 0 ? ` (needs ${rules.approvals} approval${rules.approvals === 1 ? '' : 's'})` : ''}.`,
      'The bug still needs to be found and fixed before the next deployment.',
      ...guard.notes,
      ...[current, target].flatMap((d) => (d.landed ? [`${d.image} reached ${state.branch} with the merge ${d.landed.sha.slice(0, 7)} "${d.landed.subject}" on ${d.landed.committer.date} (the date shown; ${d.commit.sha.slice(0, 7)} itself was committed ${d.commit.committer.date}).`] : [])),
    ],
  }, self);
  return { plan, diagnostics, ...(policyRenders.length > 0 ? { policyRenders } : {}) };
}

/** The revisions the history walk stepped over because the file did not parse there. */
function skippedRevisions(state: RollbackState): Diagnostic[] {
  return (state.historyEnd?.skipped ?? []).map((r) =>
    diagnostic('HF236', `${state.config.path} at ${r.sha.slice(0, 7)} ("${r.subject}") was skipped: ${r.reason.replace(/^the config file /, 'it ')}`),
  );
}

function refuse(...diagnostics: Diagnostic[]): PlanOutcome {
  return { diagnostics };
}
