import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initRepo } from '../../fixtures/git.js';
import type { Plan } from '../../src/plan/types.js';
import { applyPlan, gitOut, planRollback, refs, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { CLI, runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const REASON = ['--reason', 'login broken'];

/** A script that appends its name to `log` when run: a hook, a receive-pack wrapper, a fsmonitor. */
function marker(dir: string, name: string, log: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\necho ${name} >> ${log}\ncat > /dev/null\nexit 0\n`);
  chmodSync(path, 0o755);
  return path;
}

/** The bare remote logs every ref update it receives and the push options that came with it. */
function recordPushes(s: GitopsScenario): string {
  const log = join(s.root, 'received.log');
  const hook = join(s.remote, 'hooks', 'pre-receive');
  mkdirSync(join(s.remote, 'hooks'), { recursive: true });
  writeFileSync(hook, `#!/bin/sh\nwhile read old new ref; do echo "$ref $new options=\${GIT_PUSH_OPTION_COUNT:-0}" >> ${log}; done\n`);
  chmodSync(hook, 0o755);
  // Options a client sends are accepted (and logged), so a push that sent one would show it.
  gitOut(s.remote, ['config', 'receive.advertisePushOptions', 'true']);
  return log;
}

function savedPlan(s: GitopsScenario, options: { env?: Record<string, string> } = {}): { plan: Plan; file: string } {
  const file = join(s.root, `plan-${Math.random().toString(36).slice(2)}.json`);
  const r = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--out', file, ...REASON], { cwd: s.root, ...(options.env ? { env: options.env } : {}) });
  assert.is(r.code, 0, r.stderr);
  return { plan: JSON.parse(readFileSync(file, 'utf8')) as Plan, file };
}

/** A plan without what depends on the moment it was made (dates, and the commit ids that include them). */
function timeless(plan: Plan): string {
  // The moment, and what it reaches: the commits made, and the plan's id their messages carry.
  const moment = [plan.createdAt, plan.id, ...plan.actions.flatMap((a) => (a.kind === 'commit' ? [a.commit] : []))];
  return JSON.stringify(plan.actions, (_key, value: unknown) => (typeof value === 'string' ? moment.reduce((text, m) => text.split(m).join('MOMENT'), value) : value), 1);
}

const branchOf = (plan: Plan) => (plan.actions[0] as { branch: string }).branch;
const tipOf = (plan: Plan) => (plan.actions.filter((a) => a.kind === 'commit').pop() as { commit: string }).commit;

test('plan and apply ignore every git variable of the caller that locates a repository, objects, config, hooks or git itself', async () => {
  const s = await scenario();
  const received = recordPushes(s);
  const clean = savedPlan(s).plan;
  const other = tempDir();
  await initRepo(other);
  gitOut(other, ['commit', '--allow-empty', '-q', '-m', 'another repository']);
  const otherRefs = refs(other);
  const ran = join(s.root, 'ran.log');
  const hooks = join(s.root, 'evil-hooks');
  mkdirSync(hooks);
  for (const name of ['pre-push', 'reference-transaction', 'post-commit']) marker(hooks, name, ran);
  const emptyObjects = join(s.root, 'empty-objects');
  mkdirSync(emptyObjects);
  const evilConfig = join(s.root, 'evil.gitconfig');
  writeFileSync(evilConfig, `[core]\n\thooksPath = ${hooks}\n[push]\n\tpushOption = from-global\n\tfollowTags = true\n`);
  const trace = join(s.root, 'trace.log');
  const hostile: Record<string, string> = {
    GIT_DIR: join(other, '.git'),
    GIT_WORK_TREE: other,
    GIT_COMMON_DIR: join(other, '.git'),
    GIT_INDEX_FILE: join(s.root, 'evil-index'),
    GIT_OBJECT_DIRECTORY: emptyObjects,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: emptyObjects,
    GIT_NAMESPACE: 'evil',
    GIT_CONFIG_PARAMETERS: `'core.hooksPath'='${hooks}'`,
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_0: 'push.pushOption',
    GIT_CONFIG_VALUE_0: 'from-env',
    GIT_CONFIG_KEY_1: 'core.hooksPath',
    GIT_CONFIG_VALUE_1: hooks,
    GIT_CONFIG_GLOBAL: evilConfig,
    GIT_CONFIG_SYSTEM: evilConfig,
    GIT_CONFIG: evilConfig,
    GIT_EXEC_PATH: join(s.root, 'no-git-here'),
    GIT_TRACE: trace,
    GIT_TRACE_PACKET: trace,
    GIT_TRACE2_EVENT: trace,
    GIT_REPLACE_REF_BASE: 'refs/evil/',
    GIT_SHALLOW_FILE: join(s.root, 'evil-shallow'),
    GIT_GRAFT_FILE: join(s.root, 'evil-grafts'),
    GIT_QUARANTINE_PATH: emptyObjects,
    GIT_CEILING_DIRECTORIES: s.root,
    GIT_EDITOR: marker(s.root, 'editor', ran),
  };
  const { plan, file } = savedPlan(s, { env: hostile });
  assert.equal(timeless(plan), timeless(clean), 'the same plan as without the variables');
  assert.equal(plan.preconditions.filter((p) => p.kind !== 'policy'), clean.preconditions.filter((p) => p.kind !== 'policy'));

  const applied = runCli(['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file], { cwd: s.root, env: hostile });
  assert.is(applied.code, 0, applied.stderr);
  assert.is(readFileSync(received, 'utf8'), `refs/heads/${branchOf(plan)} ${tipOf(plan)} options=0\n`, 'the remote got exactly the planned ref, without push options');
  assert.is(gitOut(s.configRepo, ['rev-parse', `refs/heads/${branchOf(plan)}`]).trim(), tipOf(plan), 'the bound repository was written');
  assert.is(refs(other), otherRefs, 'the repository GIT_DIR named was not touched');
  assert.not.ok(existsSync(ran), 'no hook, editor or program named by the environment ran');
  assert.not.ok(existsSync(trace), 'no trace was written');
});

test("pushes send exactly the planned refs whatever the repository's own config adds (followTags, mirror, push refspecs, push options, signing, receivepack, hooks, fsmonitor)", async () => {
  const s = await scenario();
  const received = recordPushes(s);
  const ran = join(s.root, 'ran.log');
  const hooks = join(s.root, 'repo-hooks');
  mkdirSync(hooks);
  for (const name of ['pre-push', 'reference-transaction', 'push-to-checkout']) marker(hooks, name, ran);
  // An annotated tag on main's head, which the rollback branch contains: followTags would send it.
  gitOut(s.configRepo, ['tag', '-a', '-m', 'not for the remote', 'v-secret', 'HEAD']);
  gitOut(s.configRepo, ['branch', 'secret', 'HEAD']);
  const receivePack = marker(s.root, 'receivepack', ran);
  for (const [key, value] of [
    ['push.followTags', 'true'],
    ['push.pushOption', 'from-repo'],
    ['push.gpgSign', 'true'],
    ['push.recurseSubmodules', 'on-demand'],
    ['remote.origin.mirror', 'true'],
    ['remote.origin.push', 'refs/heads/*:refs/heads/*'],
    ['remote.origin.receivepack', `${receivePack}; git-receive-pack`],
    ['core.hooksPath', hooks],
    ['core.fsmonitor', marker(s.root, 'fsmonitor', ran)],
  ])
    gitOut(s.configRepo, ['config', key!, value!]);
  const remoteBefore = refs(s.remote);

  const { plan, file } = savedPlan(s);
  const push = plan.actions.find((a) => a.kind === 'push')!;
  assert.equal(push, { id: 'push', kind: 'push', repo: 'deploy', remote: 'origin', url: s.remote, refs: [{ ref: `refs/heads/${branchOf(plan)}`, sha: tipOf(plan) }], runHooks: false });
  assert.ok(plan.preconditions.some((p) => p.kind === 'remote' && p.remote === 'origin' && p.url === s.remote), 'the URL is a precondition');
  const shown = runCli(['show', file]);
  assert.ok(shown.stdout.includes(`deploy: push to origin (${s.remote}), atomic, client hooks off`), shown.stdout);

  const applied = applyPlan(s, file);
  assert.is(applied.code, 0, applied.stderr);
  assert.is(readFileSync(received, 'utf8'), `refs/heads/${branchOf(plan)} ${tipOf(plan)} options=0\n`, 'one ref, no options');
  const lines = (text: string) => text.split('\n').filter(Boolean);
  const remoteAfter = lines(refs(s.remote));
  assert.equal(remoteAfter.filter((l) => !lines(remoteBefore).includes(l)), [`refs/heads/${branchOf(plan)} ${tipOf(plan)}`], 'nothing else reached the remote: no tag, no mirror');
  assert.equal(lines(remoteBefore).filter((l) => !remoteAfter.includes(l)), [], 'and nothing there was deleted or moved');
  assert.not.ok(existsSync(ran), `nothing the repository config names ran: ${existsSync(ran) ? readFileSync(ran, 'utf8') : ''}`);
});

test('the push remote must be a configured remote: a directory of that name in the work tree never receives a push or runs its hooks', async () => {
  const s = await scenario();
  const { plan, file } = savedPlan(s);
  const ran = join(s.root, 'ran.log');
  // ./origin in the work tree: a repository that accepts anything and runs its hooks.
  const decoy = join(s.configRepo, 'origin');
  await initRepo(decoy, { bare: true });
  for (const name of ['pre-receive', 'post-receive', 'update']) marker(join(decoy, 'hooks'), name, ran);
  gitOut(s.configRepo, ['remote', 'remove', 'origin']);

  const planned = runCli(['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, ...REASON], { cwd: s.root });
  assert.is(planned.code, 1);
  assert.match(planned.stderr, /deploy: the policy pushes to remote "origin", which is not configured in the repository.*\[HF219\]/);

  const before = refs(s.configRepo);
  const applied = applyPlan(s, file);
  assert.is(applied.code, 1);
  assert.match(applied.stderr, new RegExp(`deploy: remote origin is not configured any more; the plan pushes to ${s.remote}.*\\[HF404\\]`));
  assert.is(refs(s.configRepo), before, 'nothing was written');
  assert.is(refs(decoy), '', 'the decoy received nothing');
  assert.not.ok(existsSync(ran), 'no hook of the decoy ran');

  // Configured again, but to another place than the plan shows.
  gitOut(s.configRepo, ['remote', 'add', 'origin', decoy]);
  const moved = applyPlan(s, file);
  assert.is(moved.code, 1);
  assert.match(moved.stderr, new RegExp(`deploy: remote origin now pushes to ${decoy}, not ${s.remote} as the plan shows.*\\[HF404\\]`));
  assert.is(refs(decoy), '');
  assert.not.ok(existsSync(ran));
  assert.ok(plan.actions.some((a) => a.kind === 'push'));
});

test('a ref the plan moves that is a symbolic ref is refused before anything is written (a dangling one would create the branch it names)', async () => {
  const s = await scenario();
  const { plan, file } = savedPlan(s);
  gitOut(s.configRepo, ['symbolic-ref', `refs/heads/${branchOf(plan)}`, 'refs/heads/victim']);
  const before = refs(s.configRepo);
  const applied = applyPlan(s, file);
  assert.is(applied.code, 1);
  assert.match(applied.stderr, new RegExp(`deploy: refs/heads/${branchOf(plan)} is a symbolic ref to refs/heads/victim; .*\\[HF420\\]`));
  assert.is(refs(s.configRepo), before);
  assert.is(gitOut(s.configRepo, ['for-each-ref', 'refs/heads/victim']), '', 'the branch the symbolic ref names was not made');
});

/** A git daemon that accepts connections and never answers: a hung remote, on loopback. */
async function hungRemote(): Promise<{ url: string; connections: () => number; closed: () => number; stop: () => Promise<void> }> {
  const sockets: Socket[] = [];
  let closed = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', () => undefined);
    socket.on('close', () => closed++);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `git://127.0.0.1:${port}/deploy.git`,
    connections: () => sockets.length,
    closed: () => closed,
    stop: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

function spawnApply(s: GitopsScenario, file: string, env: Record<string, string>): { result: Promise<CliResult>; kill: (signal: NodeJS.Signals) => void } {
  const child = spawn(process.execPath, [CLI, 'apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file], { cwd: s.root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  // Only catches a hang: a working apply ends long before.
  const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const result = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => {
    clearTimeout(guard);
    resolve({ code, signal, stdout, stderr });
  }));
  return { result, kill: (signal) => child.kill(signal) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(condition(), 'the condition never came true');
}

test('a hung remote: the push is ended after the network timeout, with everything it started, and the lock is released (HF218)', async () => {
  const s = await scenario();
  const remote = await hungRemote();
  try {
    gitOut(s.configRepo, ['remote', 'set-url', 'origin', remote.url]);
    const { file } = savedPlan(s);
    const run = spawnApply(s, file, { HOTFIX_GIT_NETWORK_TIMEOUT_MS: '1500' });
    const r = await run.result;
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /git push was stopped in .*: it did not finish within 1\.5 s \(HOTFIX_GIT_NETWORK_TIMEOUT_MS\).*\[HF218\]/);
    assert.is(remote.connections(), 1);
    await until(() => remote.closed() === 1);
    assert.not.ok(existsSync(join(s.configRepo, '.git', 'hotfix', 'apply.lock')), 'the lock is released');
  } finally {
    await remote.stop();
  }
});

test('SIGTERM during a push to a hung remote ends git at once, releases the lock and exits 143 (HF413)', async () => {
  const s = await scenario();
  const remote = await hungRemote();
  try {
    gitOut(s.configRepo, ['remote', 'set-url', 'origin', remote.url]);
    const { file } = savedPlan(s);
    const run = spawnApply(s, file, { HOTFIX_GIT_NETWORK_TIMEOUT_MS: '600000' });
    await until(() => remote.connections() === 1);
    run.kill('SIGTERM');
    const r = await run.result;
    assert.is(r.code, 143, r.stderr);
    assert.match(r.stderr, /\[HF413\]/);
    await until(() => remote.closed() === 1);
    assert.not.ok(existsSync(join(s.configRepo, '.git', 'hotfix', 'apply.lock')), 'the lock is released');
  } finally {
    await remote.stop();
  }
});

test.run();
