import { Command, Option } from 'clipanion';
import { PlanCommand } from './plan-command.js';
import { prepareLocators } from '../prepare-locators.js';
import { checkLine } from './option-values.js';

/** How many deployments back `--to` is looked for. */
const MAX_DEPLOYMENTS_READ = 1000;

export class PlanRollbackCommand extends PlanCommand {
  static override paths = [['plan', 'rollback']];

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'plan a GitOps rollback of an environment',
    details: `
      Finds the image the environment's config declares now and the commit that deployed it (walking only that file's history), and plans a revert of that commit on a new branch, reviewed as a pull request. Where the deploying commit changed more than this image, only this image's change is reverted; where a later commit touched the same line, the plan sets the previous value instead. Every other byte of the file stays as it is.

      If image automation (Flux) covers the image, the plan warns that it will push the newer tag back, and where the policy says so carries the change that suspends it or pins its policy.

      The plan is printed (\`--format text|markdown|json\`) and, with \`--out\`, saved for \`hotfix apply\`.
    `,
    examples: [
      ['Roll production back to the previous image', '$0 plan rollback --policy policies/api-js.yaml --env production --repo deploy=../deploy --reason "login broken" --out plan.json'],
      ['Roll back to a given tag, as a PR comment', '$0 plan rollback --policy p.yaml --env production --repo deploy=. --to main-f01225d --reason "..." --format markdown'],
    ],
  });

  to = Option.String('--to', { description: 'Roll back to this tag, image or deploying commit instead of the previous one' });
  reason = Option.String('--reason', { description: 'Why; required when the policy says so' });

  protected async run(): Promise<number> {
    const [{ loadPolicy }, { gatherRollbackState }, { planRollback }, { deploymentMatches, isRollbackCandidate, writtenFor }, { VERSION }] = await Promise.all([
      import('../../policy/load-policy.js'),
      import('../../state/gather-rollback.js'),
      import('../../plan/rollback/plan-rollback.js'),
      import('../../plan/rollback/choose-target.js'),
      import('../../version.js'),
    ]);
    if (this.reason !== undefined) checkLine('--reason', this.reason);
    if (this.to !== undefined) checkLine('--to', this.to);
    const overrides = this.overrideRequest();
    const repos = this.repos();
    const cluster = this.clusterSource();
    const loaded = await loadPolicy(this.policyPath, this.context.cwd);
    await prepareLocators(loaded.policy);
    const env = this.chosenEnvironment(loaded.policy);
    const to = this.to;

    const state = await gatherRollbackState({
      policy: loaded.policy,
      environment: env,
      repos,
      // The previous deployment, or as far as it takes to find --to (maxSteps is a rule
      // the planner applies, so a too-distant target is reported as such).
      depth: to === undefined ? 1 : MAX_DEPLOYMENTS_READ,
      counts: isRollbackCandidate,
      ...(to !== undefined ? { stopAt: (d: Parameters<typeof deploymentMatches>[0]) => deploymentMatches(d, to) } : {}),
      ...(to !== undefined && writtenFor(to) ? { writtenAs: writtenFor(to)! } : {}),
      cluster,
    });
    const outcome = planRollback(
      loaded.policy,
      state,
      { kind: 'rollback', environment: env.name, allowDrift: this.allowDrift, ...(this.reason !== undefined ? { reason: this.reason } : {}), ...(to !== undefined ? { to } : {}), ...overrides },
      { now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), toolVersion: VERSION, policyHash: loaded.sha256, ...this.planPaths(loaded.file, repos) },
    );
    return this.finish(outcome, repos);
  }
}
