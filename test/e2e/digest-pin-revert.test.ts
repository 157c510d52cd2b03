import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildUnpinnedBumpScenario, CART, CART_FILE, HAND_BUMP, PINNED, WORKER, WORKER_FILE, type DigestPolicy, type UnpinnedBumpScenario } from '../../fixtures/unpinned-bump-scenario.js';
import type { Plan } from '../../src/plan/types.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

// A hand bump that left Renovate's digest pin off (the file unpinned now, the target pinned
// when it was deployed), rolled back through the built CLI: a revert is a revert, so under
// config.digest update the pin comes back byte for byte; keep (no digest to keep now) and
// drop write the tag alone and say so as a set-previous. Either way the plan's header names
// the image its diff writes. Both a kustomization images entry and Helm values.

let built: Promise<UnpinnedBumpScenario> | undefined;
const scenario = () => (built ??= buildUnpinnedBumpScenario(tempDir()));

type Commit = Extract<Plan['actions'][number], { kind: 'commit' }>;
const CASES = [
  { app: 'cart', image: CART, file: CART_FILE, key: 'newTag' },
  { app: 'worker', image: WORKER, file: WORKER_FILE, key: 'tag' },
] as const;

function planned(s: UnpinnedBumpScenario, app: 'cart' | 'worker', digest: DigestPolicy): CliResult & { plan: Plan; file: string } {
  const file = join(s.root, `plan-${app}-${digest}.json`);
  const r = runCli(['plan', 'rollback', '--policy', s.policies[app][digest], '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--no-cluster', '--out', file], { cwd: s.root });
  assert.is(r.code, 0, `${r.stdout}\n${r.stderr}`);
  return { ...r, file, plan: JSON.parse(readFileSync(file, 'utf8')) as Plan };
}

/** The value the diff writes for `key`, read from its one added line. */
function written(commit: Commit, key: string): string {
  const added = commit.changes.flatMap((c) => c.diff.split('\n')).filter((l) => l.startsWith('+ ') || (l.startsWith('+') && !l.startsWith('+++')));
  assert.is(added.length, 1, added.join('\n'));
  const m = new RegExp(`^\\+\\s+${key}: (\\S+)$`).exec(added[0]!);
  assert.ok(m, added[0]);
  return m![1]!;
}

for (const { app, image, file, key } of CASES) {
  test(`${app}: under config.digest update the revert puts the digest pin back, the file as it was before the hand bump; header and diff agree`, async () => {
    const s = await scenario();
    const r = planned(s, app, 'update');
    assert.is(r.plan.deployed.image, `${image}:${HAND_BUMP[app]}`);
    assert.is(r.plan.target.image, `${image}:${PINNED[app]}`);
    const commit = r.plan.actions.find((a): a is Commit => a.kind === 'commit')!;
    assert.is(commit.purpose, 'revert');
    assert.is(written(commit, key), PINNED[app]);
    assert.equal(r.plan.diagnostics.map((d) => d.code), []);
    assert.ok(r.stdout.includes(`  roll back to  ${image}:${PINNED[app]}\n`), `the text header names the pinned image:\n${r.stdout}`);
    const applied = runCli(['apply', '--auto-approve', r.file], { cwd: s.root });
    assert.is(applied.code, 0, applied.stderr);
    const branch = r.plan.actions.find((a) => a.kind === 'create-branch')!.branch;
    assert.is(gitOut(s.configRepo, ['show', `${branch}:${file}`]), s.beforeBump[app], 'byte for byte the file before the hand bump, as git revert gives it');
    // The other tests plan the same rollback from the shared repository.
    gitOut(s.configRepo, ['branch', '-D', branch]);
  });

  for (const digest of ['keep', 'drop'] as const)
    test(`${app}: under config.digest ${digest} the tag alone is written, a set-previous, and the header says that image`, async () => {
      const s = await scenario();
      const r = planned(s, app, digest);
      const tag = PINNED[app].split('@')[0]!;
      assert.is(r.plan.target.image, `${image}:${tag}`);
      const commit = r.plan.actions.find((a): a is Commit => a.kind === 'commit')!;
      assert.is(commit.purpose, 'set-previous');
      assert.is(written(commit, key), tag);
      // Nothing pins the bad image now, so keeping "the digest text" keeps none: no HF360.
      assert.equal(r.plan.diagnostics.map((d) => d.code), []);
      assert.ok(r.stdout.includes(`  roll back to  ${image}:${tag}\n`), r.stdout);
      assert.not.ok(r.stdout.includes(PINNED[app]), `no digest shown that the diff does not write:\n${r.stdout}`);
    });
}

test.run();
