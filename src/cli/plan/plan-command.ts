import { Option, UsageError } from 'clipanion';
import { writeFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as t from 'typanion';
import { HotfixError } from '../../diagnostics/errors.js';
import type { Plan } from '../../plan/types.js';
import { HotfixCommand } from '../hotfix-command.js';
import { parseRepoBindings } from '../repo-bindings.js';
import { PLAN_FORMATS, renderPlan } from '../render-plan.js';
import { EXIT } from '../report-failure.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

/** Options every `hotfix plan …` command shares, and what they do with the result. */
export abstract class PlanCommand extends HotfixCommand {
  policyPath = Option.String('--policy', { required: true, description: 'The policy file' });
  environment = Option.String('--env', { required: true, description: 'The environment to act on' });
  repoBindings = Option.Array('--repo', [], { description: 'Bind a repository name the policy uses to a path: NAME=PATH (repeatable)' });
  clusterState = Option.String('--cluster-state', { description: 'Read the cluster from this file (kubectl get … -o json output) instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Do not read the cluster at all' });
  out = Option.String('--out', { description: 'Save the plan as JSON to this file, for hotfix apply' });
  format = Option.String('--format', 'text', { description: `Output format: ${PLAN_FORMATS.join(', ')}`, validator: t.isEnum(PLAN_FORMATS) });
  detailedExitcode = Option.Boolean('--detailed-exitcode', false, { description: 'Exit 2 when the plan has changes, 0 when it has none' });
  allowDrift = Option.Boolean('--allow-drift', false, { description: 'Plan even when the cluster runs another image than the config declares' });

  protected repos(): Record<string, string> {
    return parseRepoBindings(this.repoBindings, this.context.cwd);
  }

  protected clusterSource(): { file: string } | 'live' | 'none' {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    if (this.noCluster) return 'none';
    return this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live';
  }

  /**
   * Checks the plan's config commits render to the intended image, shows the plan, saves it
   * when asked, and picks the exit code; refusals are errors.
   */
  protected async finish(outcome: { plan?: Plan; diagnostics: readonly Diagnostic[] }, repos: Readonly<Record<string, string>>): Promise<number> {
    if (!outcome.plan) throw new HotfixError(outcome.diagnostics);
    const plan = outcome.plan;
    if (plan.actions.some((a) => a.kind === 'commit' && a.render)) {
      const [{ checkPlanRenders }, { renderFindings }] = await Promise.all([import('../../state/render/check-plan-renders.js'), import('../../plan/render-findings.js')]);
      const findings = renderFindings(await checkPlanRenders(plan, repos));
      if (findings.length > 0) throw new HotfixError(findings);
    }
    if (this.out !== undefined) {
      const path = resolve(this.context.cwd, this.out);
      // Write then rename, so a half-written plan never exists under the final name.
      await writeFile(`${path}.tmp`, JSON.stringify(plan, null, 2) + '\n');
      await rename(`${path}.tmp`, path);
    }
    this.context.stdout.write(await renderPlan(plan, this.format, this.context));
    if (this.out !== undefined && this.format === 'text') this.context.stdout.write(`\nSaved to ${this.out}. Apply it with: hotfix apply ${this.out}\n`);
    const changes = plan.actions.some((a) => a.kind !== 'open-pull-request');
    return this.detailedExitcode && changes ? EXIT.changes : EXIT.ok;
  }
}
