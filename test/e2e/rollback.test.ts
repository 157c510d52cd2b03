import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/plan/types.js';
import { applyPlan, gitOut, planRollback, refs, scenario } from '../helpers/rollback-scenario.js';
import { execFileSync } from 'node:child_process';
import { CLI, hasStackTrace, runCli } from '../helpers/run-cli.js';

const REASON = ['--reason', 'checkout returns 500'];
const commits = (plan: Plan) => plan.actions.filter((a) => a.kind === 'commit') as Array<Extract<Plan['actions'][number], { kind: 'commit' }>>;

test('plan finds the deploying commit and the previous tag, walking the file history', async () => {
  const s = await scenario();
  const r = planRollback(s, REASON);
  assert.is(r.code, 0, r.stderr);
  const plan = r.plan!;
  assert.is(plan.deployed.deployingCommit!.sha, s.apiJs.deployingCommit);
  assert.is(plan.deployed.image, `${s.image}:${s.apiJs.currentTag}`);
  assert.is(plan.target.image, `${s.image}:${s.apiJs.previousTag}`);
  assert.ok(plan.notes.some((n) => n.includes(`docker run ${s.image}:${s.apiJs.currentTag}`)));
  assert.equal(plan.actions.map((a) => a.kind), ['create-branch', 'commit', 'commit', 'push', 'open-pull-request']);
  assert.match(r.stdout, /^Plan: 3 to create, 1 to change, 0 to delete\.$/m);
});

test('apply creates exactly the planned commits, with the planned diff, and leaves the work tree alone', async () => {
  const s = await scenario();
  writeFileSync(join(s.configRepo, 'README.md'), 'uncommitted work\n');
  gitOut(s.configRepo, ['add', 'README.md']);
  writeFileSync(join(s.configRepo, 'scratch.txt'), 'untracked\n');
  const before = { status: gitOut(s.configRepo, ['status', '--porcelain']), head: gitOut(s.configRepo, ['rev-parse', 'HEAD']), index: gitOut(s.configRepo, ['diff', '--cached']) };

  const { plan } = planRollback(s, REASON);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const r = applyPlan(s, file);
  assert.is(r.code, 0, r.stderr);

  const [revert, suspend] = commits(plan!);
  const branch = `refs/heads/${revert!.branch}`;
  assert.is(gitOut(s.configRepo, ['rev-parse', branch]).trim(), suspend!.commit);
  assert.is(gitOut(s.configRepo, ['rev-parse', `${suspend!.commit}^`]).trim(), revert!.commit);
  // The commit's diff equals the plan's diff byte for byte.
  assert.is(gitOut(s.configRepo, ['-c', 'core.abbrev=7', 'show', '--format=', revert!.commit]), revert!.changes[0]!.diff);
  assert.is(gitOut(s.configRepo, ['-c', 'core.abbrev=7', 'show', '--format=', suspend!.commit]), suspend!.changes[0]!.diff);
  const message = gitOut(s.configRepo, ['log', '-1', '--format=%B', revert!.commit]);
  assert.match(message, new RegExp(`^Revert "${s.apiJs.deployingSubject.replace(/[.]/g, '\\.')}"\n\nThis reverts commit ${s.apiJs.deployingCommit}\\.`));
  assert.match(message, /Reason: checkout returns 500/);
  // Only the api-js newTag line differs from main.
  const changed = gitOut(s.configRepo, ['diff', '--unified=0', 'main', revert!.commit]).split('\n').filter((l) => /^[+-][^+-]/.test(l));
  assert.equal(changed.map((l) => l.replace(/ #.*/, '')), [`-    newTag: ${s.apiJs.currentTag}`, `+    newTag: ${s.apiJs.previousTag}`]);
  // Pushed, and the user's checkout untouched.
  assert.is(gitOut(s.remote, ['rev-parse', branch]).trim(), suspend!.commit);
  assert.equal({ status: gitOut(s.configRepo, ['status', '--porcelain']), head: gitOut(s.configRepo, ['rev-parse', 'HEAD']), index: gitOut(s.configRepo, ['diff', '--cached']) }, before);
});

test('show renders a saved plan in every format; markdown has a gitGraph and the plan id', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, REASON);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const text = runCli(['show', file]);
  assert.is(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`Plan id: ${plan!.id}`));
  const markdown = runCli(['show', '--format', 'markdown', file]);
  assert.match(markdown.stdout, /```mermaid\ngitGraph\n/);
  assert.match(markdown.stdout, /```diff\n/);
  assert.ok(markdown.stdout.includes(plan!.id));
  assert.equal(JSON.parse(runCli(['show', '--format', 'json', file]).stdout), plan);
});

test('a stale plan (a new commit on the branch) is refused, naming what moved, and nothing is written', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, REASON);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  gitOut(s.configRepo, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--allow-empty', '-qm', 'someone else']);
  const before = refs(s.configRepo);
  const r = applyPlan(s, file);
  assert.is(r.code, 1);
  assert.match(r.stderr, /deploy: refs\/heads\/main moved from [0-9a-f]{7} to [0-9a-f]{7} {2}\[HF404\]/);
  assert.is(refs(s.configRepo), before);
});

