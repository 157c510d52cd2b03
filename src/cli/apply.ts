import { Command, Option, UsageError } from 'clipanion';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { HotfixCommand } from './hotfix-command.js';
import { parseRepoBindings } from './repo-bindings.js';
import { renderPlan } from './render-plan.js';
import { EXIT } from './report-failure.js';

export class ApplyCommand extends HotfixCommand {
  static override paths = [['apply']];

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'carry out a saved plan exactly, or refuse',
    details: `
      Checks that the plan is intact (schema, and a body that matches its id) and that every fact it relies on still holds (branch heads, file contents, the running image, the policy, the tool version), then carries out its actions in order. Commits are recomputed from the repository and must come out with the ids the plan names. Refs move by compare-and-swap; pushes are atomic. The working tree, index and stash of your checkout are never touched.

      On a terminal it asks for confirmation; elsewhere pass \`--auto-approve\`.
    `,
    examples: [
      ['Apply after review', '$0 apply plan.json'],
      ['Apply from CI', '$0 apply --auto-approve plan.json'],
      ['Check everything, change nothing', '$0 apply --dry-run plan.json'],
    ],
  });

  autoApprove = Option.Boolean('--auto-approve', false, { description: 'Do not ask for confirmation' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Verify the plan and its preconditions and print what would be done' });
  repoBindings = Option.Array('--repo', [], { description: 'Where a repository is on this machine, if not where the plan was made: NAME=PATH' });
  clusterState = Option.String('--cluster-state', { description: 'Check the running image against this kubectl JSON file instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Do not check the running image' });
  file = Option.String({ name: 'plan.json' });

  protected async run(): Promise<number> {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    const [{ readPlanFile }, { applyPlan }, { HotfixError }, { diagnostic }] = await Promise.all([
      import('../apply/read-plan.js'),
      import('../apply/apply-plan.js'),
      import('../diagnostics/errors.js'),
      import('../diagnostics/diagnostic.js'),
    ]);
    const loaded = await readPlanFile(this.file, this.context.cwd);
    const plan = this.noCluster ? { ...loaded, preconditions: loaded.preconditions.filter((p) => p.kind !== 'running-image') } : loaded;
    if (this.noCluster && plan.preconditions.length !== loaded.preconditions.length) this.context.stderr.write('hotfix: warning: --no-cluster: the running image is not checked\n');
    const repos = { ...plan.repos, ...parseRepoBindings(this.repoBindings, this.context.cwd) };

    this.context.stdout.write(await renderPlan(loaded, 'text', this.context));
    if (!this.dryRun && !this.autoApprove) {
      const isTty = Boolean((this.context.stdin as { isTTY?: boolean }).isTTY);
      if (!isTty) throw new HotfixError([diagnostic('HF405', 'apply needs confirmation: run it on a terminal, or pass --auto-approve')]);
      if (!(await this.confirm())) throw new HotfixError([diagnostic('HF409', 'apply declined; nothing was changed')]);
    }

    await applyPlan(plan, {
      dryRun: this.dryRun,
      log: (line) => this.context.stdout.write(`${line}\n`),
      facts: { repos, cluster: (environment) => this.readCluster(plan.policy.file, environment) },
    });
    this.context.stdout.write(this.dryRun ? '\nDry run: every precondition holds; nothing was changed.\n' : `\nApply complete: ${plan.id}\n`);
    return EXIT.ok;
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
    if (!env?.cluster) return undefined;
    return this.clusterState !== undefined ? cluster.readClusterFile(resolve(this.context.cwd, this.clusterState), env.cluster) : cluster.readClusterLive(env.cluster);
  }
}
