import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { buildAppScenario, type AppScenario } from '../../fixtures/app-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from './push-image.js';
import { runCliAsync } from './run-cli.js';
import { tempDir } from './temp-dir.js';


export interface GatedHotfix {
  readonly s: AppScenario;
  readonly planFile: string;
  /** `hotfix apply` of the plan with the checks it needs; it stops at the gate until `meetGate`. */
  readonly args: readonly string[];
  /** Pushes the image CI would build from the hotfix branch, which is what the gate waits for. */
  readonly meetGate: () => Promise<void>;
}

/**
 * A hotfix plan saved for apply, on a scenario whose deployed image is in the registry;
 * `prepare` changes the scenario (its policy, its remotes) before the plan is made.
 */
export async function gatedHotfix(registryHost: string, seed: number, prepare?: (s: AppScenario) => Promise<void>): Promise<GatedHotfix> {
  const s = await buildAppScenario(tempDir(), registryHost, { seed });
  await pushImage(registryHost, { name: 'team/shop-api', tag: s.deployed.tag, labels: { [REVISION]: s.deployed.commit } });
  await prepare?.(s);
  const planFile = join(s.root, 'plan.json');
  const planned = await runCliAsync(['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${s.appRepo}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', planFile], { cwd: s.root });
  assert.is(planned.code, 0, planned.stderr);
  const meetGate = async () => {
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
    const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
    await pushImage(registryHost, { name: 'team/shop-api', tag: plan.target.image.split(':').pop()!, labels: { [REVISION]: head } });
  };
  return { s, planFile, args: ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'smoke', planFile], meetGate };
}
