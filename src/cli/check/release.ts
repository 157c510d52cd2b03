import { Command, Option, UsageError } from 'clipanion';
import { resolve } from 'node:path';
import * as t from 'typanion';
import { HotfixCommand } from '../hotfix-command.js';
import { prepareLocators } from '../prepare-locators.js';
import { quote } from '../plan/option-values.js';
import { parseRepoBindings } from '../repo-bindings.js';
import { EXIT, FAILURE_FORMAT_VERSION } from '../report-failure.js';

const FORMATS = ['text', 'json'] as const;

export class CheckReleaseCommand extends HotfixCommand {
  static override paths = [['check', 'release']];

  static override usage = Command.Usage({
    category: 'Checks',
    description: 'check that a release image holds every hotfix an environment runs',
    details: `
      Before a normal release replaces what production runs, this checks that it does not take a hotfix away. The commit of the release image and of the image the environment runs (the cluster's, or the config's with \`--no-cluster\`) are read the way a hotfix plan reads the deployed one: the policy's \`revisionFrom\` (the image's revision label in the registry, its tag through \`tagFormat\`, a release git tag). The hotfix changes are the commits the running one has beyond the mainline it was cut from; each must be in the release commit by ancestry, by the commit it was picked from, or by patch-id (\`git patch-id --stable\`: a cherry-pick or a squash counts).

      Exit 0 with one line when it holds them all, 2 with an HF380 finding naming each change it lacks, 1 when a commit cannot be known (HF381).
    `,
    examples: [['Before releasing main-4e5f6a7 to production', '$0 check release --policy shop-api.yaml --env production --image registry.example.com/team/shop-api:main-4e5f6a7 --repo app=. --repo deploy=../deploy']],
  });

  policyPath = Option.String('--policy', { required: true, description: 'The policy file' });
  environment = Option.String('--env', { required: true, description: 'The environment whose hotfixes the release must keep' });
  image = Option.String('--image', { required: true, description: 'The release image, name:tag' });
  repoBindings = Option.Array('--repo', [], { description: 'Bind a repository name the policy uses to a path: NAME=PATH (repeatable)' });
  clusterState = Option.String('--cluster-state', { description: 'Read the running image from this file (kubectl get … -o json output) instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Take the image the config declares as the running one' });
  noRegistry = Option.Boolean('--no-registry', false, { description: 'Do not ask the registry for the images\' labels' });
  dockerConfig = Option.String('--docker-config', { description: 'The docker config.json with registry credentials' });
  format = Option.String('--format', 'text', { description: `Output format: ${FORMATS.join(', ')}`, validator: t.isEnum(FORMATS) });

  protected async run(): Promise<number> {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    const [{ loadPolicy }, { gatherEnvironmentFacts }, { runningHotfixRequest }, { gatherRunningHotfix, imageCommit }, { hotfixContainment }, { releaseFindings }, { HotfixError }, { diagnostic }, { parseImageRef }, { chosenEnvironment }] = await Promise.all([
      import('../../policy/load-policy.js'),
      import('../../state/gather-status.js'),
      import('../running-hotfix-request.js'),
      import('../../state/hotfix/running-hotfix.js'),
      import('../../plan/hotfix/hotfix-containment.js'),
      import('../../plan/hotfix/release-findings.js'),
      import('../../diagnostics/errors.js'),
      import('../../diagnostics/diagnostic.js'),
      import('../../patch/image-ref.js'),
      import('../chosen-environment.js'),
    ]);
    const repos = parseRepoBindings(this.repoBindings, this.context.cwd);
    const { policy } = await loadPolicy(this.policyPath, this.context.cwd);
    await prepareLocators(policy);
    const env = chosenEnvironment(policy, this.environment, this.policyPath);
    const release = parseImageRef(this.image);
    if (release.name !== policy.spec.app.image || release.tag === undefined) throw new UsageError(`--image must be ${policy.spec.app.image}:TAG, the policy's app image with a tag, not ${quote(this.image)}`);

    const cluster = this.noCluster ? 'none' : this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live';
    const facts = await gatherEnvironmentFacts(env, policy.spec.app.image, repos, cluster, policy.spec.git?.remote ?? 'origin');
    if (facts.clusterError !== undefined) throw new HotfixError([diagnostic('HF381', `what ${env.name} runs could not be read: ${facts.clusterError}; pass --no-cluster to take the image its config declares`)]);
    const runningImage = facts.cluster?.image ?? facts.declared;
    const request = await runningHotfixRequest(policy, repos, { noRegistry: this.noRegistry, dockerConfig: this.dockerConfig, cwd: this.context.cwd });
    const releaseCommit = await imageCommit(request, this.image);
    const result = hotfixContainment(await gatherRunningHotfix(request, runningImage, releaseCommit.commit ? [releaseCommit] : []));
    const findings = releaseFindings(env.name, releaseCommit, result);

    if (this.format === 'json') {
      const errors = findings.length;
      this.context.stdout.write(`${JSON.stringify({ formatVersion: FAILURE_FORMAT_VERSION, environment: env.name, release: { image: this.image, ...(releaseCommit.commit ? { commit: releaseCommit.commit } : {}) }, running: result, summary: { errors, warnings: 0 }, diagnostics: findings }, null, 2)}\n`);
    } else if (findings.length === 0) {
      this.context.stdout.write(`${this.image} contains every hotfix ${env.name} runs${result.changes.length === 0 ? ` (it runs ${runningImage}, a mainline build)` : ` (${result.changes.map((c) => c.sha.slice(0, 7)).join(', ')})`}\n`);
    } else throw new HotfixError(findings, findings.some((d) => d.code === 'HF381') ? EXIT.failure : EXIT.changes);
    return findings.length === 0 ? EXIT.ok : findings.some((d) => d.code === 'HF381') ? EXIT.failure : EXIT.changes;
  }
}
