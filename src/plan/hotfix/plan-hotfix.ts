import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { findImage } from '../../patch/find-image.js';
import { setImageOps } from '../../patch/set-image.js';
import { matchTemplate, placeholdersOf, renderTemplate, type TemplateValues } from '../../policy/template.js';
import type { Policy } from '../../policy/types.js';
import type { HotfixState } from '../../state/hotfix/gather-hotfix.js';
import { buildCommit } from '../build-commit.js';
import { commitObject, tagObject } from '../git-objects.js';
import { planWithOwnId, sealPlan } from '../plan-id.js';
import { closingPreconditions, clusterSummary, planFrame } from '../plan-frame.js';
import { renderField } from '../render-spec.js';
import { type Action, type HotfixRequest, type PlanContext, type PlanOutcome, type Precondition } from '../types.js';
import { decideRevision } from './decide-revision.js';
import { adoptEarlier } from './adopt-earlier.js';
import { baselineActions } from './baseline-actions.js';
import { hotfixImageTag } from './hotfix-image.js';
import { deployedVersionTaken, versionPatternFindings } from './hotfix-version.js';
import { hotfixRuleFindings } from './hotfix-checks.js';
import { gateChecks } from './gate-checks.js';
import { pullRequest, ReviewBranches, reviewBranchPreconditions, reviewNote, type ReviewRepo } from './review-branches.js';
import { existingTag, remoteOnly } from './existing-refs.js';
import { planMergeBacks } from './merge-backs.js';
import { deployVia } from '../../policy/via.js';
import { pushAction, pushTarget, remotePreconditions, type PushTarget } from '../push-target.js';
import { newRefNameProblem, newRefPreconditions } from '../new-ref-name.js';
import { planAuthor } from '../plan-author.js';
import { liftOverrides } from '../overrides.js';
import { hotfixTrailers, planTrailer, withTrailers } from '../commit-trailers.js';
import { rederiveFor } from '../rederive-rule.js';
import { decidedAtGate, withTagFromGate } from '../tag-at-gate.js';
import { hotfixPolicyWarnings } from './policy-warnings.js';
import { adoptedReviewNote, reviewTipProblem, type ReviewCommit } from './review-tip-match.js';
import type { Person } from '../../state/types.js';
import type { Trees } from '../git-objects.js';

/**
 * (Policy, State, Request) → Plan for a hotfix from the deployed artifact (seed 000): a
 * branch at the commit production's image was built from, the picks, a tag, a gate until
 * CI's image of the branch exists, production's config pointed at it, and merges back. Its
 * commits and tag carry its id (plan-id.ts). Pure.
 */
export function planHotfix(policy: Policy, state: HotfixState, request: HotfixRequest, context: PlanContext, policyLint: readonly Diagnostic[] = []): PlanOutcome {
  return planWithOwnId((self, picksToo) => hotfixPlan(policy, state, request, context, policyLint, self, picksToo));
}

