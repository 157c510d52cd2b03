import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { planRollback, refs, type GitopsScenario } from './rollback-scenario.js';
import { hasStackTrace, type CliResult } from './run-cli.js';

/** A rollback plan saved where the CI job keeps it, for hotfix comment and apply --pr. */
export function savedPlan(s: GitopsScenario, name: string, reason: string, policy?: string): Plan {
  const r = planRollback(s, ['--reason', reason], policy ? { policy } : {});
  assert.ok(r.plan, r.stderr);
  writeFileSync(join(s.root, name), JSON.stringify(r.plan));
  return r.plan!;
}

/** No token in any output, no stack trace. */
export function noSecretOut(token: string, ...results: readonly CliResult[]): void {
  for (const r of results) {
    assert.not.ok(`${r.stdout}${r.stderr}`.includes(token), 'the token was printed');
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
}

/** An apply --pr refused with one coded line before it wrote anything: the config repository's refs untouched, its plan not even shown. */
export async function refusedApply(s: GitopsScenario, code: string, token: string, run: () => Promise<CliResult>): Promise<CliResult> {
  const before = refs(s.configRepo);
  const r = await run();
  assert.is(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^error {2}[^\\n]*\\[${code}\\]\\n$`), r.stderr);
  assert.is(refs(s.configRepo), before, 'a refused apply moved a ref');
  assert.not.ok(r.stdout.includes('hotfix will perform'), 'apply went past the approval check');
  noSecretOut(token, r);
  return r;
}