test('a tampered plan is refused: body, id, schema, JSON, version', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, REASON);
  const before = refs(s.configRepo);
  const cases: Array<[string, (p: any) => string, string]> = [
    ['target changed', (p) => JSON.stringify({ ...p, target: { ...p.target, image: `${s.image}:main-0000000` } }), 'HF402'],
    ['diff changed', (p) => JSON.stringify(p).replace(`+    newTag: ${s.apiJs.previousTag}`, '+    newTag: main-evil00'), 'HF402'],
    ['precondition changed', (p) => JSON.stringify({ ...p, preconditions: p.preconditions.slice(1) }), 'HF402'],
    ['id changed', (p) => JSON.stringify({ ...p, id: `sha256:${'0'.repeat(64)}` }), 'HF402'],
    ['action removed from the schema', (p) => JSON.stringify({ ...p, actions: [] }), 'HF401'],
    ['not JSON', (p) => JSON.stringify(p).slice(0, -10), 'HF400'],
    ['future major version', (p) => JSON.stringify({ ...p, formatVersion: '3.0' }), 'HF403'],
    // Format 1 hashed its id otherwise and its commits named no plan: made again, not read.
    ['format 1', (p) => JSON.stringify({ ...p, formatVersion: '1.4' }), 'HF403'],
  ];
  for (const [name, tamper, code] of cases) {
    const file = join(s.root, 'tampered.json');
    writeFileSync(file, tamper(plan));
    const r = applyPlan(s, file);
    assert.is(r.code, 1, name);
    assert.match(r.stderr, new RegExp(`\\[${code}\\]`), `${name}: ${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr), name);
  }
  assert.is(refs(s.configRepo), before);
});

test('drift between cluster and config refuses the plan unless --allow-drift', async () => {
  const s = await scenario({ clusterTag: 'main-fffffff' });
  const refused = planRollback(s, REASON);
  assert.is(refused.code, 1);
  assert.match(refused.stderr, /runs registry\.example\.com\/team\/api-js:main-fffffff but .* declares .*\[HF303\]/);
  const allowed = planRollback(s, [...REASON, '--allow-drift']);
  assert.is(allowed.code, 0, allowed.stderr);
});

test('image automation: warned about with onRollback warn; no suspend commit when already suspended', async () => {
  const s = await scenario();
  const policy = readFileSync(s.policyFile, 'utf8').replace('onRollback: suspend', 'onRollback: warn');
  const warnPolicy = join(s.root, 'warn.yaml');
  writeFileSync(warnPolicy, policy);
  const warned = planRollback(s, REASON, { policy: warnPolicy });
  assert.is(warned.code, 0, warned.stderr);
  assert.equal(warned.plan!.diagnostics.map((d) => d.code), ['HF310']);
  assert.match(warned.stdout, /flux-system\/deploy .* is active and will push the newer .* back/);
  assert.is(commits(warned.plan!).length, 1);

  const suspended = await scenario({ automationSuspended: true });
  const quiet = planRollback(suspended, REASON);
  assert.equal(quiet.plan!.diagnostics, []);
  assert.equal(commits(quiet.plan!).map((c) => c.purpose), ['revert']);
});

test('a later commit touched the deployed line: the plan falls back to setting the previous value', async () => {
  const s = await scenario({ touchDeployedLine: true });
  const r = planRollback(s, REASON);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.plan!.diagnostics.some((d) => d.code === 'HF308'));
  const [change] = commits(r.plan!);
  assert.is(change!.purpose, 'set-previous');
  const lines = change!.changes[0]!.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l));
  assert.is(lines.length, 2);
  // The later edit (a trailing comment) survives; only the tag differs.
  assert.is(lines[0]!.replace(s.apiJs.currentTag, s.apiJs.previousTag).slice(1), lines[1]!.slice(1));
});

test('a deploying commit that changed more: only this image is reverted, and the plan says so', async () => {
  const s = await scenario({ bundleDeployingCommit: true });
  const r = planRollback(s, REASON);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.plan!.diagnostics.some((d) => d.code === 'HF309'));
  const [revert] = commits(r.plan!);
  assert.is(revert!.purpose, 'revert');
  assert.is(revert!.changes.length, 1);
  assert.is(revert!.changes[0]!.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l)).length, 2);
});

test('policy rules refuse the plan with HF3xx codes', async () => {
  const s = await scenario();
  const deep = s.apiJs.deployHistory[4]!.tag;
  const cases: Array<[string[], RegExp]> = [
    [[], /requires a reason .*\[HF301\]/],
    [[...REASON, '--env', 'staging'], /environment "staging" is not declared.*\[HF302\]/],
    [[...REASON, '--to', 'main-0000000'], /never deployed here .*\[HF306\]/],
    [[...REASON, '--to', s.apiJs.currentTag], /is what is deployed now .*\[HF307\]/],
  ];
  for (const [args, expected] of cases) {
    const r = runCli(['plan', 'rollback', '--policy', s.policyFile, ...(args.includes('--env') ? [] : ['--env', 'production']), '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, ...args], { cwd: s.root });
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.stderr, expected);
  }
  const tooFar = readFileSync(s.policyFile, 'utf8').replace(/maxSteps: \d+/, 'maxSteps: 2');
  writeFileSync(join(s.root, 'short.yaml'), tooFar);
  const far = planRollback(s, [...REASON, '--to', deep], { policy: join(s.root, 'short.yaml') });
  assert.is(far.code, 1);
  assert.match(far.stderr, /4 deployments back; rollback.maxSteps allows 2 {2}\[HF304\]/);
});

test('--to an earlier tag sets that value; --detailed-exitcode exits 2', async () => {
  const s = await scenario();
  const target = s.apiJs.deployHistory[2]!.tag;
  const r = planRollback(s, [...REASON, '--to', target, '--detailed-exitcode']);
  assert.is(r.code, 2, r.stderr);
  assert.is(r.plan!.target.image, `${s.image}:${target}`);
  assert.is(commits(r.plan!)[0]!.purpose, 'set-previous');
});

test('marker-line policy (set-previous): the diff is exactly the inverse on the $imagepolicy line', async () => {
  const s = await scenario();
  const r = planRollback(s, REASON, { policy: s.markerPolicyFile, cluster: ['--no-cluster'] });
  assert.is(r.code, 0, r.stderr);
  const [change] = commits(r.plan!);
  const lines = change!.changes[0]!.diff.split('\n').filter((l) => /^[+-][^+-]/.test(l));
  assert.equal(lines.map((l) => l[0]), ['-', '+']);
  assert.ok(lines[0]!.includes(`web:${s.web.currentTag} # {"$imagepolicy": "flux-system:web"}`));
  assert.is(lines[1]!.slice(1), lines[0]!.slice(1).replace(s.web.currentTag, s.web.previousTag));
});

