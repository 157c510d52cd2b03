import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedGitEnv } from '../../fixtures/git.js';
import { fluxBumpsWorker, landsOnNextPush, teammateDocuments, teammateMovesImage, teammateReleases, teammateRoundsHalfEven } from '../../fixtures/moved-branch-commits.js';
import type { Action, Plan } from '../../src/plan/types.js';
import { gatedHotfix, type GatedHotfix } from '../helpers/gated-hotfix.js';
import { gitOut, refs } from '../helpers/rollback-scenario.js';
import { CLI, hasStackTrace, runCliAsync, startCli } from '../helpers/run-cli.js';
import { registryForFile } from '../helpers/test-registry.js';

// An incident is not a lab: while apply waits at the gate for CI's image, Flux and teammates
// push to the config branch and to main. Apply makes the deploy commit and the merge-backs
// again on the new heads when the reviewed change comes out identical there (the diff byte
// for byte, the merge clean with exactly the hotfix's commits), says so and journals it;
// otherwise it refuses before writing, naming the commits and files, and the command to run.

const registry = registryForFile(test);

type Commit = Extract<Action, { kind: 'commit' }>;
type Merge = Extract<Action, { kind: 'merge' }>;
const planOf = (g: GatedHotfix) => JSON.parse(readFileSync(g.planFile, 'utf8')) as Plan;
const actionOf = <T extends Action>(plan: Plan, id: string) => plan.actions.find((a) => a.id === id) as T;
const rev = (repo: string, revision: string) => gitOut(repo, ['rev-parse', revision]).trim();
const short = (sha: string) => sha.slice(0, 7);
const journalOf = (g: GatedHotfix, plan: Plan) => JSON.parse(readFileSync(join(g.s.appRepo, '.git', 'hotfix', 'journal', `${plan.id.slice('sha256:'.length)}.json`), 'utf8')) as { rederived?: unknown };

/** The first apply, stopped at the gate: the hotfix branch and tag are made and pushed. */
async function stoppedAtGate(seed: number): Promise<GatedHotfix & { plan: Plan }> {
  const g = await gatedHotfix(registry.host, seed);
  const stopped = await runCliAsync(g.args, { cwd: g.s.root });
  assert.is(stopped.code, 3, stopped.stdout + stopped.stderr);
  return { ...g, plan: planOf(g) };
}

/** A clone of a bare remote for someone else (Flux, a teammate) who pushes to it. */
function cloneOf(remote: string, dir: string): string {
  spawnSync('git', ['clone', '--quiet', remote, dir], { env: isolatedGitEnv() });
  return dir;
}

