import { Command, Option, UsageError } from 'clipanion';
import { resolve } from 'node:path';
import * as t from 'typanion';
import { HotfixCommand } from './hotfix-command.js';
import { prepareLocators } from './prepare-locators.js';
import { quote } from './plan/option-values.js';
import { parseRepoBindings } from './repo-bindings.js';
import { EXIT } from './report-failure.js';

const FORMATS = ['text', 'json'] as const;

export class StatusCommand extends HotfixCommand {
  static override paths = [['status']];

  static override usage = Command.Usage({
    description: 'show what each environment declares and runs',
    details: 'Per environment: the image the config declares, the image the cluster runs (tag, digest), the app commit behind it where the tag tells, drift, rollout health, and whether image automation is active for it.',
    examples: [['Status of production from a saved kubectl output', '$0 status --policy policies/api-js.yaml --env production --repo deploy=../deploy --cluster-state cluster.json']],
  });

  policyPath = Option.String('--policy', { required: true, description: 'The policy file' });
  environment = Option.String('--env', { description: 'Only this environment' });
  repoBindings = Option.Array('--repo', [], { description: 'Bind a repository name the policy uses to a path: NAME=PATH (repeatable)' });
  clusterState = Option.String('--cluster-state', { description: 'Read the cluster from this file (kubectl get … -o json output) instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Do not read the cluster' });
  format = Option.String('--format', 'text', { description: `Output format: ${FORMATS.join(', ')}`, validator: t.isEnum(FORMATS) });

  protected async run(): Promise<number> {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    const [{ loadPolicy }, { gatherEnvironmentFacts }, { environmentStatus }, { HotfixError }, { diagnostic }] = await Promise.all([
      import('../policy/load-policy.js'),
      import('../state/gather-status.js'),
      import('../plan/environment-status.js'),
      import('../diagnostics/errors.js'),
      import('../diagnostics/diagnostic.js'),
    ]);
    const repos = parseRepoBindings(this.repoBindings, this.context.cwd);
    const { policy } = await loadPolicy(this.policyPath, this.context.cwd);
    await prepareLocators(policy);
    const envs = policy.spec.environments.filter((e) => this.environment === undefined || e.name === this.environment);
    if (envs.length === 0) throw new HotfixError([diagnostic('HF302', `environment ${quote(this.environment ?? '')} is not declared in ${this.policyPath}`)]);
    const cluster = this.noCluster ? 'none' : this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live';

    const statuses = [];
    for (const env of envs) statuses.push(environmentStatus(policy, env, await gatherEnvironmentFacts(env, policy.spec.app.image, repos, cluster)));
    if (this.format === 'json') this.context.stdout.write(JSON.stringify({ formatVersion: '1.0', policy: policy.metadata.name, environments: statuses }, null, 2) + '\n');
    else {
      const [{ renderStatusText }, { styleFor }] = await Promise.all([import('../render/status-text.js'), import('../render/style.js')]);
      this.context.stdout.write(renderStatusText(policy.metadata.name, statuses, styleFor(this.context.stdout, this.context.env)));
    }
    return EXIT.ok;
  }
}
