import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §2 from a shallow clone: the first apply stopped at the gate after pushing the
// hotfix branch and tag; the job that re-plans checks the app out as CI does by default
// (actions/checkout: fetch-depth 1, one commit; GitLab: GIT_DEPTH). Its history stops short
// of the deployed commit and the picks, where git answers merge bases and patch-ids wrongly
// instead of failing, so plan hotfix refuses in one line saying to fetch the whole history;
// after `git fetch --unshallow` it adopts the branch and tag.

const registry = registryForFile(test);

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, env: isolatedGitEnv(), encoding: 'utf8' });
  assert.is(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('a shallow clone (depth 1, one branch or all) is refused in one line naming fetch-depth: 0; unshallowed, the re-plan adopts the pushed hotfix branch and tag', async () => {
  const g = await gatedHotfix(registry.host, 96);
  const { s } = g;
  const stopped = await runCliAsync(g.args, { cwd: s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);
  const first = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const branch = (first.actions.find((a) => a.kind === 'create-branch') as Extract<Action, { kind: 'create-branch' }>).branch;
  const tip = git(s.appRemote, ['rev-parse', `refs/heads/${branch}`]).trim();

  const planArgs = (app: string, out: string) => ['plan', 'hotfix', '--policy', s.policyFile, '--env', 'production', '--repo', `app=${app}`, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--reason', 'payment', '--pick', s.fixes[0]!.commit, '--out', out];
  // file:// so that --depth is honoured (a local path clones by hard links, whole).
  for (const [name, options] of [['one-branch', ['--depth', '1']], ['all-branches', ['--depth', '1', '--no-single-branch']]] as const) {
    const runner = join(s.root, name, 'app');
    git(s.root, ['clone', '--quiet', ...options, `file://${s.appRemote}`, runner]);
    assert.is(git(runner, ['rev-parse', '--is-shallow-repository']).trim(), 'true');
    const out = join(s.root, `${name}.json`);
    const refused = await runCliAsync(planArgs(runner, out), { cwd: s.root });
    assert.is(refused.code, 1, `${name}: ${refused.stdout}${refused.stderr}`);
    assert.not.ok(hasStackTrace(refused.stderr), refused.stderr);
    const lines = refused.stderr.trim().split('\n');
    assert.is(lines.length, 1, `${name}: ${refused.stderr}`);
    assert.match(lines[0]!, new RegExp(`^error  app \\(${runner.replace(/[/.]/g, '\\$&')}\\) is a shallow clone, .*: fetch the whole history there \\(git fetch --unshallow; in GitHub Actions actions/checkout with fetch-depth: 0, in GitLab CI GIT_DEPTH: 0\\) and plan again  \\[HF390\\]$`));
    assert.not.ok(existsSync(out), `${name}: no plan is written`);
  }

  const runner = join(s.root, 'all-branches', 'app');
  git(runner, ['fetch', '--quiet', '--unshallow', '--tags', 'origin']);
  const out = join(s.root, 'unshallowed.json');
  const adopted = await runCliAsync(planArgs(runner, out), { cwd: s.root });
  assert.is(adopted.code, 0, adopted.stdout + adopted.stderr);
  const plan = JSON.parse(readFileSync(out, 'utf8')) as Plan;
  const made = plan.actions.find((a) => a.kind === 'create-branch' && a.branch === branch) as Extract<Action, { kind: 'create-branch' }> | undefined;
  assert.is(made?.from, tip, 'the local hotfix branch is made at the pushed tip');
  assert.not.ok(plan.actions.some((a) => a.kind === 'cherry-pick' || a.kind === 'tag'), 'neither the pick nor the tag is made again');
  assert.is((plan.actions.find((a) => a.kind === 'gate') as Extract<Action, { kind: 'gate' }>).revision, tip);
  assert.is(plan.target.image, first.target.image);
});

test.run();