/** Runs a command apply printed exactly as printed, in a shell, with `hotfix` on PATH being this build. */
function runPrinted(command: string, cwd: string): { code: number | null; out: string } {
  const bin = join(cwd, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'hotfix'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} "$@"\n`, { mode: 0o755 });
  const r = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8', env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

/**
 * The apply after the gate, during which a teammate's commit, made by `commit` in a clone of
 * the app's remote, lands on its main: between apply's deploy push and its merge-back push.
 */
async function landingDuringApply(seed: number, commit: (clone: string) => Promise<string>) {
  const g = await stoppedAtGate(seed);
  const { s } = g;
  const teammate = cloneOf(s.appRemote, join(s.root, 'teammate'));
  const landed = await commit(teammate);
  gitOut(teammate, ['push', '--quiet', 'origin', 'HEAD:refs/heads/teammate/wip']);
  await landsOnNextPush(s.configRemote, s.appRemote, 'main', landed);
  await g.meetGate();
  return { ...g, landed, r: await runCliAsync(g.args, { cwd: s.root }) };
}

/** The re-plan command an HF417 or HF418 names. */
const replanIn = (stderr: string) => /(hotfix plan hotfix .*?--out plan\.json)/.exec(stderr)?.[1];

test('Flux pushes to the config branch while apply waits at the gate: the push is refused as non-fast-forward, the deploy is made again on the new head with the reviewed diff byte for byte, printed, journalled and shown', async () => {
  const g = await gatedHotfix(registry.host, 61);
  const { s } = g;
  const plan = planOf(g);
  const deploy = actionOf<Commit>(plan, 'deploy-hotfix');
  assert.equal(deploy.rederive?.when, 'if-branch-moves', 'the plan says the deploy commit may be made again');
  const running = startCli([...g.args.slice(0, -1), '--wait', '10m', g.planFile], { cwd: s.root });
  await running.printed(/waiting: /);
  // Flux runs in the cluster: it pushes from a clone of its own, the apply's checkout stays behind.
  const flux = cloneOf(s.configRemote, join(s.root, 'flux'));
  const bump = await fluxBumpsWorker(flux);
  gitOut(flux, ['push', '--quiet', 'origin', 'main']);
  await g.meetGate();
  const r = await running.result;
  assert.is(r.code, 0, r.stdout + r.stderr);

  const applied = rev(s.configRemote, 'refs/heads/main');
  assert.is.not(applied, deploy.commit);
  assert.is(rev(s.configRemote, `${applied}^`), bump, 'the deploy sits on Flux\'s commit');
  assert.is(gitOut(s.configRemote, ['-c', 'core.abbrev=7', 'diff', bump, applied]), deploy.changes.map((c) => c.diff).join(''), 'the applied diff is the reviewed one, byte for byte');
  assert.is(gitOut(s.configRemote, ['cat-file', 'commit', applied]).split('\n\n').slice(1).join('\n\n'), deploy.message, 'the same message and trailers');
  assert.match(r.stdout, `re-derived: main moved on origin to ${short(bump)} while apply ran, so deploy-hotfix is ${short(applied)} on it instead of ${short(deploy.commit)}`);
  assert.equal(journalOf(g, plan).rederived, [{ action: 'deploy-hotfix', planned: deploy.commit, applied, onto: bump }]);

  const shown = await runCliAsync(['show', g.planFile], { cwd: s.root });
  assert.is(shown.code, 0, shown.stderr);
  assert.ok(shown.stdout.includes(`deploy-hotfix was applied as ${applied} on ${bump}, not as the planned ${deploy.commit}`), shown.stdout);
  assert.match(shown.stdout, /ids\s+exact: pick-1, tag; re-derived only if their branch moves: deploy-hotfix, merge-main/);
  const done = await runCliAsync(g.args, { cwd: s.root });
  assert.is(done.code, 0, done.stdout + done.stderr);
  assert.match(done.stdout, /Nothing to do: this plan was applied completely before/);
});

test('killed after the deploy was made again, and again after its push: each rerun takes the journalled commit and the last one finishes', async () => {
  const g = await stoppedAtGate(68);
  const { s, plan } = g;
  const deploy = actionOf<Commit>(plan, 'deploy-hotfix');
  // Flux's commit is in the checkout apply runs in (pulled), so apply sees the branch moved before it writes.
  const bump = await fluxBumpsWorker(s.configRepo);
  gitOut(s.configRepo, ['push', '--quiet', 'origin', 'main']);
  await g.meetGate();
  for (const point of ['deploy-hotfix:objects', 'push-config:pushed']) {
    const killed = await runCliAsync(g.args, { cwd: s.root, env: { HOTFIX_TEST_KILL_AT: point } });
    assert.is(killed.signal, 'SIGKILL', `${point}: ${killed.stdout}${killed.stderr}`);
  }
  const applied = (journalOf(g, plan).rederived as Array<{ applied: string }> | undefined)?.[0]?.applied ?? '';
  assert.equal(journalOf(g, plan).rederived, [{ action: 'deploy-hotfix', planned: deploy.commit, applied, onto: bump }]);
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(rev(s.configRemote, 'refs/heads/main'), applied);
  assert.is(rev(s.configRemote, `${applied}^`), bump);
  assert.is(gitOut(s.configRemote, ['-c', 'core.abbrev=7', 'diff', bump, applied]), deploy.changes.map((c) => c.diff).join(''));
});

test('a teammate releases another build on the very line the deploy patches during the gate: refused before any write (HF417), naming the commit and the file', async () => {
  const g = await stoppedAtGate(62);
  const { s, plan } = g;
  const file = 'overlays/production/kustomization.yaml';
  const release = await teammateReleases(s.configRepo, file, 'main-0c0ffee');
  gitOut(s.configRepo, ['push', '--quiet', 'origin', 'main']);
  await g.meetGate();
  const before = [refs(s.configRemote), refs(s.appRemote), refs(s.configRepo), refs(s.appRepo)];
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`deploy: main, planned at ${short(actionOf<Commit>(plan, 'deploy-hotfix').parent)}, moved to ${short(release)} by ${short(release)} "Release shop-api main-0c0ffee to production"`), r.stderr);
  assert.ok(line.includes(`the plan's edit no longer applies to ${file} there`), line);
  assert.ok(line.includes('Nothing was written.'), line);
  assert.ok(replanIn(line), line);
  assert.equal([refs(s.configRemote), refs(s.appRemote), refs(s.configRepo), refs(s.appRepo)], before, 'nothing written, nothing pushed');
  assert.is(journalOf(g, plan).rederived, undefined);
});

