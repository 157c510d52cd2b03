import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HANG_GUARD_MS } from '../helpers/hang-guard.js';
import { CLI, hasStackTrace, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * The scripts are loaded in the real shells and complete through them: bash's programmable
 * completion (COMP_WORDS, COMP_CWORD, COMPREPLY), zsh's compsys driven through a
 * pseudo-terminal (zsh/zpty), fish's `complete -C`. `hotfix` is on PATH, as for a user.
 */
const home = tempDir();
const bin = join(home, 'bin');
mkdirSync(bin);
// Counts its runs: completing costs no hotfix process but for --env.
writeFileSync(join(bin, 'hotfix'), `#!/bin/sh\necho "$*" >> '${join(home, 'runs')}'\nexec '${process.execPath}' '${CLI}' "$@"\n`);
chmodSync(join(bin, 'hotfix'), 0o755);
const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: home };
const runs = () => (existsSync(join(home, 'runs')) ? readFileSync(join(home, 'runs'), 'utf8').split('\n').filter(Boolean) : []);

/**
 * Where the user completes: a checkout with a policy shaped like the repository's
 * prd/nop example (OpenShift-style config branches; environments nop, staging, production).
 */
const cwd = tempDir();
mkdirSync(join(cwd, 'policies'));
mkdirSync(join(cwd, 'deploy'));
writeFileSync(join(cwd, 'plan.json'), '{}\n');
writeFileSync(
  join(cwd, 'policies', 'billing.yaml'),
  `apiVersion: hotfix.dev/v1alpha1
kind: HotfixPolicy
metadata:
  name: billing
spec:
  app: { repo: billing, mainline: dev, image: registry.example.com/billing/service, tagFormat: "{version}" }
  environments:
    - name: nop
      config: { repo: billing-config, branch: nop, file: deploy/kustomization.yaml, locator: { kustomizeImage: registry.example.com/billing/service } }
      baselineFor: production
    - name: staging
      config: { repo: billing-config, branch: stg, file: deploy/kustomization.yaml, locator: { kustomizeImage: registry.example.com/billing/service } }
    - name: production
      config: { repo: billing-config, branch: prd, file: deploy/kustomization.yaml, locator: { kustomizeImage: registry.example.com/billing/service } }
      cluster: { context: ocp-prd, namespace: billing, workload: deploymentconfig/billing, container: service }
  hotfix: { reasons: [security], mergeBack: [dev] }
`,
);

