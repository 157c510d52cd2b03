import { Builtins, Cli, UsageError, type CommandClass } from 'clipanion';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { fsErrorWords } from '../diagnostics/fs-error-words.js';
import { didYouMean } from '../policy/did-you-mean.js';
import { diagnosticLine } from '../render/diagnostics-text.js';
import { styleFor } from '../render/style.js';
import { VERSION } from '../version.js';
import { colorsOn, takeColorOption, type ColorChoice } from './color-choice.js';
import type { HotfixContext } from './context.js';
import { endGitOnSignals } from './end-git-on-signals.js';
import { HotfixCli } from './hotfix-cli.js';
import { parseFailure, usageError } from './parse-failure.js';
import { quote } from './plan/option-values.js';
import { EXIT, firstLine } from './report-failure.js';
import { TerminalOutput } from './terminal-output.js';

type HotfixCommandClass = CommandClass<HotfixContext>;

/**
 * The command groups by their first word, each loaded when asked for: clipanion builds its
 * parser from every command it is given, so `hotfix lint` need not load or parse for
 * `apply`. Anything else (`hotfix`, `--help`, a typo) gets them all, for the full list.
 */
const GROUPS: Readonly<Record<string, () => Promise<HotfixCommandClass[]>>> = {
  lint: async () => [(await import('./lint.js')).LintCommand],
  plan: async () => {
    const [rollback, hotfix] = await Promise.all([import('./plan/rollback.js'), import('./plan/hotfix.js')]);
    return [rollback.PlanRollbackCommand, hotfix.PlanHotfixCommand];
  },
  show: async () => [(await import('./show.js')).ShowCommand],
  comment: async () => [(await import('./comment.js')).CommentCommand],
  apply: async () => [(await import('./apply.js')).ApplyCommand],
  status: async () => [(await import('./status.js')).StatusCommand],
  check: async () => [(await import('./check/release.js')).CheckReleaseCommand],
  completion: async () => [(await import('./completion.js')).CompletionCommand],
};

async function commandsFor(first: string | undefined): Promise<HotfixCommandClass[]> {
  const groups = first !== undefined && Object.hasOwn(GROUPS, first) ? [GROUPS[first]!] : Object.values(GROUPS);
  return (await Promise.all(groups.map((load) => load()))).flat();
}

export async function buildCli(context: HotfixContext, first?: string): Promise<HotfixCli> {
  // The stream carries the colour choice already (TerminalOutput.isTTY).
  const enableColors = Boolean((context.stdout as { isTTY?: boolean }).isTTY);
  const cli = new HotfixCli({ binaryLabel: 'hotfix', binaryName: 'hotfix', binaryVersion: VERSION, enableColors });
  for (const command of [Builtins.HelpCommand, Builtins.VersionCommand, ...(await commandsFor(first))]) cli.register(command);
  return cli;
}

/** `hotfix help plan rollback` is `hotfix plan rollback --help`, and `hotfix version` is `hotfix --version`, as in git, helm and kubectl. */
function unaliased(argv: readonly string[]): string[] {
  if (argv.length === 1 && argv[0] === 'version') return ['--version'];
  if (argv[0] !== 'help') return [...argv];
  const rest = argv.slice(1);
  return rest.length === 0 || rest[0] === 'help' || rest[0] === 'version' ? ['--help'] : [...rest, '--help'];
}

export async function main(argv: readonly string[], context: HotfixContext): Promise<number> {
  let args = unaliased(argv);
  const first = args[0];
  if (first !== undefined && !first.startsWith('-') && !Object.hasOwn(GROUPS, first)) {
    const commands = Object.keys(GROUPS);
    const hint = didYouMean(first, commands);
    return usageError(context, `unknown command ${quote(first)}${hint || `; the commands are ${commands.join(', ')}`}`, 'hotfix --help');
  }
  const cli = await buildCli(context, first);
  if (first === undefined) {
    // `hotfix` alone: the command list, as a usage error, coloured as stderr is.
    context.stderr.write(cli.usage(null, { colored: Boolean((context.stderr as { isTTY?: boolean }).isTTY) }));
    return EXIT.usage;
  }
  const group = first.startsWith('-') ? undefined : groupCall(cli, first, args, context);
  if (group !== undefined) return group;
  let command;
  for (;;) {
    try {
      command = cli.process(args, context);
      break;
    } catch (error) {
      const joined = joinDashValue(args, error);
      if (joined) args = joined;
      else return parseFailure(error, args, cli, context);
    }
  }
  return cli.run(command, context);
}