test('the base moves the service to a new image repository during the gate: the same diff would deploy nothing, so the render check refuses it (HF417)', async () => {
  const g = await stoppedAtGate(67);
  const { s, plan } = g;
  const deploy = actionOf<Commit>(plan, 'deploy-hotfix');
  assert.ok(deploy.render, 'the plan has a render check');
  const moved = await teammateMovesImage(s.configRepo, s.image, `${s.image}-api`);
  await g.meetGate();
  const before = [refs(s.configRemote), refs(s.appRemote)];
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`moved to ${short(moved)} by ${short(moved)} "Move shop-api to ${s.image}-api"`), r.stderr);
  assert.ok(line.includes(`kubectl kustomize overlays/production there would run ${s.image}-api`), line);
  assert.equal([refs(s.configRemote), refs(s.appRemote)], before, 'nothing pushed');
});

test('a teammate commits to main during the gate: the merge-back is made again on the new head, still clean and bringing in exactly the hotfix', async () => {
  const g = await stoppedAtGate(63);
  const { s, plan } = g;
  const merge = actionOf<Merge>(plan, 'merge-main');
  assert.equal(merge.rederive?.when, 'if-branch-moves');
  const docs = await teammateDocuments(s.appRepo);
  gitOut(s.appRepo, ['push', '--quiet', 'origin', 'main']);
  await g.meetGate();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const applied = rev(s.appRemote, 'refs/heads/main');
  assert.is.not(applied, merge.commit);
  assert.equal([rev(s.appRemote, `${applied}^1`), rev(s.appRemote, `${applied}^2`)], [docs, merge.parents[1]], 'the teammate\'s commit, then the hotfix tip');
  assert.is(gitOut(s.appRemote, ['log', '-1', '--format=%B', applied]).trim(), merge.message.trim());
  assert.match(gitOut(s.appRemote, ['show', `${applied}:src/payment.js`]), /Math\.round\(order\.totalCents \* fraction\)/);
  assert.match(r.stdout, `re-derived: main moved to ${short(docs)} since the plan, so merge-main is ${short(applied)} on it instead of ${short(merge.commit)}`);
  assert.equal(journalOf(g, plan).rederived, [{ action: 'merge-main', planned: merge.commit, applied, onto: docs }]);
});

