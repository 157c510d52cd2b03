// Issue 15 in CI as GitHub Actions and GitLab CI run it: the plan job and the apply job each
// start from their own checkout of the remotes (actions/checkout, GitLab's clone), in a
// workspace where each repository is a folder named as the policy binds it, seed 002's
// billing repositories (fixtures/prd-nop-scenario.ts) behind them.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneRepo, git } from '../../fixtures/git.js';
import { buildPrdNopScenario, type PrdNopScenario } from '../../fixtures/prd-nop-scenario.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { pushImage, REVISION } from './push-image.js';
import { runCliAsync, type CliResult } from './run-cli.js';
import { tempDir } from './temp-dir.js';

/** The scenario and the apply job, against the test file's registry (registryForFile: its host is read once it runs). */
export function withRegistry(registry: { readonly host: string }) {
  return {
    /** Seed 002's repositories, production running 1.4.0 from the registry. */
    scenario: async (seed: number): Promise<PrdNopScenario> => {
      const s = await buildPrdNopScenario(tempDir(), registry.host, { seed });
      await pushImage(registry.host, { name: 'billing/service', tag: '1.4.0', labels: { [REVISION]: s.deployed.commit } });
      return s;
    },
    /** The plan job's artifact applied in another job's workspace, once the hotfix image is built. */
    applyIn: async (s: PrdNopScenario, job: Job, plan: Plan, planFile: string, env: Record<string, string> = {}): Promise<CliResult & { file: string }> => {
      const head = (plan.actions.filter((a) => a.kind === 'cherry-pick').pop() as { commit: string }).commit;
      await pushImage(registry.host, { name: 'billing/service', tag: '1.4.1', labels: { [REVISION]: head } });
      const file = join(job.root, 'plan.json');
      if (planFile !== file) writeFileSync(file, readFileSync(planFile));
      writeFileSync(join(job.root, 'policy.yaml'), readFileSync(s.policyFile));
      const r = await runCliAsync(['apply', '--auto-approve', ...bindings, '--cluster-state', s.clusterStateFile, '--check', 'unit', '--check', 'integration-nop', 'plan.json'], { cwd: job.root, env });
      return { ...r, file };
    },
  };
}

export interface Job {
  /** The job's workspace, where it runs hotfix: each repository is checked out in a folder of it named as the policy names it. */
  readonly root: string;
  readonly app: string;
  readonly config: string;
}

/** A CI job's checkouts, as a workflow's two actions/checkout steps make them: the config repo on its default branch (nop) or `configBranch`, the app at the release tag; `options` go to both clones. */
export async function checkout(s: PrdNopScenario, job: string, options: readonly string[] = [], configBranch?: string): Promise<Job> {
  const root = join(s.root, job);
  const app = join(root, 'app');
  const config = join(root, 'deploy');
  await cloneRepo(s.root, s.configRemote, config, [...options, ...(configBranch ? ['--branch', configBranch] : [])]);
  await cloneRepo(s.root, s.appRemote, app, ['--branch', `v${s.deployed.version}`, ...options]);
  return { root, app, config };
}

const bindings = ['--repo', 'app=app', '--repo', 'deploy=deploy', '--policy', 'policy.yaml'];

/** `plan hotfix` of the first fix as 1.4.1, in the job's workspace; the plan is its plan.json. */
export async function planIn(s: PrdNopScenario, job: Job): Promise<CliResult & { plan?: Plan; file: string }> {
  const file = join(job.root, 'plan.json');
  writeFileSync(join(job.root, 'policy.yaml'), readFileSync(s.policyFile));
  const r = await runCliAsync(['plan', 'hotfix', ...bindings, '--env', 'production', '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--version', '1.4.1', '--out', file], { cwd: job.root });
  return r.code === 0 ? { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan } : { ...r, file };
}

/** A teammate's clone of `remote` pushes a commit `subject` that rewrites `path` on `branch` (a new file: from ''), to `branch` or to `pushTo`; returns its id. */
export async function teammatePushes(s: PrdNopScenario, remote: string, branch: string, path: string, edit: (text: string) => string, subject: string, pushTo = branch): Promise<string> {
  const dir = join(s.root, `teammate-${Math.random().toString(36).slice(2)}`);
  await cloneRepo(s.root, remote, dir, ['--branch', branch]);
  const file = join(dir, path);
  writeFileSync(file, edit(existsSync(file) ? readFileSync(file, 'utf8') : ''));
  await git(dir, ['add', '--', path]);
  await git(dir, ['-c', 'user.name=Teammate', '-c', 'user.email=teammate@example.com', 'commit', '--quiet', '-m', subject]);
  await git(dir, ['push', '--quiet', 'origin', `HEAD:refs/heads/${pushTo}`]);
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

export const deployCommit = (plan: Plan) => plan.actions.find((a) => a.kind === 'commit' && a.purpose === 'deploy-hotfix') as Extract<Action, { kind: 'commit' }>;

/** A runbook a teammate adds to prd: a change away from the file the deploy patches. */
export const addRunbook = (s: PrdNopScenario, pushTo?: string) => teammatePushes(s, s.configRemote, 'prd', 'deploy/RUNBOOK.md', () => 'Page the billing on-call before a manual deploy.\n', 'Add a runbook for manual deploys', pushTo);