/**
 * A word that only starts commands (`plan`, `check`): with `--help` its commands are listed;
 * alone, or with a word that is none of them, that is a usage error naming them.
 * Undefined when the command line goes on to clipanion.
 */
function groupCall(cli: HotfixCli, first: string, args: readonly string[], context: HotfixContext): number | undefined {
  const words = cli.commandsUnder([first]).map((d) => d.path.split(' ')[2]!);
  if (words.length === 0 || cli.definitions().some((d) => d.path === `hotfix ${first}`)) return undefined;
  const second = args[1];
  const help = `hotfix ${first} --help`;
  if (args.length === 2 && (second === '--help' || second === '-h')) {
    context.stdout.write(cli.groupUsage([first], Boolean((context.stdout as { isTTY?: boolean }).isTTY)));
    return EXIT.ok;
  }
  if (second === undefined) return usageError(context, `hotfix ${first} needs a command: ${words.map((w) => `hotfix ${first} ${w}`).join(', ')}`, help);
  if (!second.startsWith('-') && !words.includes(second)) {
    const hint = didYouMean(second, words);
    return usageError(context, `unknown command ${quote(second)} for hotfix ${first}${hint || `; its commands are ${words.join(', ')}`}`, help);
  }
  return undefined;
}

/**
 * clipanion takes a value that starts with "-" (`--max-warnings -1`, `--wait -5s`) for an
 * option, and then finds the option before it without a value. Joined (`--wait=-5s`), the
 * value reaches the option's own check, whose message names it and what is allowed. Only
 * after a failed parse, so no command line that parses changes meaning, and never with a
 * long option (`--policy --env x` is a forgotten value).
 */
function joinDashValue(argv: readonly string[], error: unknown): string[] | undefined {
  const option = /^Not enough arguments to option (\S+)\.$/.exec(firstLine(error instanceof Error ? error.message : ''))?.[1];
  const at = option === undefined ? -1 : argv.findIndex((arg, i) => arg === option && /^-[^-]/.test(argv[i + 1] ?? ''));
  if (at < 0) return undefined;
  return [...argv.slice(0, at), `${option}=${argv[at + 1]}`, ...argv.slice(at + 2)];
}

/**
 * The full command line: clipanion and the command classes it needs, writing through
 * TerminalOutput. Output that could not be written (a full disk, not a reader that left)
 * fails the command, so `hotfix plan --format json > plan.json` never exits 0 with half a plan.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  endGitOnSignals();
  let taken: { choice: ColorChoice | undefined; rest: string[] } | UsageError;
  try {
    taken = takeColorOption(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    taken = error;
  }
  const choice = taken instanceof UsageError ? undefined : taken.choice;
  const stdout = new TerminalOutput(process.stdout, colorsOn(choice, process.env, Boolean(process.stdout.isTTY)));
  const stderr = new TerminalOutput(process.stderr, colorsOn(choice, process.env, Boolean(process.stderr.isTTY)));
  // The streams carry the choice; styleFor, which also reads NO_COLOR and TERM, must see only it.
  const { NO_COLOR: _noColor, TERM: _term, ...env } = process.env;
  const context: HotfixContext = { ...Cli.defaultContext, stdout, stderr, cwd: process.cwd(), env };
  const code = taken instanceof UsageError ? usageError(context, taken.message, 'hotfix --help') : await main(taken.rest, context);
  await Promise.all([stdout.settled(), stderr.settled()]);
  const failure = stdout.failure ?? stderr.failure;
  if (!failure) return code;
  const which = stdout.failure ? 'standard output' : 'standard error';
  stderr.write(`${diagnosticLine(diagnostic('HF223', `the output could not be written to ${which}: ${fsErrorWords(failure)}; what was written is incomplete`), styleFor(stderr, env))}\n`);
  return code === EXIT.ok || code === EXIT.changes ? EXIT.failure : code;
}