test('a conflicting commit on main during the gate: refused before any write (HF417) with the file, the commit, and a re-plan command that works as printed', async () => {
  const g = await stoppedAtGate(64);
  const { s, plan } = g;
  const rewrite = await teammateRoundsHalfEven(s.appRepo);
  gitOut(s.appRepo, ['push', '--quiet', 'origin', 'main']);
  await g.meetGate();
  const before = [refs(s.configRemote), refs(s.appRemote)];
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`app: main, planned at ${short(actionOf<Merge>(plan, 'merge-main').parents[0])}, moved to ${short(rewrite)} by ${short(rewrite)} "Round half-cent refunds to even"`), r.stderr);
  assert.ok(line.includes(`merging ${actionOf<Merge>(plan, 'merge-main').from} there conflicts in src/payment.js`), line);
  assert.equal([refs(s.configRemote), refs(s.appRemote)], before, 'production is not deployed, main untouched');

  const replanned = runPrinted(replanIn(line)!, s.root);
  assert.is(replanned.code, 0, replanned.out);
  const again = JSON.parse(readFileSync(join(s.root, 'plan.json'), 'utf8')) as Plan;
  assert.ok(again.notes.some((n) => n.startsWith('Adopts ')), again.notes.join('\n'));
  assert.ok(again.actions.some((a) => a.id === 'deploy-hotfix'), 'the deploy is still to do');
  assert.ok(again.actions.some((a) => a.kind === 'manual' && a.mergeBack?.into === 'main'), 'main is a merge for a person now');
});

/**
 * The first apply of a plan after a teammate's commit that rewrites the lines the fix changes
 * reached main by `lands` (its id): refused (HF417) before anything is written, naming the
 * commit and the file, with no ref moved in either clone or remote. Returns the HF417 line.
 */
async function refusedBeforeAnyWrite(seed: number, lands: (s: GatedHotfix['s']) => Promise<string>): Promise<string> {
  const g = await gatedHotfix(registry.host, seed);
  const { s } = g;
  const merge = actionOf<Merge>(planOf(g), 'merge-main');
  const rewrite = await lands(s);
  await g.meetGate();
  const allRefs = () => [s.configRemote, s.appRemote, s.configRepo, s.appRepo].map(refs);
  const before = allRefs();
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`app: main, planned at ${short(merge.parents[0])}, moved to ${short(rewrite)} by ${short(rewrite)} "Round half-cent refunds to even"`), r.stderr);
  assert.ok(line.includes(`merging ${merge.from} there conflicts in src/payment.js`), line);
  assert.ok(line.includes('Nothing was written. Plan it again from the heads of now'), line);
  assert.not.match(r.stdout, /^done: /m, r.stdout);
  assert.equal(allRefs(), before, 'no ref moved: production not deployed, no hotfix branch nor tag (and a fetch wrote no ref)');
  return line;
}

test('a conflicting commit on main before the first apply: the rehearsal merges the hotfix there and finds the conflict, refused (HF417) before anything is written: nothing deployed, no hotfix branch nor tag', async () => {
  await refusedBeforeAnyWrite(67, (s) => teammateRoundsHalfEven(s.appRepo));
});