test('status: declared, running, drift and automation, as text and json', async () => {
  const s = await scenario();
  const r = runCli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--format', 'json'], { cwd: s.root });
  assert.is(r.code, 0, r.stderr);
  const [env] = JSON.parse(r.stdout).environments;
  assert.is(env.declared, `${s.image}:${s.apiJs.currentTag}`);
  assert.is(env.running.image, `${s.image}:${s.apiJs.currentTag}`);
  assert.is(env.commit.sha, s.apiJs.currentTag.replace('main-', ''));
  assert.is(env.drift, false);
  assert.equal(env.automation.map((a: { name: string; active: boolean }) => [a.name, a.active]), [['flux-system/deploy', true]]);
  const text = runCli(['status', '--policy', s.policyFile, '--repo', `deploy=${s.configRepo}`, '--no-cluster'], { cwd: s.root });
  assert.match(text.stdout, /drift {7}unknown/);
});

test('unbound repository and bad --repo are clear errors', async () => {
  const s = await scenario();
  const unbound = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--no-cluster', ...REASON], { cwd: s.root });
  assert.is(unbound.code, 1);
  assert.match(unbound.stderr, /bind it with --repo deploy=PATH {2}\[HF200\]/);
  const bad = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', 'deploy', ...REASON], { cwd: s.root });
  assert.is(bad.code, 64);
});

test('confirmation: refused without a terminal; on a terminal only "yes" applies', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, REASON);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const before = refs(s.configRepo);
  const piped = runCli(['apply', '--cluster-state', s.clusterStateFile, file], { cwd: s.root });
  assert.is(piped.code, 1);
  assert.match(piped.stderr, /run it on a terminal, or pass --auto-approve {2}\[HF405\]/);
  // `script` gives apply a real pseudo-terminal; the answer arrives on it.
  const onTerminal = (answer: string) =>
    execFileSync('sh', ['-c', `(sleep 1; printf '${answer}\\n') | script -qec "node ${CLI} apply --cluster-state ${s.clusterStateFile} ${file}" /dev/null; echo "exit=$?"`], { cwd: s.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const declined = onTerminal('no');
  assert.match(declined, /apply declined; nothing was changed {2}\[HF409\]/);
  assert.match(declined, /exit=1/);
  assert.is(refs(s.configRepo), before);
  const accepted = onTerminal('yes');
  assert.match(accepted, /Apply complete: sha256:/);
  assert.match(accepted, /exit=0/);
});

test('a push the remote rejects is reported with its reason (HF408)', async () => {
  const s = await scenario();
  const { plan } = planRollback(s, REASON);
  const branch = (plan!.actions.find((a) => a.kind === 'create-branch') as { branch: string }).branch;
  // Someone pushed an unrelated branch of that name to the remote in the meantime.
  const unrelated = gitOut(s.configRepo, ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit-tree', 'main^{tree}', '-m', 'someone else']).trim();
  gitOut(s.configRepo, ['push', '-q', 'origin', `${unrelated}:refs/heads/${branch}`]);
  const file = join(s.root, 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const r = applyPlan(s, file);
  assert.is(r.code, 1);
  assert.match(r.stderr, /push to origin was rejected: .*\[rejected\] \(non-fast-forward\).*\[HF408\]/);
});

test.run();
