import { Command, Option, UsageError } from 'clipanion';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import * as t from 'typanion';
import type { EnvironmentStatus } from '../plan/environment-status.js';
import type { FleetService } from '../plan/fleet-status.js';
import type { Environment, Policy } from '../policy/types.js';
import type { ClusterSource } from '../state/cluster/read-cluster.js';
import { HotfixCommand } from './hotfix-command.js';
import { parseRepoBindings } from './repo-bindings.js';
import { EXIT } from './report-failure.js';

const FORMATS = ['text', 'json'] as const;

export class StatusCommand extends HotfixCommand {
  static override paths = [['status']];

  static override usage = Command.Usage({
    description: 'show what each environment declares and runs',
    details: `
      Per environment: the image the config declares, the image the cluster runs (tag, digest), the app commit behind it where the tag tells, drift, rollout health, whether image automation is active for it, and (with the app repository bound) whether a hotfix it runs is merged back.

      \`--policy\` takes one policy file, or a directory of policies (a monorepo's, found as \`hotfix lint DIR\` finds them): then every service and environment is one row of a table, ordered by service and then environment. Each repository is read once however many policies name it, and the cluster once per context and namespace (one \`kubectl proxy\` per context, and through it a list of each workload kind and of pods per namespace, four at a time). A policy that fails to load, or an environment that cannot be read, is a row saying why, with its code.

      From apply's journals in the bound repositories it also shows the pull requests \`apply --open-prs\` opened, who approved each applied plan (\`apply --pr\`; approvers are kept there, never as commit trailers, which would change the planned commit ids), and the gates a hotfix waits at for checks a forge reports. With \`--forge\` it asks the forge where each pull request stands (open, merged, closed) and each waiting check's state now, with the token and address apply uses; a forge it has no token for is not asked, and it says so once. \`--forge\` works with a directory too: after the table, each policy with anything journalled shows its pull requests, approvals and gates; one client per forge for all of them, one request per pull request, none for a policy with nothing journalled. A record the forge cannot answer for says so with its code (HF523, or the gate's HF513 or HF514), and the rest is shown; the exit status is the same as without \`--forge\`.

      Exit status with \`--detailed-exitcode\`: 0 when everything shown is aligned and healthy, 2 when an environment drifts from its config, rolls out unhealthy, or runs a hotfix change the mainline or a merge-back branch lacks, 1 when anything could not be read (a policy, a config, the cluster).
    `,
    examples: [
      ['Status of production from a saved kubectl output', '$0 status --policy policies/api-js.yaml --env production --repo deploy=../deploy --cluster-state cluster.json'],
      ['Every service of a monorepo, from the live cluster, for a script', '$0 status --policy services/ --repo deploy=../gitops --repo app=. --detailed-exitcode'],
      ['The pull requests apply opened, and the checks a hotfix waits for, as GitHub says now', '$0 status --policy policies/api-js.yaml --repo app=. --repo deploy=../deploy --forge'],
      ['Every service\'s pull requests and waiting gates, as GitHub says now', '$0 status --policy services/ --repo deploy=../gitops --repo app=. --no-cluster --forge'],
      ['Production of every service, as JSON', '$0 status --policy services/ --env production --repo deploy=../gitops --format json'],
    ],
  });

  policyPath = Option.String('--policy', { required: true, description: 'The policy file, or a directory of policies' });
  environment = Option.String('--env', { description: 'Only this environment' });
  repoBindings = Option.Array('--repo', [], { description: 'Bind a repository name the policy uses to a path: NAME=PATH (repeatable)' });
  clusterState = Option.String('--cluster-state', { description: 'Read the cluster from this file (kubectl get … -o json output) instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Do not read the cluster' });
  format = Option.String('--format', 'text', { description: `Output format: ${FORMATS.join(', ')}`, validator: t.isEnum(FORMATS) });
  detailedExitcode = Option.Boolean('--detailed-exitcode', false, { description: 'Exit 2 when an environment drifts from its config, rolls out unhealthy, or runs a hotfix change the mainline or a merge-back branch lacks; 1 when anything could not be read' });
  noRegistry = Option.Boolean('--no-registry', false, { description: 'Do not ask the registry for the running image\'s labels' });
  dockerConfig = Option.String('--docker-config', { description: 'The docker config.json with registry credentials' });
  forge = Option.Boolean('--forge', false, { description: 'Ask the forge (GitHub, GitLab) where the pull requests apply opened stand (open, merged, closed), and the state of each check a hotfix waits for at its gate; given a directory, for every policy in it' });
  tokenEnv = Option.String('--token-env', { description: 'With --forge: the environment variable that holds the token (default: GITHUB_TOKEN; GitLab: GITLAB_TOKEN, else CI_JOB_TOKEN)' });
  apiUrl = Option.String('--api-url', { description: 'With --forge: the GitHub API (default: $GITHUB_API_URL, else https://api.github.com)' });
  forgeUrl = Option.String('--forge-url', { description: 'With --forge: the GitLab instance (default: the pull request\'s, else $CI_SERVER_URL)' });

