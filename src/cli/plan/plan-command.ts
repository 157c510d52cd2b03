import { Option, UsageError } from 'clipanion';
import { randomBytes } from 'node:crypto';
import { lstat, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as t from 'typanion';
import { HotfixError } from '../../diagnostics/errors.js';
import type { PolicyRenderSpec } from '../../plan/render-spec.js';
import type { Plan } from '../../plan/types.js';
import { chosenEnvironment } from '../chosen-environment.js';
import { HotfixCommand } from '../hotfix-command.js';
import { parseRepoBindings } from '../repo-bindings.js';
import { PLAN_FORMATS, renderPlan } from '../render-plan.js';
import { EXIT } from '../report-failure.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { fsErrorWords } from '../../diagnostics/fs-error-words.js';
import type { Environment, Policy } from '../../policy/types.js';
import { checkLine, isFilePath } from './option-values.js';
import type { ClusterSource } from '../../state/cluster/read-cluster.js';

/** Options every `hotfix plan …` command shares, and what they do with the result. */
export abstract class PlanCommand extends HotfixCommand {
  policyPath = Option.String('--policy', { required: true, description: 'The policy file' });
  environment = Option.String('--env', { required: true, description: 'The environment to act on' });
  repoBindings = Option.Array('--repo', [], { description: 'Bind a repository name the policy uses to a path: NAME=PATH (repeatable)' });
  clusterState = Option.String('--cluster-state', { description: 'Read the cluster from this file (kubectl get … -o json output) instead of running kubectl' });
  noCluster = Option.Boolean('--no-cluster', false, { description: 'Do not read the cluster at all' });
  out = Option.String('--out', { description: 'Save the plan as JSON to this file, for hotfix apply', validator: isFilePath });
  format = Option.String('--format', 'text', { description: `Output format: ${PLAN_FORMATS.join(', ')}`, validator: t.isEnum(PLAN_FORMATS) });
  detailedExitcode = Option.Boolean('--detailed-exitcode', false, { description: 'Exit 2 when the plan has changes, 0 when it has none' });
  allowDrift = Option.Boolean('--allow-drift', false, { description: 'Plan even when the cluster runs another image than the config declares' });
  overrides = Option.Array('--override', [], { description: 'Break-glass: lift this rule for this plan only (a code the policy lists under overridable:, e.g. HF305); needs --reason, and the plan and every commit it makes record it (repeatable)' });

  /** The request's `overrides`, given only when --override was: a plan without one has none. */
  protected overrideRequest(): { overrides?: readonly string[] } {
    this.overrides.forEach((code) => checkLine('--override', code));
    return this.overrides.length > 0 ? { overrides: this.overrides } : {};
  }

  /** The policy's environment that --env names. */
  protected chosenEnvironment(policy: Policy): Environment {
    return chosenEnvironment(policy, this.environment, this.policyPath);
  }

  protected repos(): Record<string, string> {
    return parseRepoBindings(this.repoBindings, this.context.cwd);
  }

  /**
   * The policy file and the repositories as the plan stores them: relative to the directory
   * the plan is made in, never absolute, so a plan made in a pull request's job applies in
   * another checkout or runner (apply resolves them from its own directory, or takes
   * --policy and --repo).
   */
  protected planPaths(policyFile: string, repos: Readonly<Record<string, string>>): { policyFile: string; repos: Record<string, string> } {
    const here = (path: string) => relative(this.context.cwd, path) || '.';
    return { policyFile: here(policyFile), repos: Object.fromEntries(Object.entries(repos).map(([name, path]) => [name, here(path)])) };
  }

  protected clusterSource(): ClusterSource {
    if (this.clusterState !== undefined && this.noCluster) throw new UsageError('--cluster-state and --no-cluster cannot be used together');
    if (this.noCluster) return 'none';
    return this.clusterState !== undefined ? { file: resolve(this.context.cwd, this.clusterState) } : 'live';
  }

  /**
   * Checks the plan's config commits render to the intended image (and its pins to the
   * intended ImagePolicy), shows the plan, saves it
   * when asked, and picks the exit code; refusals are errors.
   */
  protected async finish(outcome: { plan?: Plan; diagnostics: readonly Diagnostic[]; policyRenders?: readonly PolicyRenderSpec[] }, repos: Readonly<Record<string, string>>): Promise<number> {
    if (!outcome.plan) throw new HotfixError(outcome.diagnostics);
    const plan = outcome.plan;
    // What show and apply would refuse (a commit message, a file or a name that could steer
    // the terminal) is refused here, before it is printed or saved.
    const { controlCharacterProblem } = await import('../../plan/control-characters.js');
    const control = controlCharacterProblem(plan);
    if (control) throw new HotfixError([diagnostic('HF348', `the plan would hold ${control}, which could rewrite the terminal it is shown on; remove it at its source (a commit message, a config file, a name)`)]);
    // Nor is a plan show and apply would find contradicting itself: what the repository holds
    // (a branch someone pushed) must not make the planner save a plan it refuses later.
    const { planContradictions } = await import('../../apply/plan-consistency.js');
    const contradictions = planContradictions(plan);
    if (contradictions.length > 0) throw new HotfixError(contradictions);
    if (plan.actions.some((a) => a.kind === 'commit' && a.render)) {
      const [{ checkPlanRenders }, { renderFindings }] = await Promise.all([import('../../state/render/check-plan-renders.js'), import('../../plan/render-findings.js')]);
      const findings = renderFindings(await checkPlanRenders(plan, repos));
      if (findings.length > 0) throw new HotfixError(findings);
    }
    if (outcome.policyRenders) {
      const [{ checkPolicyRenders }, { policyRenderFindings }] = await Promise.all([import('../../state/render/check-policy-renders.js'), import('../../plan/render-findings.js')]);
      const findings = policyRenderFindings(await checkPolicyRenders(plan, outcome.policyRenders, repos));
      if (findings.length > 0) throw new HotfixError(findings);
    }
    if (this.out !== undefined) await this.save(plan, this.out);
    this.context.stdout.write(await renderPlan(plan, this.format, this.context));
    if (this.out !== undefined && this.format === 'text') this.context.stdout.write(`\nSaved to ${this.out}. Apply it with: hotfix apply ${this.out}\n`);
    const changes = plan.actions.some((a) => a.kind !== 'open-pull-request');
    return this.detailedExitcode && changes ? EXIT.changes : EXIT.ok;
  }

  /**
   * Writes a temp file beside the target, then renames it over the target, so a
   * half-written plan never exists under the final name. Only a regular file is replaced:
   * renamed over a device, a directory or a link, the plan would take its place.
   */
  private async save(plan: Plan, out: string): Promise<void> {
    const path = resolve(this.context.cwd, out);
    const notSaved = (why: string) => new HotfixError([diagnostic('HF346', `the plan was not saved to ${out}: ${why}`)]);
    const existing = await lstat(path).catch(() => undefined);
    if (existing && !existing.isFile()) throw notSaved('it exists and is not a regular file');
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, JSON.stringify(plan, null, 2) + '\n', { flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      // Best effort: where the temp file could not even be made, there is nothing to remove.
      await rm(temp, { force: true }).catch(() => undefined);
      throw notSaved(await whyNotWritten(error, dirname(path)));
    }
  }
}

/**
 * A failed create says ENOENT both when the directory is missing and where no file can be
 * made (/proc); the directory tells which.
 */
async function whyNotWritten(error: unknown, dir: string): Promise<string> {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fsErrorWords(error);
  const info = await stat(dir).catch(() => undefined);
  return info?.isDirectory() ? `no file can be created in ${dir}` : 'its directory does not exist';
}
