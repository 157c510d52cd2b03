import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGitopsScenario, type GitopsScenario, type GitopsScenarioOptions } from '../../fixtures/gitops-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { runCli, type CliResult } from './run-cli.js';
import { tempDir } from './temp-dir.js';

export type { GitopsScenario };

export async function scenario(options: GitopsScenarioOptions = {}): Promise<GitopsScenario> {
  return buildGitopsScenario(tempDir(), options);
}

/** git in a scenario repo, isolated from the machine's config. */
export function gitOut(repo: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
}

/** Runs `hotfix plan rollback` in the scenario root with its repo and cluster bound. */
export function planRollback(s: GitopsScenario, extra: string[], options: { policy?: string; cluster?: string[] } = {}): CliResult & { plan?: Plan } {
  const out = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = runCli(
    ['plan', 'rollback', '--policy', options.policy ?? s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, ...(options.cluster ?? ['--cluster-state', s.clusterStateFile]), '--out', out, ...extra],
    { cwd: s.root },
  );
  return r.code === 0 || r.code === 2 ? { ...r, plan: JSON.parse(readFileSync(out, 'utf8')) as Plan } : r;
}

export function applyPlan(s: GitopsScenario, planFile: string, extra: string[] = []): CliResult {
  return runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, ...extra, planFile], { cwd: s.root });
}

/** Every ref of a repository with its value, to prove a refused command changed nothing. */
export function refs(repo: string): string {
  return gitOut(repo, ['for-each-ref', '--format=%(refname) %(objectname)']);
}
