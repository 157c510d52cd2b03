import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeObjects } from '../../src/apply/git-write.js';
import { blobId } from '../../src/plan/git-objects.js';
import type { Plan } from '../../src/plan/types.js';
import { countingShim } from '../helpers/counting-shim.js';
import { gitOut, scenario, type GitopsScenario } from '../helpers/rollback-scenario.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const REASON = ['--reason', 'checkout returns 500'];

/** `hotfix ARGS` in the scenario with a counting git first on PATH: its result and every git it started. */
function countedCli(s: GitopsScenario, args: string[], env: Record<string, string> = {}): CliResult & { git: string[] } {
  const shim = countingShim('git');
  const r = runCli(args, { cwd: s.root, env: { PATH: shim.path(), ...env } });
  // Each record without hotfix's own `-c name=value` settings: the subcommand and its arguments.
  return { ...r, git: shim.invocations().map((line) => line.replace(/^(-c \S+ )+/, '')) };
}

const planArgs = (s: GitopsScenario, out: string) => ['plan', 'rollback', '--policy', s.policyFile, '--env', 'production', '--repo', `deploy=${s.configRepo}`, '--cluster-state', s.clusterStateFile, '--out', out, ...REASON];
const applyArgs = (s: GitopsScenario, file: string) => ['apply', '--auto-approve', '--cluster-state', s.clusterStateFile, file];
const count = (git: readonly string[], prefix: string) => git.filter((line) => line.startsWith(prefix)).length;

test('a rollback plan and its apply start a bounded number of git processes', async () => {
  const s = await scenario();
  const file = join(s.root, 'plan.json');
  const planned = countedCli(s, planArgs(s, file));
  assert.is(planned.code, 0, planned.stderr);
  // One rev-parse for every fact of the repository (is it one, at its top, shallow, its git
  // directory, its object format); the revision resolver (the branch head, every ref after
  // it); two object readers; the automation
  // grep and ls-tree; refs; the remote (its names and push URLs in one `remote -v`, the
  // rewrite check); the history walk;
  // the deploying commit's files; the render check's commit, read-tree, attributes files and
  // checkout-index.
  assert.ok(planned.git.length <= 14, `plan rollback started ${planned.git.length} git processes:\n${planned.git.join('\n')}`);
  for (const alone of ['rev-parse --git-common-dir', 'rev-parse --show-object-format']) assert.is(count(planned.git, alone), 0, `${alone} is asked with the repository check`);
  assert.equal(planned.git.filter((line) => line.startsWith('remote')), ['remote -v', 'remote -v'], 'the remotes and their push URLs, then the rewrite check');

  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.equal(plan.actions.map((a) => a.kind), ['create-branch', 'commit', 'commit', 'push', 'open-pull-request']);
  const applied = countedCli(s, applyArgs(s, file));
  assert.is(applied.code, 0, applied.stderr);
  // Checks: the object format, the repository facts, worktrees, checked-out refs, the revision
  // resolver that answers every ref read from here on (and a rev-parse for the tag the plan's
  // branch name reserves, which it reads as missing), the remote twice, the symbolic-ref
  // check. Rehearsal: init, one object reader; per config commit three hash-object
  // (blobs, trees, commit), per action one update-ref. Real run: the rehearsal's objects
  // placed, one update-ref per action, the push.
  assert.ok(applied.git.length <= 23, `apply started ${applied.git.length} git processes:\n${applied.git.join('\n')}`);
  assert.is(count(applied.git, 'rev-parse --show-object-format'), 0, 'the object format is asked with the repository check');
  assert.is(count(applied.git, 'hash-object'), 6, 'one hash-object per object type of each config commit, in the rehearsal only');
  assert.is(count(applied.git, 'hash-object -t blob -w --no-filters --stdin-paths'), 2);
  assert.is(applied.git.filter((line) => line === 'cat-file --batch').length, 1, 'one object reader for every config commit, in the rehearsal only');
  assert.is(count(applied.git, 'rev-parse --git-common-dir'), 0, 'the git directory is read with the repository check');
  assert.is(count(applied.git, 'cat-file --batch-check'), 1, 'one running resolver answers the preconditions, the rehearsal\'s refs and every ref read after an action');
  assert.is(count(applied.git, 'rev-parse --verify'), 1, 'only the tag the resolver reads as missing is asked of rev-parse');
  // What it wrote is what the plan named, every object whole in the repository (the
  // rehearsal's files placed there, none left half-copied) and on the remote.
  const tip = (plan.actions.filter((a) => a.kind === 'commit').pop() as { commit: string; branch: string });
  assert.is(gitOut(s.remote, ['rev-parse', `refs/heads/${tip.branch}`]).trim(), tip.commit);
  gitOut(s.configRepo, ['fsck', '--strict', '--no-dangling', '--no-progress']);
  assert.is(gitOut(s.configRepo, ['cat-file', '-t', tip.commit]).trim(), 'commit');
  const objects = join(s.configRepo, '.git', 'objects');
  const strays = readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d)).flatMap((d) => readdirSync(join(objects, d)).filter((f) => !/^[0-9a-f]{38}$/.test(f)));
  assert.equal(strays, [], 'no partial copy left');
});