/** The plan with `self` as the id its commits and tag carry, its picks too where `picksToo`. */
function hotfixPlan(policy: Policy, state: HotfixState, request: HotfixRequest, context: PlanContext, policyLint: readonly Diagnostic[], self: string, picksToo: boolean): PlanOutcome {
  const env = policy.spec.environments.find((e) => e.name === request.environment);
  if (!env) return { diagnostics: [diagnostic('HF302', `environment "${request.environment}" is not declared in the policy`)] };
  const rules = policy.spec.hotfix;
  if (!rules) return { diagnostics: [diagnostic('HF313', `policy ${policy.metadata.name} has no spec.hotfix section, so it allows no hotfix`)] };

  const ruled = liftOverrides(hotfixRuleFindings(policy, rules, env, request.reason, state), 'hotfix', rules.overridable ?? [], { codes: request.overrides ?? [], reason: request.reason });
  const errors = ruled.findings.filter((d) => d.severity === 'error');
  const decision = decideRevision(state.revision);
  if ('errors' in decision) errors.push(...decision.errors);
  if (errors.length > 0 || 'errors' in decision || !state.base) return { diagnostics: [...errors, ...ruled.findings.filter((d) => d.severity !== 'error')] };
  const warnings: Diagnostic[] = [...hotfixPolicyWarnings(policyLint), ...ruled.findings, ...decision.notChecked.map((a) => diagnostic('HF338', `${a.source} not checked: ${a.unavailable}`)), ...versionPatternFindings(policy, request.version)];
  const trailers = [planTrailer(self), ...hotfixTrailers(request.reason, ruled.overrides)];
  const pickTrailers = picksToo ? trailers : hotfixTrailers(request.reason, ruled.overrides);

  const base = state.base;
  const date = context.now.slice(0, 10).replace(/-/g, '');
  const version = request.version ?? [decision.decidedBy, ...decision.agreeing].map((a) => a.version).find(Boolean);
  const values: TemplateValues = { sha: base.sha, sha7: base.sha.slice(0, 7), date, env: env.name, reason: request.reason, ...(version ? { version } : {}) };
  const versionless = (template: string) => !version && placeholdersOf(template).includes('version');
  const adopted = state.earlier && ![rules.branch, rules.tag ?? ''].some(versionless)
    ? adoptEarlier({ earlier: state.earlier, branchTemplate: rules.branch, ...(rules.tag !== undefined ? { tagTemplate: rules.tag } : {}), values, base: base.sha, picks: state.picks.map((p) => p.commit!), trees: state.steps.map((s) => s.tree), repo: { repoName: state.app.repoName, tags: state.app.refs.tags }, ...(state.remoteTips && state.app.pushRemote ? { remote: { name: state.app.pushRemote.name, tags: state.remoteTips.tags } } : {}) })
    : undefined;
  if (adopted && 'code' in adopted) return { diagnostics: [adopted] };
  const name = (template: string, what: string, kind: 'heads' | 'tags'): string | Diagnostic => {
    if (versionless(template)) return diagnostic('HF341', `${what} "${template}" uses {version}: pass --version, or tag the deployed commit with a release tag`);
    const rendered = renderTemplate(template, adopted ? { ...values, date: adopted.date } : values);
    const unfetched = remoteOnly(state, rendered, kind);
    if (unfetched) return unfetched;
    const problem = newRefNameProblem(rendered, kind, what, policy, state.app);
    if (problem?.code === 'HF312' && kind === 'tags')
      return !request.version && version && placeholdersOf(template).includes('version') ? deployedVersionTaken(template, rendered, version, state.app.repoName) : existingTag(rendered, state.app.repoName, placeholdersOf(template).includes('version'));
    if (problem) return problem;
    return rendered;
  };
  const branch = adopted ? adopted.branch : name(rules.branch, 'hotfix branch', 'heads');
  const tag = rules.tag === undefined ? undefined : adopted?.tag ? adopted.tag.name : name(rules.tag, 'hotfix tag', 'tags');
  const refErrors = [branch, tag].filter((n): n is Diagnostic => typeof n === 'object');
  if (refErrors.length > 0) return { diagnostics: refErrors };
  // Each is new, but together they would make the name ambiguous, as an existing one would.
  if (branch === tag) return { diagnostics: [diagnostic('HF349', `hotfix tag "${tag}" would shadow other refs: the hotfix branch has the same name, so "git checkout ${tag}" would be ambiguous; change hotfix.branch or hotfix.tag`)] };
  const hotfixBranch = branch as string;

  const committer = planAuthor(policy, context.now);
  if ('code' in committer) return { diagnostics: [committer] };
  // An adopted branch this clone has only as a remote-tracking branch is made here from it.
  const from = !adopted ? base.sha : adopted.ref !== `refs/heads/${hotfixBranch}` ? adopted.tip : undefined;
  const actions: Action[] = from ? [{ id: 'create-branch', kind: 'create-branch', repo: state.app.repoName, branch: hotfixBranch, from }] : [];
  let head = adopted ? adopted.tip : base.sha;
  state.steps.forEach((step, i) => {
    if (adopted && i < adopted.picked) return;
    const pick = state.picks[i]!.commit!;
    const message = withTrailers(`${pick.message.trimEnd()}\n\n(cherry picked from commit ${pick.sha})\n`, pickTrailers);
    const commit = commitObject({ tree: step.tree, parents: [head], author: pick.author, committer, message });
    actions.push({ id: `pick-${i + 1}`, kind: 'cherry-pick', repo: state.app.repoName, branch: hotfixBranch, pick: pick.sha, parent: head, tree: step.tree, commit: commit.id, message, author: pick.author, committer, files: state.picks[i]!.files, diff: step.diff });
    head = commit.id;
  });

  const appRefs = [{ ref: `refs/heads/${hotfixBranch}`, sha: head }];
  if (adopted?.tag) {
    if (!adopted.tag.remoteOnly) appRefs.push({ ref: `refs/tags/${adopted.tag.name}`, sha: adopted.tag.object });
  }
  else if (typeof tag === 'string') {
    const message = withTrailers(`Hotfix of ${env.name}: ${state.picks.map((p) => p.commit!.subject).join('; ')}\n\nReason: ${request.reason}\n`, [planTrailer(self)]);
    const object = tagObject({ target: head, name: tag, tagger: committer, message });
    actions.push({ id: 'tag', kind: 'tag', repo: state.app.repoName, tag, target: head, object: object.id, message, tagger: committer });
    appRefs.push({ ref: `refs/tags/${tag}`, sha: object.id });
  }
  const targets = [pushTarget(policy, state.app.repoName, state.app.pushRemote), pushTarget(policy, state.config.repoName, state.config.pushRemote)];
  const pushErrors = targets.filter((t): t is Diagnostic => t !== undefined && 'code' in t);
  if (pushErrors.length > 0) return { diagnostics: pushErrors };
  const [appPush, configPush] = targets as Array<PushTarget | undefined>;
  if (appPush) actions.push(pushAction('push-hotfix', state.app.repoName, appPush, appRefs));

  const built = hotfixImageTag(policy, { values, head, branch: hotfixBranch, ...(request.version !== undefined ? { version: request.version } : {}), ...(version !== undefined ? { deployedVersion: version } : {}) });
  if ('code' in built) return { diagnostics: [built] };
  const imageTag = built.tag;
  const atGate = decidedAtGate(imageTag);
  const location = findImage(state.config.file.text, env.config.locator, policy.spec.app.image);
  if (location.current.digest !== undefined && env.config.digest !== 'drop')
    return { diagnostics: [diagnostic('HF340', `${env.config.file} pins ${location.current.name} by digest; the hotfix image's digest is not known before CI builds it`)] };
  // An earlier apply of this hotfix got as far as the deploy: what is left are the merge-backs.
  const deployedBefore = adopted !== undefined && (location.current.tag === imageTag || (atGate && location.current.tag !== undefined && matchTemplate(imageTag, location.current.tag) !== undefined));
  // The baseline config branch is for testing the hotfix before the deploy: once deployed, it has served.
  const baselineState = deployedBefore ? undefined : state.baseline;
  if (atGate && baselineState) return { diagnostics: [diagnostic('HF370', `the hotfix image tag ${imageTag} is decided at the gate, when CI has built it, but the baseline config branch from ${baselineState.environment} comes before the gate and needs it; have CI also push a tag made only of what is known before the build ({branch}, {sha}, {shaN}, {version}) and set hotfix.imageTag to it`)] };
  const hotfixImage = `${policy.spec.app.image}:${imageTag}`;
  if (hotfixImage === state.deployed.image) return { diagnostics: [diagnostic('HF341', `the hotfix image would be ${hotfixImage}, the image deployed now; give the hotfix its own --version`)] };

  // The baseline config branch comes before the gate: the required checks may test it.
  const baseline = baselineState ? baselineActions(policy, baselineState, state.config.remotes, imageTag, committer, configPush, adopted ? adopted.date : date, trailers) : undefined;
  if (baseline && 'errors' in baseline) return { diagnostics: baseline.errors };
  if (baseline) {
    actions.push(...baseline.actions);
    warnings.push(...baseline.diagnostics);
  }
  const gate: Extract<Action, { kind: 'gate' }> = { id: 'gate', kind: 'gate', image: hotfixImage, label: policy.spec.app.revisionLabel, revision: head, ...gateChecks(rules), ...(atGate ? { tagAtGate: imageTag } : {}), ...(built.fromHead !== undefined ? { tagFromHead: built.fromHead } : {}) };
  actions.push(gate);

  // Protected branches (git.via pull-request): the deploy and each merge-back go to a branch of their own, for review.
  const review = new ReviewBranches(policy, adopted ? { ...values, date: adopted.date } : values, hotfixBranch);
  const configRepo: ReviewRepo = { repoName: state.config.repoName, remotes: state.config.remotes, refs: state.config.refs, ...(state.config.pushRemote ? { pushRemote: state.config.pushRemote } : {}), madeBefore: (state.reviewTips?.config ?? []).map((t) => t.branch) };
  const deployBranch = deployedBefore || deployVia(policy, env) === 'push' ? state.config.branch : review.name('deployBranch', state.config.branch, configRepo, configPush);
  if (typeof deployBranch === 'object') return { diagnostics: [deployBranch] };
  const reviewed: Precondition[] = [];
  const deployMessage = withTrailers(
    `Deploy hotfix ${hotfixImage} to ${env.name}\n\nHotfix branch ${hotfixBranch} (${head.slice(0, 7)}) from the deployed commit ${base.sha.slice(0, 7)}, picking ${state.picks.map((p) => p.commit!.sha.slice(0, 7)).join(', ')}.\n${(rules.bypass ?? []).length > 0 ? `Bypasses ${rules.bypass!.join(', ')}.\n` : ''}Reason: ${request.reason}\n`,
    trailers,
  );
  const makeDeploy = (parent: string, trees: Trees, author: Person, message = deployMessage) =>
    buildCommit({
      id: 'deploy-hotfix',
      repo: state.config.repoName,
      branch: deployBranch,
      purpose: 'deploy-hotfix',
      parent,
      trees,
      files: [{ path: state.config.file.path, text: state.config.file.text, patches: setImageOps(location, { name: location.current.name, tag: imageTag }, 'drop') }],
      message,
      author,
      ...renderField(env, hotfixImage),
    });
  const notes: string[] = [];
  // A branch for review an interrupted apply made: taken as made when it holds this very commit.
  const deployTip = deployedBefore || deployBranch === state.config.branch ? undefined : state.reviewTips?.config.find((t) => t.branch === deployBranch);
  if (deployTip) {
    const planned: ReviewCommit = {
      what: `git.deployBranch "${policy.spec.git!.deployBranch}"`,
      branch: deployBranch,
      target: state.config.branch,
      targetHead: state.config.head,
      message: deployMessage,
      others: [],
      repoName: state.config.repoName,
      ...(configPush ? { push: configPush } : {}),
      remake: (c) =>
        c.file?.blob === state.config.file.blob
          ? makeDeploy(c.parents[0]!, c.file.trees, c.author, c.message).action.commit
          : { why: `${state.config.file.path} changed on ${state.config.branch} since ${c.parents[0]!.slice(0, 7)}, where its tip ${c.sha.slice(0, 7)} is made, so the same patch there is not the change this plan reviews` },
    };
    const problem = reviewTipProblem(deployTip, planned);
    if (problem) return { diagnostics: [problem] };
    notes.push(adoptedReviewNote(deployTip, planned));
  }
  const deployOn = deployTip?.commit;
  const deploy = deployedBefore ? undefined : deployOn ? makeDeploy(deployOn.parents[0]!, deployOn.file!.trees, deployOn.author, deployOn.message) : makeDeploy(state.config.head, state.config.file.trees, committer);
  const deployPr = deploy && deployBranch !== state.config.branch;
  // A review branch made before (adopted) holds its commit already; one apply makes follows a moved base.
  // A fresh clone has the config branch only as origin/…: apply makes the local branch there; only the remote's can move (re-derived at a refused push).
  const configTracked = deploy !== undefined && !deployPr && state.config.ref !== `refs/heads/${state.config.branch}`;
  const deployRule = deploy && (!deployPr ? (configTracked && !configPush ? undefined : rederiveFor(deploy.action)) : deployTip || !configPush ? undefined : rederiveFor(deploy.action, state.config.branch));
  if (configTracked) actions.push({ id: 'config-branch-local', kind: 'create-branch', repo: state.config.repoName, branch: state.config.branch, from: state.config.head });
  if (deployPr) actions.push({ id: 'deploy-branch', kind: 'create-branch', repo: state.config.repoName, branch: deployBranch, from: deploy.action.parent });
  // Straight onto the shared branch, which may move during the gate; a review branch is the plan's own.
  if (deploy) actions.push(withTagFromGate(deployRule ? { ...deploy.action, rederive: deployRule } : deploy.action, gate));
  if (deploy && configPush) actions.push(pushAction('push-config', state.config.repoName, configPush, [{ ref: `refs/heads/${deployBranch}`, sha: deploy.action.commit }]));
  if (deployPr && configPush) {
    reviewed.push(...reviewBranchPreconditions(state.config.repoName, deployBranch, configPush));
    actions.push(pullRequest('pull-request-deploy', state.config.repoName, deployBranch, state.config.branch, deploy.action.message, `Merging this deploys the hotfix image ${hotfixImage} to ${env.name} (${env.config.file}); until it is merged, ${env.name} runs ${state.deployed.image}.\nhotfix apply pushes this commit after its gate: ${hotfixImage} exists with ${policy.spec.app.revisionLabel}=${head}${(rules.requiredChecks ?? []).length > 0 ? `, and ${rules.requiredChecks!.join(', ')} passed` : ''}.\n`));
  }

  const preconditions: Precondition[] = [
    ...(from ? newRefPreconditions(state.app.repoName, `refs/heads/${hotfixBranch}`) : []),
    ...(adopted ? [{ kind: 'ref' as const, repo: state.app.repoName, ref: adopted.ref, sha: adopted.tip }] : []),
    ...(adopted?.tag?.remoteOnly && appPush ? [{ kind: 'remote-ref' as const, repo: state.app.repoName, url: appPush.url, ref: `refs/tags/${adopted.tag.name}`, sha: adopted.tag.object }]
      : adopted?.tag ? [{ kind: 'ref' as const, repo: state.app.repoName, ref: `refs/tags/${adopted.tag.name}`, sha: adopted.tag.object }]
      : typeof tag === 'string' ? newRefPreconditions(state.app.repoName, `refs/tags/${tag}`) : []),
    { kind: 'ref', repo: state.config.repoName, ref: state.config.ref, sha: state.config.head },
    ...(configTracked ? newRefPreconditions(state.config.repoName, `refs/heads/${state.config.branch}`) : []),
    { kind: 'blob', repo: state.config.repoName, commit: state.config.head, path: state.config.file.path, blob: state.config.file.blob },
    ...(baseline ? baseline.preconditions : []),
    ...reviewed,
  ];
  const mergeBacks = planMergeBacks({ policy, state, environment: env.name, hotfixBranch, head, base: base.sha, committer, trailers, review, appPush, mergedBefore: adopted?.mergedInto ?? [] });
  if ('code' in mergeBacks) return { diagnostics: [mergeBacks] };
  actions.push(...mergeBacks.actions);
  preconditions.push(...mergeBacks.preconditions);
  warnings.push(...mergeBacks.warnings);
  notes.push(...mergeBacks.notes);

  preconditions.push(...remotePreconditions(actions), ...closingPreconditions(env.name, state.cluster, context));

  const plan = sealPlan({
    ...planFrame(policy, context, ruled.overrides, 'hotfix'),
    request,
    deployed: {
      environment: env.name,
      image: state.deployed.image,
      configRepo: state.config.repoName,
      configBranch: state.config.branch,
      configFile: state.config.file.path,
      appCommit: { sha: base.sha, subject: base.subject, decidedBy: `${decision.decidedBy.detail} (read from the ${state.deployed.source})`, agreeing: decision.agreeing.map((a) => a.detail) },
      ...clusterSummary(state.cluster),
    },
    target: { image: hotfixImage },
    ...(baseline ? { baseline: baseline.summary } : {}),
    preconditions,
    actions,
    diagnostics: warnings,
    notes: [
      ...(adopted ? [adopted.note] : []),
      ...(deployedBefore ? [`${env.config.file} on ${state.config.branch} deploys ${hotfixImage} already (an earlier apply of this hotfix got that far), so this plan does not deploy it again; apply checks that the branch is still where it was.`] : []),
      `CI builds ${hotfixImage} from ${hotfixBranch}${atGate ? ` (tag decided at the gate: the newest registry tag that fits ${imageTag})` : ''}; apply waits at the gate until it exists with ${policy.spec.app.revisionLabel}=${head}${(rules.requiredChecks ?? []).length > 0 ? ` and ${rules.requiredChecks!.join(', ')} passed` : ''}.`,
      ...(baseline ? [baseline.note] : []),
      ...notes,
      ...reviewNote(actions, env.name),
      ...(picksToo ? [] : [`The picks carry no Hotfix-Plan trailer (the other commits and the tag do): the hotfix image tag names the hotfix head in a form the plan's id cannot set aside.`]),
      `Reason: ${request.reason}. Watch ${env.name} closely after the deploy.`,
    ],
  }, self);
  return { plan, diagnostics: warnings };
}
