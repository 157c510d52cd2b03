import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { teammateDocuments } from '../../fixtures/moved-branch-commits.js';
import { losesRaceToBranch } from '../../fixtures/racing-push.js';
import type { Plan } from '../../src/plan/types.js';
import { gatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut } from '../helpers/rollback-scenario.js';
import { CLI, hasStackTrace, runCliAsync } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// Issue 15 §1: a merge-back push refused as non-fast-forward is retried once on the fetched
// head. When the retry is refused too (main moved again while it was received), apply stops
// with HF418: what was refused, that nothing of the push landed, and the command that finishes.

const registry = registryForFile(test);
const rev = (repo: string, revision: string) => gitOut(repo, ['rev-parse', revision]).trim();

test('the merge-back push is refused, retried once on the fetched head, refused again: HF418 with a re-plan command that, pasted, finishes the hotfix', async () => {
  const g = await gatedHotfix(registry.host, 71);
  const { s } = g;
  const plan = JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
  const stopped = await runCliAsync(g.args, { cwd: s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);

  // During the gate a teammate documents refunds on main; a second commit of theirs wins the race with apply's retry.
  const teammate = join(s.root, 'teammate');
  spawnSync('git', ['clone', '--quiet', s.appRemote, teammate], { env: isolatedGitEnv() });
  const first = await teammateDocuments(teammate);
  writeFileSync(join(teammate, 'docs', 'refunds.md'), `${readFileSync(join(teammate, 'docs', 'refunds.md'), 'utf8')}\nA refund of a refunded order is refused.\n`);
  gitOut(teammate, ['-c', 'user.name=Dana Weiss', '-c', 'user.email=dana.weiss@shop.example', 'commit', '--quiet', '-am', 'Document refused double refunds']);
  const second = rev(teammate, 'HEAD');
  gitOut(teammate, ['push', '--quiet', 'origin', `${first}:refs/heads/main`, `${second}:refs/heads/teammate/wip`]);
  await losesRaceToBranch(s.appRemote, 'main', second, 1);

  const dev = rev(s.appRemote, 'refs/heads/dev');
  await g.meetGate();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.match(r.stdout, `re-derived: main moved on origin to ${first.slice(0, 7)} while apply ran, so merge-main is `);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF418]'))!;
  assert.ok(line, r.stderr);
  // git's words when the server's ref transaction fails: the whole atomic push is refused.
  assert.ok(line.includes('push to origin was rejected again (refs/heads/dev [remote rejected] (atomic transaction failed); refs/heads/main [remote rejected] (atomic transaction failed))'), line);
  assert.ok(line.includes(`after apply made its commits again on the heads it fetched: main moved again meanwhile, so main does not have this change yet and nothing of this push reached ${s.appRemote}`), line);
  assert.is(rev(s.appRemote, 'refs/heads/main'), second, 'main holds the race winner, not the merge');
  assert.is(rev(s.appRemote, 'refs/heads/dev'), dev, 'the atomic push left dev as it was');
  assert.is(readFileSync(join(s.appRemote, 'hotfix-test-races'), 'utf8').trim(), '1', 'exactly one push reached the remote: the retry');

  // The printed re-plan, pasted into a shell with this build as `hotfix`, then its apply: the hotfix is merged back.
  const replan = /(hotfix plan hotfix .*?--out plan\.json)/.exec(line)?.[1];
  assert.ok(replan, line);
  // As apply's note says of the branches checked out in these clones, which it moved only on the remote.
  assert.match(r.stdout, /note: main is checked out in .*, so only the remote moves \(the push below\); run git pull there afterwards/);
  gitOut(s.configRepo, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
  gitOut(s.appRepo, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
  const bin = join(s.root, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'hotfix'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
  const planned = spawnSync('sh', ['-c', replan!], { cwd: s.root, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '' } });
  assert.is(planned.status, 0, planned.stdout + planned.stderr);
  const finished = await runCliAsync([...g.args.slice(0, -1), join(s.root, 'plan.json')], { cwd: s.root });
  assert.is(finished.code, 0, finished.stdout + finished.stderr);
  const main = rev(s.appRemote, 'refs/heads/main');
  assert.is(rev(s.appRemote, `${main}^1`), second, 'the merge-back sits on the race winner');
});

test.run();