test('objects are stored as planned whatever TMPDIR holds and whatever filters the repository sets', async () => {
  const s = await scenario();
  // --stdin-paths without --no-filters would run this clean filter and convert line endings.
  const ran = join(s.root, 'filter-ran.log');
  const filter = join(s.root, 'clean-filter');
  writeFileSync(filter, `#!/bin/sh\necho ran >> ${ran}\nsed s/newTag/EVIL/\n`);
  chmodSync(filter, 0o755);
  gitOut(s.configRepo, ['config', 'filter.evil.clean', filter]);
  gitOut(s.configRepo, ['config', 'core.autocrlf', 'true']);
  writeFileSync(join(s.configRepo, '.git', 'info', 'attributes'), '* filter=evil text eol=crlf\n');
  const file = join(s.root, 'plan.json');
  assert.is(runCli(planArgs(s, file), { cwd: s.root }).code, 0);
  // A scratch directory whose path holds a line break, a quote, a backslash and non-ASCII.
  const tmp = join(tempDir(), 'tmp\nwith "quote" \\ and é');
  mkdirSync(tmp);
  const r = runCli(applyArgs(s, file), { cwd: s.root, env: { TMPDIR: tmp } });
  assert.is(r.code, 0, r.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const tip = plan.actions.filter((a) => a.kind === 'commit').pop() as { commit: string; branch: string };
  assert.is(gitOut(s.configRepo, ['rev-parse', `refs/heads/${tip.branch}`]).trim(), tip.commit);
  assert.is(existsSync(ran), false, 'no filter ran');
  assert.equal(readdirSync(tmp), [], 'every scratch directory was removed');
  // The real run placed the rehearsal's objects; what it makes itself (a commit made again on
  // a moved branch) is stored by writeObjects in the repository, its filters set as above.
  const text = 'newTag: main-1234567\n';
  const blob = { type: 'blob' as const, id: blobId(text), content: Buffer.from(text).toString('base64') };
  await writeObjects(s.configRepo, [blob]);
  assert.is(gitOut(s.configRepo, ['cat-file', 'blob', blob.id]), text);
  assert.is(existsSync(ran), false, 'no filter ran');
});

test('the rehearsal takes nothing from init.templateDir of the caller\'s config: no ref, no hook', async () => {
  const s = await scenario();
  const file = join(s.root, 'plan.json');
  assert.is(runCli(planArgs(s, file), { cwd: s.root }).code, 0);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const branch = (plan.actions[0] as { branch: string }).branch;
  // A template as a user's dotfiles might hold: hooks, and here also the branch the plan
  // creates, at the deployed commit. Copied into a stand-in, the rehearsal would start with
  // that branch and refuse to create it.
  const home = tempDir();
  const template = join(home, 'git-template');
  const ran = join(home, 'hook-ran.log');
  mkdirSync(join(template, 'hooks'), { recursive: true });
  for (const hook of ['reference-transaction', 'post-update', 'pre-commit']) {
    writeFileSync(join(template, 'hooks', hook), `#!/bin/sh\necho ${hook} >> ${ran}\n`);
    chmodSync(join(template, 'hooks', hook), 0o755);
  }
  mkdirSync(join(template, 'refs', 'heads', ...branch.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(template, 'refs', 'heads', branch), `${gitOut(s.configRepo, ['rev-parse', 'refs/heads/main']).trim()}\n`);
  writeFileSync(join(home, '.gitconfig'), `[init]\n\ttemplateDir = ${template}\n[user]\n\tname = someone\n\temail = someone@example.com\n`);
  const counted = countedCli(s, applyArgs(s, file), { HOME: home });
  assert.is(counted.code, 0, counted.stderr);
  assert.ok(counted.git.some((line) => line.startsWith('init --quiet --bare --template= ')), counted.git.join('\n'));
  assert.is(existsSync(ran), false, 'no template hook ran');
  const tip = plan.actions.filter((a) => a.kind === 'commit').pop() as { commit: string };
  assert.is(gitOut(s.configRepo, ['rev-parse', `refs/heads/${branch}`]).trim(), tip.commit);
  assert.is(existsSync(join(s.configRepo, '.git', 'hooks', 'reference-transaction')), false);
});

test('a user config that packs every blob (core.bigFileThreshold): apply makes those objects in the repository, every one whole', async () => {
  const s = await scenario();
  const file = join(s.root, 'plan.json');
  assert.is(runCli(planArgs(s, file), { cwd: s.root }).code, 0);
  const home = tempDir();
  writeFileSync(join(home, '.gitconfig'), '[core]\n\tbigFileThreshold = 1\n');
  const r = runCli(applyArgs(s, file), { cwd: s.root, env: { HOME: home } });
  assert.is(r.code, 0, r.stderr);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const tip = plan.actions.filter((a) => a.kind === 'commit').pop() as { commit: string; branch: string };
  assert.is(gitOut(s.remote, ['rev-parse', `refs/heads/${tip.branch}`]).trim(), tip.commit);
  gitOut(s.configRepo, ['fsck', '--strict', '--no-dangling', '--no-progress']);
});

test.run();
