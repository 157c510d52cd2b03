import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HANG_GUARD_MS } from '../helpers/hang-guard.js';
import { shellWord } from '../../src/plan/shell-word.js';
import { CLI, ROOT, runCli } from '../helpers/run-cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const ESC = '\u001b[';

/** The command lines `hotfix --help` lists, by their words (`plan rollback`). */
function listedCommands(): string[] {
  const help = runCli(['--help']);
  assert.is(help.code, 0);
  return [...help.stdout.matchAll(/^ {2}hotfix ((?:[a-z]+ ?)+?)(?= --| \[|$)/gm)].map((m) => m[1]!.trim());
}

test('usage lines name their values and show the required options; no clipanion #0 anywhere', () => {
  const commands = listedCommands();
  assert.ok(['lint', 'status', 'apply', 'show', 'plan rollback', 'plan hotfix', 'check release', 'completion'].every((c) => commands.includes(c)), commands.join(', '));
  for (const command of commands) {
    const help = runCli([...command.split(' '), '--help']);
    assert.is(help.code, 0, command);
    assert.not.match(help.stdout, / #\d/, `${command}: ${help.stdout}`);
    // Every option that takes a value has a name for it (value-names.ts).
    assert.not.match(help.stdout, / VALUE\b/, `${command}: ${help.stdout}`);
  }
  const rollback = runCli(['plan', 'rollback', '--help']).stdout;
  assert.match(rollback, /^\$ hotfix plan rollback --policy FILE --env NAME \[options\]$/m);
  assert.match(rollback, /^ {2}--policy FILE {2,}The policy file \(required\)$/m);
  assert.match(rollback, /^ {2}--repo NAME=PATH {2,}Bind a repository name/m);
  assert.match(rollback, /^ {2}--color WHEN {2,}Colour: auto, always, never/m);
  assert.match(runCli(['apply', '--help']).stdout, /^\$ hotfix apply \[options\] <plan\.json>$/m);
  assert.match(runCli(['--help']).stdout, /^ {2}hotfix plan hotfix --policy FILE --env NAME --reason TEXT \[options\]$/m);
});

test('hotfix plan --help and hotfix check --help list their commands and exit 0', () => {
  for (const flag of ['--help', '-h']) {
    const plan = runCli(['plan', flag]);
    assert.is(plan.code, 0);
    assert.is(plan.stderr, '');
    assert.match(plan.stdout, /\$ hotfix plan <command>/);
    assert.match(plan.stdout, /^ {2}hotfix plan hotfix --policy FILE --env NAME --reason TEXT \[options\]\n {4}plan a hotfix of the version an environment runs$/m);
    assert.match(plan.stdout, /^ {2}hotfix plan rollback --policy FILE --env NAME \[options\]\n {4}plan a GitOps rollback of an environment$/m);
  }
  const check = runCli(['check', '--help']);
  assert.is(check.code, 0);
  assert.match(check.stdout, /^ {2}hotfix check release --policy FILE --env NAME --image IMAGE \[options\]$/m);
  assert.not.match(check.stdout, /plan rollback/);
});

test('hotfix help [command...] and hotfix version answer as --help and --version do', () => {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
  for (const args of [['version'], ['--version'], ['-v']]) assert.equal(runCli(args), { code: 0, stdout: `${version}\n`, stderr: '' }, args.join(' '));
  const pairs: Array<[string[], string[]]> = [
    [['help'], ['--help']],
    [['help', 'plan', 'rollback'], ['plan', 'rollback', '--help']],
    [['help', 'plan'], ['plan', '--help']],
    [['help', 'lint'], ['lint', '--help']],
  ];
  for (const [alias, flag] of pairs) {
    const a = runCli(alias);
    assert.is(a.code, 0, alias.join(' '));
    assert.ok(a.stdout.length > 100, alias.join(' '));
    assert.equal(a, runCli(flag), alias.join(' '));
  }
});

test('mistakes get one line naming what was meant, and exit 64', () => {
  const cases: Array<[string[], string]> = [
    [['plan', 'rollback', '--polcy', 'p.yaml', '--env', 'production'], 'hotfix: unknown option "--polcy" for hotfix plan rollback; did you mean "--policy"?\nRun "hotfix plan rollback --help" for usage.\n'],
    [['status', '--policy', 'p.yaml', '--enviroment', 'x'], 'hotfix: unknown option "--enviroment" for hotfix status\nRun "hotfix status --help" for usage.\n'],
    [['status', '--policy', 'p.yaml', '--evn', 'x'], 'hotfix: unknown option "--evn" for hotfix status; did you mean "--env"?\nRun "hotfix status --help" for usage.\n'],
    [['stauts'], 'hotfix: unknown command "stauts"; did you mean "status"?\nRun "hotfix --help" for usage.\n'],
    [['plan', 'rollbak'], 'hotfix: unknown command "rollbak" for hotfix plan; did you mean "rollback"?\nRun "hotfix plan --help" for usage.\n'],
    [['plan', 'revert'], 'hotfix: unknown command "revert" for hotfix plan; its commands are rollback, hotfix\nRun "hotfix plan --help" for usage.\n'],
    [['apply'], 'hotfix: hotfix apply needs <plan.json>\nRun "hotfix apply --help" for usage.\n'],
    [['show', '--format', 'json'], 'hotfix: hotfix show needs <plan.json>\nRun "hotfix show --help" for usage.\n'],
    [['lint', '--color', 'nevr'], 'hotfix: --color takes auto, always, never, not "nevr"; did you mean "never"?\nRun "hotfix --help" for usage.\n'],
    [['lint', '--color'], 'hotfix: --color needs a value: auto, always, never\nRun "hotfix --help" for usage.\n'],
    [['--hepl'], 'hotfix: unknown option "--hepl"; did you mean "--help"?\nRun "hotfix --help" for usage.\n'],
    [['--debug'], 'hotfix: unknown option "--debug"\nRun "hotfix --help" for usage.\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = runCli(args);
    assert.is(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stderr, stderr);
    assert.is(r.stdout, '');
  }
});

/** The built CLI run with its output to pipes, in the repository (its example policies lint clean, in green). */
function lintPolicies(args: readonly string[], env: Record<string, string> = {}) {
  return runCli(['lint', ...args, 'policies/'], { env });
}

test('--env naming no environment of the policy: every command says what it has and what was likely meant (HF302)', () => {
  const policy = join(ROOT, 'policies', 'web-hotfix.yaml');
  const has = 'is not declared in policies/web-hotfix.yaml (it has dev, staging, production)';
  const cases: Array<[string[], string]> = [
    [['status', '--policy', 'policies/web-hotfix.yaml', '--env', 'prod', '--no-cluster'], `environment "prod" ${has}; did you mean "production"?`],
    [['plan', 'hotfix', '--policy', 'policies/web-hotfix.yaml', '--env', 'prodution', '--pick', 'abc1234', '--reason', 'r'], `environment "prodution" ${has}; did you mean "production"?`],
    [['plan', 'rollback', '--policy', 'policies/web-hotfix.yaml', '--env', 'stg', '--reason', 'r'], `environment "stg" ${has}; did you mean "staging"?`],
    [['check', 'release', '--policy', 'policies/web-hotfix.yaml', '--env', 'qa', '--image', 'registry.example.com/shop/web:1.0.0'], `environment "qa" ${has}`],
  ];
  assert.ok(readFileSync(policy, 'utf8').includes('- name: production'));
  for (const [args, message] of cases) {
    const r = runCli(args, { cwd: ROOT });
    assert.is(r.code, 1, args.join(' '));
    assert.is(r.stderr, `error  ${message}  [HF302]\n`, args.join(' '));
  }
});

test('colour: plain text to a pipe; --color always, FORCE_COLOR and NO_COLOR as documented', () => {
  const plain = lintPolicies([]);
  assert.is(plain.code, 0);
  assert.match(plain.stdout, /0 errors/);
  assert.not.ok(plain.stdout.includes('\u001b') || plain.stderr.includes('\u001b'), JSON.stringify(plain.stdout));
  const cases: Array<[string[], Record<string, string>, boolean]> = [
    [['--color', 'always'], {}, true],
    [['--color=always'], {}, true],
    [['--color', 'never'], {}, false],
    [['--color', 'auto'], {}, false],
    [[], { NO_COLOR: '1' }, false],
    [['--color', 'always'], { NO_COLOR: '1' }, true],
    [[], { FORCE_COLOR: '1' }, true],
    [[], { FORCE_COLOR: '' }, true],
    [[], { FORCE_COLOR: '0' }, false],
    [[], { FORCE_COLOR: 'false' }, false],
    [[], { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
    [['--color', 'never'], { FORCE_COLOR: '1' }, false],
    [['--color', 'always'], { TERM: 'dumb' }, true],
  ];
  for (const [args, env, coloured] of cases) {
    const r = lintPolicies(args, env);
    assert.is(r.code, 0);
    assert.is(r.stdout.includes(`${ESC}32m`), coloured, `${args.join(' ')} ${JSON.stringify(env)}: ${JSON.stringify(r.stdout)}`);
    assert.is(r.stdout.replace(/\u001b\[[0-9;]*m/g, ''), plain.stdout, 'the same text, coloured or not');
  }
  // --color is every command's, wherever it stands, and colours the help too.
  assert.ok(runCli(['--color', 'always', 'plan', 'rollback', '--help']).stdout.includes(ESC));
  assert.not.ok(runCli(['plan', 'rollback', '--help']).stdout.includes('\u001b'));
});

/**
 * The CLI on a real terminal (a pseudo-terminal from util-linux script): what a person at a
 * shell sees. With `stderrTo`, its stderr goes to that file instead.
 */
function onTerminal(args: readonly string[], env: Record<string, string>, stderrTo?: string): { status: number | null; stdout: string } {
  const command = [process.execPath, CLI, ...args].map(shellWord).join(' ') + (stderrTo !== undefined ? ` 2>${shellWord(stderrTo)}` : '');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: HANG_GUARD_MS, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm', ...env } });
  return { status: r.status, stdout: r.stdout };
}

test('colour on a terminal by default, none with NO_COLOR, TERM=dumb or --color never', () => {
  const lint = (args: readonly string[], env: Record<string, string>) => {
    const r = onTerminal(['lint', ...args, 'policies/'], env);
    assert.is(r.status, 0);
    return r.stdout;
  };
  assert.ok(lint([], {}).includes(`${ESC}32m`));
  assert.not.ok(lint([], { NO_COLOR: '1' }).includes('\u001b'));
  assert.not.ok(lint([], { TERM: 'dumb' }).includes('\u001b'));
  assert.not.ok(lint(['--color', 'never'], {}).includes('\u001b'));
});

test('hotfix alone: the command list on stderr (exit 64), coloured as stderr is, not as the terminal stdout is', () => {
  const log = join(tempDir(), 'stderr.log');
  for (const [args, coloured] of [[[], false], [['--color', 'always'], true]] as const) {
    const r = onTerminal(args, {}, log);
    assert.is(r.status, 64);
    const text = readFileSync(log, 'utf8');
    assert.match(text.replace(/\u001b\[[0-9;]*m/g, ''), /^ {2}hotfix plan rollback --policy FILE --env NAME \[options\]/m);
    assert.is(text.includes('\u001b'), coloured, text.slice(0, 200));
  }
});

test.run();