  protected async run(): Promise<number> {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    if (!this.forge && [this.tokenEnv, this.apiUrl, this.forgeUrl].some((o) => o !== undefined)) throw new UsageError('--token-env, --api-url and --forge-url go with --forge: they say how to ask the forge');
    const [{ gatherFleetStatus }, { fleetVerdict }] = await Promise.all([import('./fleet-status.js'), import('../plan/fleet-status.js')]);
    const repos = parseRepoBindings(this.repoBindings, this.context.cwd);
    const cluster: ClusterSource = this.noCluster ? 'none' : this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live';
    const fleet = isDirectory(resolve(this.context.cwd, this.policyPath));
    const { policies, unreadable, environments } = fleet ? await this.loadFleet() : await this.loadOne();
    const gathered = await gatherFleetStatus({ policies, environments, repos, cluster, noRegistry: this.noRegistry, dockerConfig: this.dockerConfig, cwd: this.context.cwd, history: !fleet });
    const services: FleetService[] = [...gathered, ...unreadable.map((d) => ({ file: d.file ?? this.policyPath, environments: [], unreadable: d }))];
    if (fleet) this.context.stdout.write(await this.renderFleet(services, repos));
    else this.context.stdout.write(await this.renderOne(services[0]!, repos));
    if (!this.detailedExitcode) return EXIT.ok;
    const verdict = fleetVerdict(services);
    return verdict === 'unreadable' ? EXIT.failure : verdict === 'attention' ? EXIT.changes : EXIT.ok;
  }

  /** One file: any lint error refuses it, as a plan would. */
  private async loadOne() {
    const [{ loadPolicy }, { chosenEnvironment }] = await Promise.all([import('../policy/load-policy.js'), import('./chosen-environment.js')]);
    const { policy, file } = await loadPolicy(this.policyPath, this.context.cwd);
    const chosen = this.environment === undefined ? policy.spec.environments : [chosenEnvironment(policy, this.environment, this.policyPath)];
    return { policies: [{ file, policy }], unreadable: [], environments: () => chosen };
  }

  /** A directory: each file that fails to load is a row of its own. */
  private async loadFleet() {
    const [{ loadPolicies }, { fleetEnvironments }] = await Promise.all([import('../policy/load-policies.js'), import('./fleet-environments.js')]);
    const loaded = await loadPolicies([this.policyPath], this.context.cwd);
    const environments: (policy: Policy) => readonly Environment[] = fleetEnvironments(loaded, this.policyPath, this.environment);
    return { ...loaded, environments };
  }

  private async renderOne(service: FleetService, repos: Record<string, string>): Promise<string> {
    const { isUnreadable } = await import('../plan/fleet-status.js');
    // One policy's status is what it always was: an environment that cannot be read refuses the run, as a plan would.
    const refused = service.environments.filter(isUnreadable);
    if (refused.length > 0) throw new (await import('../diagnostics/errors.js')).HotfixError(refused.map((e) => e.unreadable));
    const statuses = service.environments as readonly EnvironmentStatus[];
    const journal = await (await import('./status-journal.js')).journalStatus(repos, service.name!, this.environment);
    const forge = this.forge ? await (await import('./status-forge.js')).askForge(journal, this.forgeAccess(), this.context.env) : undefined;
    if (this.format === 'json') return JSON.stringify({ formatVersion: '1.0', policy: service.name, environments: statuses, ...(await import('./status-journal-json.js')).journalStatusJson(journal, forge) }, null, 2) + '\n';
    const [{ renderStatusText }, { styleFor }, { journalStatusLines }] = await Promise.all([import('../render/status-text.js'), import('../render/style.js'), import('./status-journal-lines.js')]);
    const journalled = journalStatusLines(journal, forge);
    return renderStatusText(service.name!, statuses, styleFor(this.context.stdout, this.context.env)) + (journalled.length > 0 ? `${journalled.join('\n')}\n` : '');
  }

  /** The table (or JSON); with --forge, each policy's journal after it, asked of the forges in one go. */
  private async renderFleet(services: readonly FleetService[], repos: Record<string, string>): Promise<string> {
    const forge = this.forge ? { status: await (await import('./status-fleet-forge.js')).fleetForgeStatus(services, repos, this.environment, this.forgeAccess(), this.context.env), ...(await import('./status-fleet-journal.js')) } : undefined;
    if (this.format === 'json') return JSON.stringify({ formatVersion: '1.0', ...(forge ? forge.fleetJournalJson(services, forge.status) : { services }) }, null, 2) + '\n';
    const [{ renderFleetTable }, { styleFor }] = await Promise.all([import('../render/fleet-status-table.js'), import('../render/style.js')]);
    const table = renderFleetTable(services, styleFor(this.context.stdout, this.context.env));
    return forge ? `${table}${forge.fleetJournalLines(services, forge.status).join('\n')}\n` : table;
  }

  private forgeAccess() {
    return { tokenEnv: this.tokenEnv, apiUrl: this.apiUrl, forgeUrl: this.forgeUrl };
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // loadPolicy says why the path cannot be read
  }
}
