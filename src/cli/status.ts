import { Command, Option, UsageError } from 'clipanion';
import { resolve } from 'node:path';
import * as t from 'typanion';
import type { EnvironmentStatus } from '../plan/environment-status.js';
import type { Policy } from '../policy/types.js';
import { HotfixCommand } from './hotfix-command.js';
import { prepareLocators } from './prepare-locators.js';
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
  detailedExitcode = Option.Boolean('--detailed-exitcode', false, { description: 'Exit 2 when an environment drifts from its config, rolls out unhealthy, or runs a hotfix change the mainline or a merge-back branch lacks; 1 when the cluster could not be read' });
  noRegistry = Option.Boolean('--no-registry', false, { description: 'Do not ask the registry for the running image\'s labels' });
  dockerConfig = Option.String('--docker-config', { description: 'The docker config.json with registry credentials' });

  protected async run(): Promise<number> {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    const [{ loadPolicy }, { gatherEnvironmentFacts }, { environmentStatus, statusVerdict }, { chosenEnvironment }] = await Promise.all([
      import('../policy/load-policy.js'),
      import('../state/gather-status.js'),
      import('../plan/environment-status.js'),
      import('./chosen-environment.js'),
    ]);
    const repos = parseRepoBindings(this.repoBindings, this.context.cwd);
    const { policy } = await loadPolicy(this.policyPath, this.context.cwd);
    await prepareLocators(policy);
    const envs = this.environment === undefined ? policy.spec.environments : [chosenEnvironment(policy, this.environment, this.policyPath)];
    const cluster = this.noCluster ? 'none' : this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live';

    // Whether what runs is in the mainline and every merge-back branch needs the app repository: shown when it is bound.
    const hotfixes = Object.hasOwn(repos, policy.spec.app.repo) ? await this.hotfixReader(policy, repos) : undefined;
    const statuses: EnvironmentStatus[] = [];
    for (const env of envs) {
      const status = environmentStatus(policy, env, await gatherEnvironmentFacts(env, policy.spec.app.image, repos, cluster));
      statuses.push(hotfixes ? { ...status, hotfix: await hotfixes(status.running?.image ?? status.declared) } : status);
    }
    if (this.format === 'json') this.context.stdout.write(JSON.stringify({ formatVersion: '1.0', policy: policy.metadata.name, environments: statuses }, null, 2) + '\n');
    else {
      const [{ renderStatusText }, { styleFor }] = await Promise.all([import('../render/status-text.js'), import('../render/style.js')]);
      this.context.stdout.write(renderStatusText(policy.metadata.name, statuses, styleFor(this.context.stdout, this.context.env)));
    }
    if (!this.detailedExitcode) return EXIT.ok;
    const verdict = statusVerdict(statuses);
    return verdict === 'unreadable' ? EXIT.failure : verdict === 'attention' ? EXIT.changes : EXIT.ok;
  }

  private async hotfixReader(policy: Policy, repos: Readonly<Record<string, string>>) {
    const [{ runningHotfixRequest }, { gatherRunningHotfix }, { hotfixContainment, mergeBackBranches }] = await Promise.all([
      import('./running-hotfix-request.js'),
      import('../state/hotfix/running-hotfix.js'),
      import('../plan/hotfix/hotfix-containment.js'),
    ]);
    const request = await runningHotfixRequest(policy, repos, { noRegistry: this.noRegistry, dockerConfig: this.dockerConfig, cwd: this.context.cwd });
    const targets = mergeBackBranches(policy).map((branch) => ({ branch }));
    return async (image: string) => hotfixContainment(await gatherRunningHotfix(request, image, targets));
  }
}
