import { Command, Option } from 'clipanion';
import { resolve } from 'node:path';
import { PlanCommand } from './plan-command.js';
import { prepareLocators } from '../prepare-locators.js';
import { checkLine, checkPick, checkVersion } from './option-values.js';

export class PlanHotfixCommand extends PlanCommand {
  static override paths = [['plan', 'hotfix']];

  static override usage = Command.Usage({
    category: 'Plans',
    description: 'plan a hotfix of the version an environment runs',
    details: `
      Finds the commit the running image was built from (in the policy's \`revisionFrom\` order: the image's revision label, its tag read through \`tagFormat\`, a release git tag; sources that answer must agree) and plans a hotfix branch there with the picked commits cherry-picked onto it, each predicted clean or refused with the conflicting files, and with the exact ids apply will create.

      Then: a tag, a push, a gate (CI's image of the hotfix head must exist with the right revision label and the required checks must have passed), the environment's config pointed at that image directly (bypassing the environments the policy allows), and merges back into the policy's merge-back branches so the fix cannot regress.

      The reason must be one the policy allows. Without a registry (\`--no-registry\`) or cluster (\`--no-cluster\`, \`--deployed IMAGE\`) the plan still works from the tag and git tags, and says which checks it could not make.
    `,
    examples: [['Hotfix production with a fix already on main', '$0 plan hotfix --policy shop-api.yaml --env production --repo app=. --repo deploy=../deploy --reason payment --pick 1a2b3c4 --out plan.json']],
  });

  reason = Option.String('--reason', { required: true, description: 'Why: one of the policy\'s hotfix.reasons' });
  picks = Option.Array('--pick', [], { description: 'A commit on the mainline to cherry-pick (repeatable, in order)' });
  version = Option.String('--version', { description: 'The hotfix\'s own version, for {version} in the image tag and names (default in names: the deployed version)' });
  deployed = Option.String('--deployed', { description: 'Take this image (name:tag) as the one running, instead of reading the cluster' });
  noRegistry = Option.Boolean('--no-registry', false, { description: 'Do not ask the registry for the image\'s labels' });
  dockerConfig = Option.String('--docker-config', { description: 'The docker config.json with registry credentials' });

  protected async run(): Promise<number> {
    const [{ loadPolicy }, { gatherHotfixState }, { planHotfix }, { decideRevision }, { readImage }, { parseImageRef }, { VERSION }] = await Promise.all([
      import('../../policy/load-policy.js'),
      import('../../state/hotfix/gather-hotfix.js'),
      import('../../plan/hotfix/plan-hotfix.js'),
      import('../../plan/hotfix/decide-revision.js'),
      import('../../state/registry/read-image.js'),
      import('../../patch/image-ref.js'),
      import('../../version.js'),
    ]);
    checkLine('--reason', this.reason);
    this.picks.forEach(checkPick);
    const overrides = this.overrideRequest();
    if (this.version !== undefined) checkVersion(this.version);
    const repos = this.repos();
    const loaded = await loadPolicy(this.policyPath, this.context.cwd);
    await prepareLocators(loaded.policy);
    const env = this.chosenEnvironment(loaded.policy);
    const registry = { ...(this.dockerConfig !== undefined ? { dockerConfig: resolve(this.context.cwd, this.dockerConfig) } : {}) };

    const state = await gatherHotfixState({
      policy: loaded.policy,
      environment: env,
      repos,
      picks: this.picks,
      cluster: this.deployed !== undefined ? 'none' : this.clusterSource(),
      ...(this.deployed !== undefined ? { deployedImage: this.deployed } : {}),
      ...(this.noRegistry ? {} : { readLabels: async (image: string) => (await readImage(parseImageRef(image), registry))?.labels }),
      decide: (answers) => {
        const decision = decideRevision(answers);
        return 'commit' in decision ? decision.commit : undefined;
      },
    });
    const outcome = planHotfix(
      loaded.policy,
      state,
      { kind: 'hotfix', environment: env.name, reason: this.reason, picks: this.picks, ...(this.version !== undefined ? { version: this.version } : {}), ...(this.deployed !== undefined ? { deployed: this.deployed } : {}), ...overrides },
      { now: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), toolVersion: VERSION, policyHash: loaded.sha256, ...this.planPaths(loaded.file, repos) },
      loaded.warnings,
    );
    return this.finish(outcome, repos);
  }
}