test('a teammate pushed a conflicting commit to main that this clone has not fetched: apply asks the remote before the first write, judges the merge-back on its head, and refuses (HF417) with nothing deployed', async () => {
  await refusedBeforeAnyWrite(69, async (s) => {
    const teammate = cloneOf(s.appRemote, join(s.root, 'teammate'));
    const rewrite = await teammateRoundsHalfEven(teammate);
    gitOut(teammate, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main']);
    return rewrite;
  });
});

test('a teammate documents refunds on main before the first apply: the rehearsal finds the merge-back clean there, and apply deploys and makes it again on the new head', async () => {
  const g = await gatedHotfix(registry.host, 68);
  const { s } = g;
  const plan = planOf(g);
  const merge = actionOf<Merge>(plan, 'merge-main');
  const docs = await teammateDocuments(s.appRepo);
  await g.meetGate();
  // A dry run says it: the merge-back waits for the hotfix commits, so the rehearsal is where it is judged.
  const dry = await runCliAsync([g.args[0]!, '--dry-run', ...g.args.slice(1)], { cwd: s.root });
  assert.is(dry.code, 0, dry.stdout + dry.stderr);
  const r = await runCliAsync(g.args, { cwd: s.root });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const applied = rev(s.appRemote, 'refs/heads/main');
  assert.match(dry.stdout, `would re-derive: main moved to ${short(docs)} since the plan, so merge-main is ${short(applied)} on it instead of ${short(merge.commit)} (the same change, by the plan's rule), when apply reaches it after the gate`);
  assert.equal([rev(s.appRemote, `${applied}^1`), rev(s.appRemote, `${applied}^2`)], [docs, merge.parents[1]], 'the teammate\'s commit, then the hotfix tip');
  assert.match(r.stdout, `re-derived: main moved to ${short(docs)} since the plan, so merge-main is ${short(applied)} on it instead of ${short(merge.commit)}`);
  assert.equal(journalOf(g, plan).rederived, [{ action: 'merge-main', planned: merge.commit, applied, onto: docs }]);
  assert.is(rev(s.configRemote, 'refs/heads/main'), actionOf<Commit>(plan, 'deploy-hotfix').commit, 'the deploy as planned');
});

test('main moves between apply\'s deploy and its merge-back push: the push is refused as non-fast-forward, retried once on the fetched head, and lands', async () => {
  const { s, plan, landed: docs, r } = await landingDuringApply(65, teammateDocuments);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.ok(existsSync(join(s.configRemote, 'hotfix-test-landed')), 'the teammate\'s push landed during the apply');
  const merge = actionOf<Merge>(plan, 'merge-main');
  const applied = rev(s.appRemote, 'refs/heads/main');
  assert.equal([rev(s.appRemote, `${applied}^1`), rev(s.appRemote, `${applied}^2`)], [docs, merge.parents[1]]);
  assert.match(r.stdout, `re-derived: main moved on origin to ${short(docs)} while apply ran, so merge-main is ${short(applied)} on it instead of ${short(merge.commit)}`);
  assert.is(rev(s.configRemote, 'refs/heads/main'), actionOf<Commit>(plan, 'deploy-hotfix').commit, 'the deploy as planned');
});

test('a conflicting commit lands on main after production is deployed: HF417 says so and prints the re-plan, which plans only the merge-back left', async () => {
  const { s, plan, landed: rewrite, r } = await landingDuringApply(66, teammateRoundsHalfEven);
  assert.is(r.code, 1, r.stdout);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  assert.is(rev(s.configRemote, 'refs/heads/main'), actionOf<Commit>(plan, 'deploy-hotfix').commit, 'production is deployed');
  assert.is(rev(s.appRemote, 'refs/heads/main'), rewrite, 'main has the teammate\'s commit, not the merge');
  const line = r.stderr.split('\n').find((l) => l.includes('[HF417]')) ?? '';
  assert.ok(line.includes(`moved to ${short(rewrite)} by ${short(rewrite)} "Round half-cent refunds to even"`), r.stderr);
  assert.ok(line.includes('conflicts in src/payment.js'), line);
  assert.ok(line.includes('Nothing was written for it; what apply finished before it is in place'), line);

  // As apply's note says for the checked-out branches it moved only on the remote.
  gitOut(s.configRepo, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
  gitOut(s.appRepo, ['pull', '--quiet', '--ff-only', 'origin', 'main']);
  const replanned = runPrinted(replanIn(line)!, s.root);
  assert.is(replanned.code, 0, replanned.out);
  const again = JSON.parse(readFileSync(join(s.root, 'plan.json'), 'utf8')) as Plan;
  assert.not.ok(again.actions.some((a) => a.id === 'deploy-hotfix'), 'production runs the hotfix: no second deploy');
  assert.ok(again.actions.some((a) => a.kind === 'manual' && a.mergeBack?.into === 'main'), again.actions.map((a) => a.id).join(', '));
});

test.run();
