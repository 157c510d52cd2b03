import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sealPlan } from '../../src/plan/plan-id.js';
import type { Plan } from '../../src/plan/types.js';
import { tempDir } from './temp-dir.js';

const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
const git = (repo: string, ...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();

/**
 * A copy of a scenario's directory, with each clone's origin pointed at the copy's own
 * remote, so one saved plan can be applied to many identical worlds.
 */
export function copyScenario(root: string, clones: ReadonlyArray<{ clone: string; remote: string }>): { root: string; path: (original: string) => string; plan: (file: string) => string } {
  const copy = join(tempDir('hotfix-copy-'), 'world');
  cpSync(root, copy, { recursive: true, verbatimSymlinks: true });
  const path = (original: string) => join(copy, relative(root, original));
  for (const { clone, remote } of clones) git(path(clone), 'remote', 'set-url', 'origin', path(remote));
  return { root: copy, path, plan: (file) => planInCopy(file, root, copy) };
}

/** A saved plan made again for the copy (see rebasePlan), written in the copy. */
function planInCopy(file: string, root: string, copy: string): string {
  const out = join(copy, 'plan-in-copy.json');
  writeFileSync(out, JSON.stringify(rebasePlan(JSON.parse(readFileSync(file, 'utf8')) as Plan, root, copy)));
  return out;
}

/**
 * The plan as made in a copy of its world: every path under the original (repositories, the
 * push URLs it recorded and checks) names the copy's, and the id is sealed again. The push
 * URL is part of what was reviewed, so the same plan cannot push to another world's remote.
 */
export function rebasePlan(plan: Plan, root: string, copy: string): Plan {
  const rewrite = (value: unknown): unknown => {
    if (typeof value === 'string') return value.startsWith(root) ? `${copy}${value.slice(root.length)}` : value;
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v)]));
    return value;
  };
  const { id: _id, ...body } = rewrite(plan) as Plan;
  return sealPlan(body);
}

/** Every ref of every repository, by repository: what "the same final state" means. */
export function allRefs(repos: readonly string[]): string {
  return repos.map((repo) => git(repo, 'for-each-ref', '--format=%(refname) %(objectname)')).join('\n---\n');
}
