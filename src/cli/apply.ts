import { Command, Option, UsageError } from 'clipanion';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { HotfixCommand } from './hotfix-command.js';
import { parseRepoBindings } from './repo-bindings.js';
import { renderPlan } from './render-plan.js';
import type { Containment } from '../plan/hotfix/contains-hotfix.js';
import type { MergeBackLeft } from '../apply/merge-backs-left.js';
import { EXIT } from './report-failure.js';
import type { GateAction } from '../apply/apply-plan.js';
import type { Plan } from '../plan/types.js';
import { attester } from './attester.js';
import type { ApprovalRecord } from '../apply/approval-record.js';
import type { LockWait } from '../apply/wait-for-lock.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** `30s`, `20m`, `1h` → milliseconds. */
function parseDuration(text: string, option: string): number {
  const match = /^([1-9][0-9]*)(s|m|h)$/.exec(text);
  if (!match) throw new UsageError(`${option} takes a duration such as 30s, 20m or 1h, not "${text}"`);
  return Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 's' | 'm' | 'h'];
}

export class ApplyCommand extends HotfixCommand {
  static override paths = [['apply']];

  protected override readonly fileErrorCode = 'HF422';

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'carry out a saved plan exactly, or refuse',
    details: `
      Checks that the plan is intact (schema, and a body that matches its id) and that every fact it relies on still holds (branch heads, file contents, the running image, the policy, the tool version), then carries out its actions in order. Before the first real write, the whole plan is rehearsed in throwaway repositories that borrow the real objects: every commit, diff, picked tree and merge base must come out as the plan shows it (HF416), so a plan that would fail halfway, or write something other than what was reviewed, writes nothing. Commits are recomputed again as they are written and must get the ids the plan names. Refs move by compare-and-swap; pushes are atomic. The working tree, index and stash of your checkout are never touched.

      A hotfix plan has a gate: the image CI builds from the hotfix branch must exist with the right revision label, and the required checks must be done. Where the policy has \`hotfix.checks\`, they are read for the hotfix head from GitHub (check runs and commit statuses; token from GITHUB_TOKEN or \`--token-env\`, API from GITHUB_API_URL or \`--api-url\`) or GitLab (jobs and commit statuses; GITLAB_TOKEN, else CI_JOB_TOKEN; the instance from CI_SERVER_URL or \`--forge-url\`), and only a latest report of success counts. \`--check NAME\` attests a check by hand: recorded in the journal with who ran apply, and refused (HF423) where the policy says \`checks.manual: refuse\`. Apply stops at an unmet gate with exit code 3 and says what it waits for, each check with its state; running it again on the same plan goes on from there. \`--wait 20m\` polls instead: it looks again after 1 s, then waits twice as long each time, up to 10 s (a tenth of the wait, for a wait under 100 s).

      A merge-back the plan leaves to a person (it conflicts) is part of the hotfix: until its branch holds every hotfix change (merged, cherry-picked or squashed: by patch-id), apply exits 4 with HF430 instead of saying complete. Do the merge (the plan's commands are valid shell), then run apply again on the same plan to confirm.

      One apply at a time holds a repository: a second apply that finds another's lock refuses at once (HF412), or with \`--wait-lock 10m\` says whom it waits for (user, host, pid and plan from the lock) and waits up to that long, then goes on from the start: the journal and every precondition are read again, so the same plan finished meanwhile is nothing to do, and a plan whose branches the other moved is refused as any moved precondition is. After the wait it gives up with HF412. Two CI jobs that race on one runner's clone need it.

      Ctrl-C (SIGINT) or SIGTERM stops it at the next safe point, with exit code 130 or 143: its locks are released and what it finished is recorded, so running it again goes on from there. Before it skips an action its journal records as done, it checks the result is still in place (HF414).

      With \`--pr owner/repo#N\` (GitHub), before anything is written it checks that the pull request's plan comment shows exactly this plan (written by the account \`hotfix comment\` posts as, unedited, not replaced by a newer plan: HF515), and that the policy's number of approvals (rollback.approvals, hotfix.approvals) were given by people other than the pull request's author, after that comment last changed and on the pull request's current head (HF516). The approvers are printed and recorded in the journal. Where a gate passes after apply waited at it (--wait), both are checked again before what the gate guards is written: a push, a newer plan comment or a request for changes meanwhile stops it there. With \`--pr group/project!N\` (GitLab) the same holds, with one gap: GitLab says who approved a merge request but not for which commit, and when only in approved_at (newer instances) or the system note it writes for each approval, which apply reads. The head is tied through the merge request's diff versions (one per push): the approvals count only while the head is the one the plan comment was posted for and no push came after the comment, and an approval given before the comment last changed to this plan does not count. One whose time GitLab gives nowhere cannot be told apart; so turn on the project's "Remove all approvals when commits are added to the source branch" (HF522 warns where it is off or cannot be read and such an approval counted).

      With \`--open-prs\`, each branch the plan pushes for review gets its pull request (GitLab: merge request) once it is pushed, on the repository its push URL names (or \`--forge-repo NAME=OWNER/REPO\`; the forge: \`--api-url\` GitHub, \`--forge-url\` GitLab, else the URL's host): found again by its head branch and updated, else created, with the plan as its body, the labels hotfix and the plan's kind, and reviewers from metadata.owners. Each is printed and journalled, and \`hotfix status\` shows it. A forge that fails keeps the push: HF518 says which pull request is missing, why, and how to open it by hand (exit code 1); running apply again opens it.

      On a terminal it asks for confirmation; elsewhere pass \`--auto-approve\`.
    `,
    examples: [
      ['Apply after review', '$0 apply plan.json'],
      ['Apply from CI', '$0 apply --auto-approve plan.json'],
      ['Apply the plan a pull request approved', '$0 apply --auto-approve --expect-id sha256:… --pr octo-org/deploy#42 plan.json'],
      ['Check everything, change nothing', '$0 apply --dry-run plan.json'],
      ['Apply, then open the pull requests of the branches it pushes', '$0 apply --auto-approve --open-prs plan.json'],
    ],
  });

  autoApprove = Option.Boolean('--auto-approve', false, { description: 'Do not ask for confirmation' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Verify the plan and its preconditions and print what would be done' });
  repoBindings = Option.Array('--repo', [], { description: 'Where a repository is on this machine, if not at the plan\'s path from here: NAME=PATH' });
  policyFile = Option.String('--policy', { description: 'The policy file the plan was made from, if not at the plan\'s path from here (its sha256 must match)' });
  clusterState = Option.String('--cluster-state', { description: 'Check the running image against this kubectl JSON file instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Do not check the running image' });
  checks = Option.Array('--check', [], { description: 'Attest that a required check passed (repeatable), recorded in the journal with who ran apply; refused where the policy says checks.manual: refuse' });
  wait = Option.String('--wait', { description: 'Wait at a gate up to this long (e.g. 30s, 20m) instead of stopping at once' });
  breakLock = Option.Boolean('--break-lock', false, { description: 'Take over a repository lock left by an apply whose process is gone' });
  waitLock = Option.String('--wait-lock', { description: 'Wait up to this long (e.g. 10m) for another apply that holds a repository of the plan, instead of refusing at once (HF412); the plan is then checked again from the start' });
  dockerConfig = Option.String('--docker-config', { description: 'The docker config.json with registry credentials (default: $DOCKER_CONFIG or ~/.docker)' });
  tokenEnv = Option.String('--token-env', { description: 'The environment variable that holds the token the gate reads checks with (default: GITHUB_TOKEN; GitLab: GITLAB_TOKEN, else CI_JOB_TOKEN)' });
  apiUrl = Option.String('--api-url', { description: 'The GitHub API the gate reads checks from (default: $GITHUB_API_URL, else https://api.github.com)' });
  forgeUrl = Option.String('--forge-url', { description: 'The GitLab instance the gate reads checks from (default: $CI_SERVER_URL, else https://gitlab.com)' });
  pr = Option.String('--pr', { description: 'Check before writing that this GitHub pull request (owner/repo#N or its URL) or GitLab merge request (group/project!N or its URL) carries the plan comment of exactly this plan and the approvals the policy requires, given after that comment on its current head (default in GitHub Actions: the pull request of a pull_request, pull_request_review or issue_comment event; in a GitLab merge request pipeline: its merge request)' });
  commenter = Option.String('--commenter', { description: 'With --pr: the account hotfix comment posts as, where the token cannot tell (a GitHub App\'s: APP-SLUG[bot]); default: the token\'s own login, github-actions[bot] for GITHUB_TOKEN in GitHub Actions; on GitLab the token\'s own username' });
  expectId = Option.String('--expect-id', { description: 'Refuse any plan whose id is not this one (sha256:…), the id that was reviewed and approved' });
  openPrs = Option.Boolean('--open-prs', false, { description: 'Open (or find open and update) a pull request (GitLab: merge request) for each branch the plan pushes for review, on the forge its push URL names: title, body (the plan), labels, reviewers from metadata.owners' });
  forgeRepos = Option.Array('--forge-repo', [], { description: 'With --open-prs: the forge repository of a repository the plan names, where its push URL does not tell: NAME=OWNER/REPO (GitLab: NAME=GROUP/PROJECT)' });
  file = Option.String({ name: 'plan.json' });

  protected async run(): Promise<number> {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    const waitMs = this.wait === undefined ? undefined : parseDuration(this.wait, '--wait');
    const lockWaitMs = this.waitLock === undefined ? undefined : parseDuration(this.waitLock, '--wait-lock');
    const [{ readPlanFile }, { applyPlan }, { checkGate }, { killSwitch }, { stopOnSignals }, { HotfixError }, { diagnostic }] = await Promise.all([
      import('../apply/read-plan.js'),
      import('../apply/apply-plan.js'),
      import('../apply/check-gate.js'),
      import('../apply/kill-switch.js'),
      import('../apply/stop-on-signals.js'),
      import('../diagnostics/errors.js'),
      import('../diagnostics/diagnostic.js'),
    ]);
    if (this.expectId !== undefined && !/^sha256:[0-9a-f]{64}$/.test(this.expectId)) throw new UsageError(`--expect-id takes a plan id as the plan shows it (sha256: and 64 hex digits), not "${this.expectId}"`);
    const loaded = await readPlanFile(this.file, this.context.cwd);
    // Approval is of an id: any other plan, even an intact newer one, is not what was approved.
    if (this.expectId !== undefined && loaded.id !== this.expectId) throw new HotfixError([diagnostic('HF500', `${this.file} is plan ${loaded.id}, not the expected ${this.expectId}; nothing was written: apply the plan that was approved, or review this one and pass its id`)]);
    // Approval is checked on the forge before anything is read or written locally: an unapproved plan goes no further.
    const pr = this.pr ?? (await (await import('./event-pull-request.js')).eventPullRequest(this.context.env));
    if (this.commenter !== undefined && pr === undefined) throw new UsageError('--commenter goes with --pr: it says who posts the plan comment apply looks for');
    const approvalOptions = pr === undefined ? undefined : { pr, commenter: this.commenter, tokenEnv: this.tokenEnv, apiUrl: this.apiUrl, forgeUrl: this.forgeUrl, policyFile: resolve(this.context.cwd, this.policyFile ?? loaded.policy.file), cwd: this.context.cwd, warn: (d: Diagnostic) => void this.context.stderr.write(`hotfix: warning: ${d.message} [${d.code}]\n`) };
    const approval = approvalOptions === undefined ? undefined : await (await import('./approval-check.js')).checkApproval(loaded, approvalOptions, this.context.env);
    if (approval) this.context.stdout.write(`approved: ${approval.pullRequest} by ${approval.approvers.length > 0 ? approval.approvers.join(', ') : 'no one'} (${approval.required} required) at ${approval.head.slice(0, 7)}, after the plan comment ${approval.comment}; recorded in the journal\n`);
    const gate = loaded.actions.find((a): a is GateAction => a.kind === 'gate');
    const reports = gate ? await this.gateReads(gate, resolve(this.context.cwd, this.policyFile ?? loaded.policy.file), loaded) : undefined;
    const lockWait = lockWaitMs === undefined ? undefined : { waitMs: lockWaitMs, pollMs: Math.min(2_000, Math.max(250, lockWaitMs / 20)), text: this.waitLock! };
    const reviewRequests = await this.reviewRequests(loaded, lockWait);
    if (loaded.actions.some((a) => a.kind === 'commit' && a.changes.some((c) => /\.[mc]?ts$/.test(c.path)))) await (await import('../patch/typescript/load.js')).loadTypeScriptSupport();
    const plan = this.noCluster ? { ...loaded, preconditions: loaded.preconditions.filter((p) => p.kind !== 'running-image') } : loaded;
    if (this.noCluster && plan.preconditions.length !== loaded.preconditions.length) this.context.stderr.write('hotfix: warning: --no-cluster: the running image is not checked\n');
    // The plan stores paths relative to where it was made (older plans: absolute); from here they resolve against this directory.
    const repos = { ...Object.fromEntries(Object.entries(plan.repos).map(([name, path]) => [name, resolve(this.context.cwd, path)])), ...parseRepoBindings(this.repoBindings, this.context.cwd) };
    const policyFile = resolve(this.context.cwd, this.policyFile ?? plan.policy.file);
    // As plan refuses it (bound-repo.ts): otherwise every precondition would read as moved.
    await (await import('../state/git/object-format.js')).refuseOtherObjectFormats(repos);

    this.context.stdout.write(await renderPlan(loaded, 'text', this.context));
    if (!this.dryRun && !this.autoApprove) {
      const isTty = Boolean((this.context.stdin as { isTTY?: boolean }).isTTY);
      if (!isTty) throw new HotfixError([diagnostic('HF405', 'apply needs confirmation: run it on a terminal, or pass --auto-approve')]);
      if (!(await this.confirm())) throw new HotfixError([diagnostic('HF409', 'apply declined; nothing was changed')]);
    }

    const registry = { ...(this.dockerConfig !== undefined ? { dockerConfig: resolve(this.context.cwd, this.dockerConfig) } : {}) };
    const otherBuilds = new Map<string, string | undefined>();
    // A dry run holds no lock and writes nothing: a signal may end it the usual way.
    const interruption = this.dryRun ? undefined : stopOnSignals((signal, exitCode) => new HotfixError([diagnostic('HF413', `apply stopped by ${signal}; its locks are released and what it finished is recorded: run hotfix apply again on the same plan to go on`)], exitCode));
    const outcome = await applyPlan(plan, {
      dryRun: this.dryRun,
      ...(interruption ? { signal: interruption.signal } : {}),
      log: (line) => this.context.stdout.write(`${line}\n`),
      facts: { repos, policyFile, cluster: (environment) => this.readCluster(policyFile, environment) },
      checkGate: (g) => checkGate(g, { registry, attested: new Set(this.checks), attester: attester(this.context.env), otherBuilds, ...(reports ? { reports } : {}) }),
      breakLock: this.breakLock,
      ...(lockWait ? { lockWait } : {}),
      checkpoint: killSwitch(this.context.env.HOTFIX_TEST_KILL_AT, this.context.env.HOTFIX_TEST_KILL_SIGNAL),
      ...(waitMs !== undefined ? { waitMs, pollMs: Math.min(10_000, Math.max(500, waitMs / 10)) } : {}),
      ...(approval ? { approval } : {}),
      ...(approvalOptions ? { recheckApproval: async () => (await import('./approval-check.js')).recheckApproval(loaded, approvalOptions, this.context.env) } : {}),
    }).finally(() => interruption?.finish());
    if (this.dryRun) {
      this.context.stdout.write('\nDry run: every precondition holds; nothing was changed.\n');
      return EXIT.ok;
    }
    const [{ deployPending, pullRequestLines }, { withDecidedTags, withJournalledApprovers }] = await Promise.all([import('../render/pull-requests-text.js'), import('../apply/decided-tags.js')]);
    // The commits as made: with the approvers in their trailers, where apply --pr wrote them.
    const signed = await withJournalledApprovers(plan, repos);
    const made = await withDecidedTags(signed, repos);
    const prs = reviewRequests ? [] : pullRequestLines(made);
    const notOpened = reviewRequests ? await reviewRequests.open(signed, repos, approval) : [];
    if (prs.length > 0) this.context.stdout.write(`\n${prs.join('\n')}\n`);
    // A merge-back left to a person is part of the hotfix: until its branch holds the fix, it can regress.
    const left = await (await import('../apply/merge-backs-left.js')).mergeBacksLeft(signed, repos);
    for (const m of left) if (m.containment?.contained) this.context.stdout.write(`done: ${m.into} holds every change of the hotfix (${describeHolding(m.containment)})\n`);
    const pending = left.filter((m) => !m.containment?.contained);
    if (pending.length > 0) {
      // Every run shows the commands again: a rerun skips the actions, and so their next: lines.
      for (const m of pending) this.context.stdout.write(m.pullRequest ? `left to you: merge the pull request ${m.pullRequest} → ${m.into} (${m.repo})\n` : `left to you: merge the hotfix into ${m.into}:\n    ${m.commands.join(' && ')}\n`);
      this.context.stdout.write(`\nApply incomplete: ${pending.map((m) => m.into).join(', ')} ${pending.length === 1 ? 'does' : 'do'} not hold the hotfix yet (${plan.id})\n`);
      throw new HotfixError([...notOpened, ...pending.map((m) => diagnostic('HF430', pendingMessage(m)))], EXIT.mergeBackLeft);
    }
    const deploy = deployPending(made, await (await import('../apply/deploy-merged.js')).deployMerged(signed, repos));
    this.context.stdout.write(outcome === 'already complete' ? `\nNothing to do: this plan was applied completely before (${plan.id})${deploy ? `; ${deploy}` : ''}.\n` : `\nApply complete: ${plan.id}${deploy ? `; ${deploy}` : ''}\n`);
    // The git side is done and kept; a pull request the forge would not open is the run's one failure.
    if (notOpened.some((d) => d.severity === 'error')) throw new HotfixError(notOpened);
    for (const d of notOpened) this.context.stderr.write(`hotfix: warning: ${d.message} [${d.code}]\n`);
    return EXIT.ok;
  }

  /**
   * Before anything is written: the gate must be the policy's (HF424), `--check` must name
   * its checks and be allowed (HF423), and where it reads checks from a forge, the token
   * must be there (HF501). Returns how the gate reads the forge's reports, if it does.
   */
  private async gateReads(gate: GateAction, policyFile: string, plan: Plan) {
    const [{ loadPolicy }, { gatePolicyProblem }, { HotfixError }, { diagnostic }] = await Promise.all([import('../policy/load-policy.js'), import('../apply/gate-policy.js'), import('../diagnostics/errors.js'), import('../diagnostics/diagnostic.js')]);
    const sealed = plan.preconditions.find((p) => p.kind === 'policy');
    // Another policy than the plan's is its precondition's to refuse, in its words.
    const policy = await loadPolicy(policyFile, this.context.cwd).catch(() => undefined);
    const problem = policy && sealed?.kind === 'policy' && policy.sha256 === sealed.sha256 ? gatePolicyProblem(gate, policy.policy.spec.hotfix) : undefined;
    if (problem) throw new HotfixError([problem]);
    const unknown = this.checks.filter((c) => !gate.checks.includes(c));
    if (unknown.length > 0) throw new UsageError(`--check ${unknown.join(', ')}: not a required check of this plan's gate (${gate.checks.length > 0 ? gate.checks.join(', ') : 'it has none'})`);
    const from = gate.checksFrom;
    if (from?.manual === 'refuse' && this.checks.length > 0)
      throw new HotfixError([diagnostic('HF423', `--check ${this.checks.join(', ')} refused: the policy says hotfix.checks.manual: refuse, so ${gate.checks.join(', ')} count only as ${from.forge === 'github' ? 'GitHub' : 'GitLab'} ${from.repository} reports them on ${gate.revision.slice(0, 7)}; nothing was written: run apply without --check`)]);
    if (!from || gate.checks.length === 0) return undefined;
    const access = { tokenEnv: this.tokenEnv, apiUrl: this.apiUrl, forgeUrl: this.forgeUrl };
    const { checksReader } = await import('./checks-reader.js');
    const read = await checksReader(from.forge, access, this.context.env);
    return (g: GateAction) => read(g.checksFrom!, g.revision);
  }

  /**
   * With --open-prs, where each pull request goes and the token, checked before anything is
   * written (HF519, HF501); returns what opens them once the branches are pushed.
   */
  private async reviewRequests(plan: Plan, lockWait: LockWait | undefined) {
    if (!this.openPrs) {
      if (this.forgeRepos.length > 0) throw new UsageError('--forge-repo goes with --open-prs: it says where the pull requests apply opens go');
      return undefined;
    }
    const [{ reviewRequestTargets, parseForgeRepos }, { openReviewRequests }, { loadPolicy }] = await Promise.all([import('./review-request-targets.js'), import('../apply/open-review-requests.js'), import('../policy/load-policy.js')]);
    const targets = await reviewRequestTargets(plan, parseForgeRepos(this.forgeRepos), { tokenEnv: this.tokenEnv, apiUrl: this.apiUrl, forgeUrl: this.forgeUrl }, this.context.env);
    const unpushed = plan.actions.filter((a) => a.kind === 'open-pull-request' && !targets.some((t) => t.action.id === a.id));
    for (const a of unpushed) if (a.kind === 'open-pull-request') this.context.stderr.write(`hotfix: warning: --open-prs: the plan does not push ${a.head} (git.push: false), so apply opens no pull request for it: push it and open it into ${a.base} yourself\n`);
    // The plan's own policy (its sha256 is a precondition): a policy that does not load asks for no reviewers.
    const policy = await loadPolicy(resolve(this.context.cwd, this.policyFile ?? plan.policy.file), this.context.cwd).catch(() => undefined);
    const owners = policy?.policy.metadata.owners ?? [];
    const log = (line: string) => this.context.stdout.write(`${line}\n`);
    return { open: (applied: Plan, repos: Record<string, string>, approval?: ApprovalRecord) => openReviewRequests(applied, targets, { repos, owners, log, ...(approval ? { approval } : {}), ...(lockWait ? { lockWait } : {}) }) };
  }

  private async confirm(): Promise<boolean> {
    this.context.stdout.write('\nDo you want to perform these actions? Only "yes" will be accepted.\n  Enter a value: ');
    const lines = createInterface({ input: this.context.stdin });
    try {
      for await (const line of lines) return line.trim() === 'yes';
      return false;
    } finally {
      lines.close();
    }
  }

  private async readCluster(policyFile: string, environment: string) {
    const [{ loadPolicy }, cluster] = await Promise.all([import('../policy/load-policy.js'), import('../state/cluster/read-cluster.js')]);
    const env = (await loadPolicy(policyFile, this.context.cwd)).policy.spec.environments.find((e) => e.name === environment);
    return cluster.readClusterFor(env?.cluster, this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live');
  }
}

function describeHolding(c: Containment): string {
  return c.commits.map((k) => `${k.sha.slice(0, 7)} by ${k.heldBy === 'ancestor' ? 'merge' : k.heldBy}`).join(', ');
}

function pendingMessage(m: MergeBackLeft): string {
  const again = 'then run hotfix apply again on the same plan to confirm';
  if (!m.containment) return `merge-back into ${m.into} is left to you and ${m.into} does not exist in ${m.repo}; create it from the mainline and merge the hotfix into it, ${again}`;
  const missing = m.containment.commits.filter((k) => k.heldBy === undefined);
  if (m.pullRequest) return `merge-back into ${m.into} is the pull request ${m.pullRequest} → ${m.into}, and ${m.into} (${m.containment.sha.slice(0, 7)}) does not hold ${missing.map((k) => `${k.sha.slice(0, 7)} "${k.subject}"`).join(', ')} yet: open and merge it (or merge, cherry-pick or squash the hotfix into ${m.into} your way), ${again}`;
  return `merge-back into ${m.into} is left to you and ${m.into} (${m.containment.sha.slice(0, 7)}) does not hold ${missing.map((k) => `${k.sha.slice(0, 7)} "${k.subject}"`).join(', ')} yet: run the commands printed under left to you (or merge, cherry-pick or squash it your way), ${again}`;
}
