import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { AutomationRepo } from '../../fixtures/automation-scenarios.js';
import type { Plan } from '../../src/plan/types.js';
import { gitOut } from './rollback-scenario.js';
import { runCli, type CliResult } from './run-cli.js';

/** What the automation tests run through the built CLI on the repositories of fixtures/automation-scenarios.ts. */

export type Commit = Extract<Plan['actions'][number], { kind: 'commit' }>;
export const commits = (plan: Plan) => plan.actions.filter((a): a is Commit => a.kind === 'commit');
export const codes = (plan: Plan) => plan.diagnostics.map((d) => d.code);
export const changedLines = (c: Commit) => c.changes.flatMap((ch) => ch.diff.split('\n').filter((l) => /^[+-] /.test(l)));

export function plan(r: AutomationRepo, policy: string, extra: readonly string[] = []): CliResult & { plan: Plan } {
  const out = join(r.root, `plan-${policy}-${Math.random().toString(36).slice(2)}.json`);
  const result = runCli(['plan', 'rollback', '--policy', r.policies[policy]!, '--env', 'production', '--repo', `deploy=${r.repo}`, '--out', out, ...extra], { cwd: r.root });
  if (result.code !== 0 && result.code !== 2) throw new Error(`plan failed (${result.code}): ${result.stderr}${result.stdout}`);
  return { ...result, plan: JSON.parse(readFileSync(out, 'utf8')) as Plan };
}

/** Applies the plan and checks each commit apply made is the one the plan showed. */
export function applied(r: AutomationRepo, p: Plan): Commit[] {
  const file = join(r.root, 'applied.json');
  writeFileSync(file, JSON.stringify(p));
  const result = runCli(['apply', '--auto-approve', file], { cwd: r.root });
  assert.is(result.code, 0, result.stderr);
  for (const c of commits(p)) assert.is(gitOut(r.repo, ['-c', 'core.abbrev=7', 'show', '--format=', c.commit]), c.changes.map((ch) => ch.diff).join(''), `${c.id} is the planned diff`);
  return commits(p);
}

export function status(r: AutomationRepo, policy: string): Array<{ engine: string; name: string; active: boolean; writesBack: boolean; file: string }> {
  const result = runCli(['status', '--policy', r.policies[policy]!, '--repo', `deploy=${r.repo}`, '--no-cluster', '--format', 'json'], { cwd: r.root });
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout).environments[0].automation;
}

export const yamlAt = (r: AutomationRepo, commit: string, file: string) => parse(gitOut(r.repo, ['show', `${commit}:${file}`]));

/**
 * Which tag an ImagePolicy selects, written from Flux's ImagePolicy documentation: the tags
 * filterTags.pattern matches (Go's `(?P<name>` groups), each ordered by what `extract`
 * expands to from the match, then the highest by the policy (semver through the semver
 * package, a range as a constraint; numerical as numbers; alphabetical as strings).
 */
export function fluxSelects(policy: any, tags: readonly string[]): string | undefined {
  const filter = policy.spec.filterTags ?? {};
  const re = new RegExp((filter.pattern ?? '^.*$').replace(/\(\?P</g, '(?<'));
  const candidates = tags.flatMap((tag) => {
    const m = re.exec(tag);
    if (!m) return [];
    const value = filter.extract ? filter.extract.replace(/\$\{?(\w+)\}?/g, (_: string, g: string) => (/^\d+$/.test(g) ? m[Number(g)] : m.groups?.[g]) ?? '') : tag;
    return [{ tag, value: value as string }];
  });
  const p = policy.spec.policy;
  let ordered: Array<{ tag: string; value: string }> = [];
  if (p.semver) ordered = candidates.filter((c) => semver.valid(semver.coerce(c.value)) && semver.satisfies(c.value, p.semver.range, { loose: true })).sort((a, b) => semver.compare(a.value, b.value, true));
  if (p.numerical) ordered = candidates.filter((c) => !Number.isNaN(Number(c.value))).sort((a, b) => (Number(a.value) - Number(b.value)) * (p.numerical.order === 'desc' ? -1 : 1));
  if (p.alphabetical) ordered = [...candidates].sort((a, b) => (a.value < b.value ? -1 : 1) * (p.alphabetical.order === 'desc' ? -1 : 1));
  return ordered.at(-1)?.tag;
}

/**
 * The tags a Flux v1 tag filter lets through, as fluxcd/flux pkg/policy/pattern.go matches
 * them: `glob:` (the default) through ryanuber/go-glob, whose only wildcard is `*`;
 * `semver:` a Masterminds constraint (the semver package here); `regexp:`/`regex:` a
 * regular expression searched in the tag.
 */
export function fluxV1Allows(filter: string, tags: readonly string[]): string[] {
  const [kind, expression] = /^(glob|semver|regexp|regex):/.test(filter) ? [filter.slice(0, filter.indexOf(':')), filter.slice(filter.indexOf(':') + 1)] : ['glob', filter];
  if (kind === 'semver') return tags.filter((t) => semver.valid(t, true) !== null && semver.satisfies(t, expression!, { loose: true }));
  if (kind === 'glob') {
    const re = new RegExp(`^${expression!.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return tags.filter((t) => re.test(t));
  }
  return tags.filter((t) => new RegExp(expression!).test(t));
}