function script(shell: string): string {
  const r = runCli(['completion', shell]);
  assert.is(r.code, 0, r.stderr);
  const file = join(home, `hotfix.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

const bashScript = script('bash');

/** COMPREPLY, sorted, for the words typed, completing the word at `at` (default: the last). */
function bash(words: readonly string[], at = words.length - 1): string[] {
  const driver = 'source "$1"; COMP_CWORD=$2; shift 2; COMP_WORDS=("$@"); _hotfix; printf "%s\\n" "${COMPREPLY[@]}"';
  const r = spawnSync('bash', ['--norc', '-c', driver, 'bash', bashScript, String(at + 1), 'hotfix', ...words], { cwd, env, encoding: 'utf8', timeout: HANG_GUARD_MS });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stderr, '', `bash: ${words.join(' ')}`);
  return r.stdout.split('\n').filter((line) => line !== '').sort();
}

test('bash: commands, subcommands, options, files and values', () => {
  const top = bash(['']);
  for (const word of ['apply', 'check', 'completion', 'help', 'lint', 'plan', 'show', 'status', 'version']) assert.ok(top.includes(word), word);
  assert.equal(bash(['pl']), ['plan']);
  assert.equal(bash(['plan', '']), ['hotfix', 'rollback']);
  assert.equal(bash(['check', '']), ['release']);
  assert.equal(bash(['plan', 'rollback', '--po']), ['--policy']);
  assert.equal(bash(['plan', 'rollback', '--no-cluster', '--re']), ['--reason', '--repo']);
  assert.equal(bash(['plan', 'rollback', '--policy', 'policies/b']), ['policies/billing.yaml']);
  assert.equal(bash(['--color', 'always', 'plan', 'ro']), ['rollback']);
  assert.equal(bash(['--color', '']), ['always', 'auto', 'never']);
  assert.equal(bash(['completion', '']), ['bash', 'fish', 'zsh']);
  assert.equal(bash(['help', 'plan', '']), ['hotfix', 'rollback']);
  assert.equal(bash(['apply', '']), ['deploy', 'plan.json', 'policies']);
  // A value that is not completed stays the user's: no option names, no files.
  assert.equal(bash(['plan', 'hotfix', '--reason', '']), []);
  assert.equal(bash(['plan', 'hotfix', '--version', '']), []);
  assert.equal(runs(), [], 'the tree is in the script: no hotfix process');
});

test('bash: --env completes the environments the policy on the line declares, wherever --policy stands', () => {
  assert.equal(bash(['plan', 'rollback', '--policy', 'policies/billing.yaml', '--env', '']), ['nop', 'production', 'staging']);
  assert.equal(bash(['status', '--env', 'pr', '--policy', 'policies/billing.yaml'], 2), ['production']);
  // bash splits --policy=FILE at the = (COMP_WORDBREAKS).
  assert.equal(bash(['status', '--policy', '=', 'policies/billing.yaml', '--env', '=', 's']), ['staging']);
  assert.equal(bash(['status', '--policy', '=', 'policies/bi']), ['policies/billing.yaml']);
  assert.equal(bash(['status', '--env', '']), [], 'no policy on the line: nothing to offer');
  assert.equal(runs(), Array(3).fill('completion --list-envs policies/billing.yaml'), 'one hotfix process for each --env completed, none without a policy');
});

test('the helper reads only that file, lists only names an environment may have, and refuses what is no policy file', () => {
  const hostile = tempDir();
  writeFileSync(
    join(hostile, 'p.yaml'),
    'apiVersion: hotfix.dev/v1alpha1\nkind: HotfixPolicy\nspec:\n  environments:\n    - name: "$(touch pwned)"\n    - name: "a b"\n    - name: "-rf"\n    - name: "x\\u001b[2J"\n    - name: prod\n    - { name: 42 }\n    - name: prod\n',
  );
  const words = ['status', '--policy', 'p.yaml', '--env', ''];
  const r = spawnSync('bash', ['--norc', '-c', 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )); _hotfix; printf "%s\\n" "${COMPREPLY[@]}"', 'bash', bashScript, 'hotfix', ...words], { cwd: hostile, env, encoding: 'utf8', timeout: HANG_GUARD_MS });
  assert.is(r.stdout, 'prod\n');
  assert.not.ok(existsSync(join(hostile, 'pwned')));
  // A FIFO would block a reader forever; the helper only opens regular files.
  spawnSync('mkfifo', [join(hostile, 'fifo')]);
  for (const file of ['fifo', 'missing.yaml', '.']) {
    const listed = runCli(['completion', '--list-envs', file], { cwd: hostile });
    assert.is(listed.code, 1, file);
    assert.is(listed.stdout, '');
    assert.match(listed.stderr, /^[^\n]*\[HF100\]\n$/, listed.stderr);
    assert.not.ok(hasStackTrace(listed.stderr));
  }
});

test('the scripts come from the command definitions: every listed command and every option of its help', () => {
  const help = runCli(['plan', 'hotfix', '--help']).stdout;
  const options = [...help.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]!);
  assert.ok(options.length > 10);
  assert.equal(bash(['plan', 'hotfix', '--']), [...options, '--help'].sort());
  const listed = [...runCli(['--help']).stdout.matchAll(/^ {2}hotfix ([a-z]+)/gm)].map((m) => m[1]!);
  assert.equal([...new Set(listed)].sort(), bash(['']).filter((w) => w !== 'help' && w !== 'version'));
});

test('completion without a shell, or with another, is a usage error', () => {
  assert.equal(runCli(['completion']), { code: 64, stdout: '', stderr: 'hotfix: completion needs a shell: bash, zsh, fish\n' });
  assert.equal(runCli(['completion', 'bsh']), { code: 64, stdout: '', stderr: 'hotfix: completion knows bash, zsh, fish, not "bsh"; did you mean "bash"?\n' });
});

test('fish: the script loads and completes', () => {
  const file = script('fish');
  assert.is(spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' }).status, 0);
  const complete = (line: string) => {
    const r = spawnSync('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', file, line], { cwd, env, encoding: 'utf8', timeout: HANG_GUARD_MS });
    assert.is(r.stderr, '', line);
    return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t')[0]!).sort();
  };
  assert.equal(complete('hotfix plan '), ['hotfix', 'rollback']);
  assert.equal(complete('hotfix plan rollback --po'), ['--policy']);
  assert.equal(complete('hotfix plan rollback --policy policies/billing.yaml --env '), ['nop', 'production', 'staging']);
  assert.equal(complete('hotfix status --policy=policies/billing.yaml --env=st'), ['--env=staging']);
  assert.equal(complete('hotfix --color never che'), ['check']);
  assert.equal(complete('hotfix completion '), ['bash', 'fish', 'zsh']);
});

test('zsh: the script loads, and completes through compsys on a pseudo-terminal', () => {
  const file = script('zsh');
  assert.is(spawnSync('zsh', ['-n', file]).status, 0);
  const out = join(home, 'zsh-buffer');
  // Types each line and TAB, then a key whose widget writes the line as completion left it.
  const driver = `
    zmodload zsh/zpty
    zpty z 'zsh -f -i'
    zpty -w z 'PS1="> "; autoload -U compinit; compinit -u -d "$HOME/zcompdump"; source ${file}; dump() { print -r -- "$BUFFER" > ${out}; BUFFER=; }; zle -N dump; bindkey "^X" dump'
    for line in "$@"; do
      rm -f ${out}
      zpty -w -n z "$line"$'\\t\\x18'
      for i in {1..${HANG_GUARD_MS / 100}}; do [[ -s ${out} ]] && break; sleep 0.1; done
      print -r -- "$(<${out})"
    done
    zpty -d z`;
  const lines = ['hotfix plan ro', 'hotfix plan rollback --pol', 'hotfix plan rollback --policy policies/billing.yaml --env pro', 'hotfix compl', 'hotfix --color nev', 'hotfix show pla'];
  const r = spawnSync('zsh', ['-f', '-c', driver, 'zsh', ...lines], { cwd, env, encoding: 'utf8', timeout: HANG_GUARD_MS * 2 });
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.split('\n').slice(0, lines.length), [
    'hotfix plan rollback ',
    'hotfix plan rollback --policy ',
    'hotfix plan rollback --policy policies/billing.yaml --env production ',
    'hotfix completion ',
    'hotfix --color never ',
    'hotfix show plan.json ',
  ]);
});

test.run();
